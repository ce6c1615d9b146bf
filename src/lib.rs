//! fieldnotes: encrypted research notes for interviews and workshops.
//!
//! The application core. Shells (the CLI and the TUI in `main`, and the test suite) call into
//! these modules; nothing here prints, prompts or exits the process. Nor does it know the
//! terminal: ratatui and crossterm belong to the binary alone.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
#![warn(missing_docs)]

pub mod analysis;
pub mod anonymise;
pub mod app;
pub mod audit;
pub mod export;
pub mod guide;
pub mod mentions;
pub mod model;
pub mod outfile;
pub mod passphrase;
pub mod quotes;
pub mod rights;
pub mod secret;
pub mod store;
pub mod team;
pub mod text;
pub mod vault;
