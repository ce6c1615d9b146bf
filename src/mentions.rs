//! Where storage meets the anonymiser. Storage keeps the people on record and reads and
//! writes the texts; only the anonymiser knows what a mention of a name looks like (any case,
//! possessive, title, initials). Erasure, restriction and search are handed
//! [`AnonymiserNames`], and [`registry`] builds the anonymiser's view of a project from the
//! rows storage returns.

use crate::anonymise::{self, Anonymiser, KnownPerson, Registry};
use crate::store::{self, NameMatcher, NamedPerson, Rewriter, Store};

/// Finds people's names the way the anonymiser does, for storage's rewrites.
#[derive(Debug, Clone, Copy, Default)]
pub struct AnonymiserNames;

impl Rewriter for AnonymiserNames {
    fn matcher(&self, people: Vec<NamedPerson>) -> Box<dyn NameMatcher> {
        Box::new(Matcher(Anonymiser::new(&Registry {
            people: people.into_iter().map(known).collect(),
            ..Registry::default()
        })))
    }
}

struct Matcher(Anonymiser);

impl NameMatcher for Matcher {
    fn mentions(&self, text: &str) -> bool {
        !self.0.registered_names(text).is_empty()
    }

    fn replace(&self, text: &str) -> Option<String> {
        let subs = self.0.registered_names(text);
        (!subs.is_empty()).then(|| anonymise::apply(text, &subs))
    }
}

fn known(p: NamedPerson) -> KnownPerson {
    KnownPerson {
        name: p.name,
        pseudonym: p.pseudonym,
    }
}

/// What the anonymiser needs to know about a project: every participant and person
/// mentioned with their pseudonym, the allow and deny lists, and its record reviews'
/// references.
pub fn registry(store: &Store, project: &str) -> store::Result<Registry> {
    let people = store
        .named_people(project)?
        .into_iter()
        .map(known)
        .collect();
    let (allow, deny) = store.lists(project)?;
    Ok(Registry {
        people,
        allow,
        deny,
        record_refs: store.record_refs(project)?,
        ..Registry::default()
    })
}
