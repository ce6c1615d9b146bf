//! Person names: registered people (participants, people mentioned) in any form, and
//! unregistered names found from context, a gazetteer and whole-document propagation.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::LazyLock;

use std::borrow::Cow;

use compact_str::CompactString;

use super::{Candidate, Kind, count_ops};

mod context;
mod lexicon;
mod registered;
mod scan;
mod words;

#[cfg(test)]
mod tests;

use context::*;
use lexicon::*;
use words::*;

pub use registered::Registered;
pub use scan::{find_unregistered, spreadable_parts};
pub use words::{Word, fold_accents, words};
