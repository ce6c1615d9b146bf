//! How storage is told what a mention of a person is. Erasure rewrites every mention of a
//! person's name and restriction withholds every text that mentions one; recognising a name
//! in its many forms (any case, possessive, title, initials) is the anonymiser's knowledge,
//! not storage's, so the callers hand storage a [`Rewriter`] and storage only reads and
//! writes the texts, inside its own transaction.

/// A person as a rewrite names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedPerson {
    /// Real name.
    pub name: String,
    /// Pseudonym (or facilitator code) that replaces it.
    pub pseudonym: String,
}

/// Builds a [`NameMatcher`] for a set of people.
pub trait Rewriter {
    /// A matcher for the names of `people`.
    fn matcher(&self, people: Vec<NamedPerson>) -> Box<dyn NameMatcher>;
}

/// Finds and replaces the mentions of a fixed set of people.
pub trait NameMatcher {
    /// Whether `text` mentions any of the people.
    fn mentions(&self, text: &str) -> bool;
    /// `text` with every mention replaced by the person's pseudonym; `None` when it mentions
    /// none of them.
    fn replace(&self, text: &str) -> Option<String>;
}
