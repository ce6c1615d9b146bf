//! The researcher's own settings, kept in the vault (they can name a person, and config.toml
//! is plain text on disk).

use super::{AppError, Result};
use crate::vault::Vault;

const RESEARCHER: &str = "researcher";
const RESEARCHER_SKIPPED: &str = "researcher_skipped";

/// The researcher's name, who speaks as F1 in a new live interview, if set.
pub fn researcher(v: &Vault) -> Result<Option<String>> {
    Ok(v.store().setting(RESEARCHER)?)
}

/// Sets the researcher's name (blank clears it).
pub fn set_researcher(v: &Vault, name: &str) -> Result<()> {
    let name = crate::text::clean_note_text(name);
    let name = name.trim();
    if name.chars().any(|c| c == '\n') || name.len() > 200 {
        return Err(AppError::Invalid(
            "the researcher's name is one line of at most 200 characters: nothing was saved",
        ));
    }
    let value = Some(name).filter(|n| !n.is_empty());
    Ok(v.store().setting_set(RESEARCHER, value)?)
}

/// True once the app has asked for the researcher's name (answered or skipped), so it asks
/// only once.
pub fn researcher_asked(v: &Vault) -> Result<bool> {
    Ok(researcher(v)?.is_some() || v.store().setting(RESEARCHER_SKIPPED)?.is_some())
}

const KEPT_FORM: &str = "form kept through a lock";

/// Keeps a half-filled form of the app in the vault while it is locked (a lock drops
/// everything decrypted from memory, and nothing typed may be lost).
pub fn keep_form(v: &Vault, form: &str) -> Result<()> {
    Ok(v.store().setting_set(KEPT_FORM, Some(form))?)
}

/// The form kept through the last lock, taken out of the vault: it is given back once.
pub fn take_kept_form(v: &Vault) -> Result<Option<String>> {
    let s = v.store();
    let form = s.setting(KEPT_FORM)?;
    if form.is_some() {
        s.setting_set(KEPT_FORM, None)?;
    }
    Ok(form)
}

/// Records that the researcher chose not to give their name when asked.
pub fn skip_researcher(v: &Vault) -> Result<()> {
    Ok(v.store().setting_set(RESEARCHER_SKIPPED, Some("yes"))?)
}

#[cfg(test)]
mod tests {
    use super::super::{projects, sessions};
    use crate::model::{PaperOrigin, SessionKind, Source};
    use crate::store::{NewProject, NewSession};

    #[test]
    fn a_live_session_without_facilitators_has_the_researcher_as_f1() {
        let (_tmp, v) = crate::app::tests::vault();
        let clock = crate::app::tests::clock();
        projects::add(
            &v,
            NewProject {
                name: "F2F".into(),
                ..Default::default()
            },
        )
        .unwrap();
        let new = |source, facilitators: &[&str]| NewSession {
            project: "F2F".into(),
            kind: SessionKind::Interview,
            title: "Front desk".into(),
            date: None,
            location: None,
            source,
            paper: PaperOrigin::default(),
            facilitators: facilitators.iter().map(|f| f.to_string()).collect(),
        };
        assert!(!super::researcher_asked(&v).unwrap());
        let id = sessions::add(&v, &clock, new(Source::Live, &[])).unwrap();
        assert!(sessions::get(&v, id).unwrap().facilitators.is_empty());
        super::set_researcher(&v, " Sam Patel ").unwrap();
        assert_eq!(super::researcher(&v).unwrap().as_deref(), Some("Sam Patel"));
        assert!(super::researcher_asked(&v).unwrap());
        let id = sessions::add(&v, &clock, new(Source::Live, &[])).unwrap();
        assert_eq!(sessions::get(&v, id).unwrap().facilitators, ["Sam Patel"]);
        let id = sessions::add(&v, &clock, new(Source::Live, &["Jo Bloggs"])).unwrap();
        assert_eq!(sessions::get(&v, id).unwrap().facilitators, ["Jo Bloggs"]);
        let id = sessions::add(&v, &clock, new(Source::Paper, &[])).unwrap();
        assert!(sessions::get(&v, id).unwrap().facilitators.is_empty());
        assert!(super::set_researcher(&v, "two\nlines").is_err());
        super::set_researcher(&v, "").unwrap();
        assert_eq!(super::researcher(&v).unwrap(), None);
    }
}
