//! Full-text search over notes (restricted people's notes never show).

use super::Result;
use crate::model::SearchHit;
use crate::vault::Vault;

/// Notes holding every word of `query` (a trailing `*` makes a word a prefix), best first,
/// in one project or all.
pub fn search(v: &Vault, query: &str, project: Option<&str>) -> Result<Vec<SearchHit>> {
    Ok(v.store()
        .search(query, project, &crate::mentions::AnonymiserNames)?)
}
