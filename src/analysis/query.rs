//! Theme queries: `A`, `A AND B`, `A OR B`, `A NOT B`, combined left to right
//! (`Waiting AND Safety NOT Signage`). Operators are upper-case words, so a theme may be
//! called "Waiting and queues".

/// A combination of themes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    /// Every coded note.
    All,
    /// Notes carrying the theme.
    Theme(String),
    /// Notes carrying both.
    And(Box<Query>, Box<Query>),
    /// Notes carrying either.
    Or(Box<Query>, Box<Query>),
    /// Notes carrying the first but not the second.
    Not(Box<Query>, Box<Query>),
}

/// A query that does not read as themes joined by AND, OR and NOT.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// An operator with no theme on one side.
    #[error("'{query}' is missing a theme name {}", after.as_deref().map(|o| format!("after {o}")).unwrap_or_default())]
    MissingTheme {
        /// The query as typed.
        query: String,
        /// The operator before the gap, if any.
        after: Option<String>,
    },
}

impl Query {
    /// Parses a query; an empty one means every coded note.
    pub fn parse(s: &str) -> Result<Query, QueryError> {
        let words: Vec<&str> = s.split_whitespace().collect();
        if words.is_empty() {
            return Ok(Query::All);
        }
        let mut q: Option<Query> = None;
        let mut op: Option<&str> = None;
        let mut name: Vec<&str> = Vec::new();
        let finish = |q: &mut Option<Query>, op: Option<&str>, name: &mut Vec<&str>| {
            if name.is_empty() {
                return Err(QueryError::MissingTheme {
                    query: s.to_owned(),
                    after: op.map(str::to_owned),
                });
            }
            let t = Query::Theme(name.join(" "));
            name.clear();
            *q = Some(match (q.take(), op) {
                (None, _) => t,
                (Some(a), Some("AND")) => Query::And(Box::new(a), Box::new(t)),
                (Some(a), Some("OR")) => Query::Or(Box::new(a), Box::new(t)),
                (Some(a), _) => Query::Not(Box::new(a), Box::new(t)),
            });
            Ok(())
        };
        for w in words {
            if matches!(w, "AND" | "OR" | "NOT") {
                finish(&mut q, op, &mut name)?;
                op = Some(w);
            } else {
                name.push(w);
            }
        }
        finish(&mut q, op, &mut name)?;
        Ok(q.unwrap_or(Query::All))
    }
}

#[cfg(test)]
mod tests {
    use super::Query::{self, *};

    fn t(s: &str) -> Box<Query> {
        Box::new(Theme(s.into()))
    }

    #[test]
    fn parses_left_to_right_with_spaces_in_names() {
        assert_eq!(Query::parse("").unwrap(), All);
        assert_eq!(
            Query::parse("Waiting and queues").unwrap(),
            *t("Waiting and queues")
        );
        assert_eq!(
            Query::parse("Waiting times AND Safety NOT Signage").unwrap(),
            Not(Box::new(And(t("Waiting times"), t("Safety"))), t("Signage"))
        );
        assert_eq!(Query::parse("A OR B").unwrap(), Or(t("A"), t("B")));
        assert!(
            Query::parse("A AND")
                .unwrap_err()
                .to_string()
                .contains("missing a theme name after AND")
        );
        assert!(Query::parse("NOT B").is_err());
    }
}
