//! Forms: keys, records built, refusals.

use super::*;

fn type_in(f: &mut Form, s: &str) {
    for c in s.chars() {
        key(f, KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
}

/// A key as the app hands it to a form: through the form's default key map.
fn key(f: &mut Form, k: KeyEvent) -> Option<Request> {
    let keys = crate::tui::keys::Keymaps::default();
    f.on_key(keys.action(crate::tui::keys::Section::Form, &k), k)
}

#[test]
fn form_keys_mean_their_actions() {
    use crate::tui::keys::{Keymaps, Section};
    let keys = Keymaps::default();
    let none = KeyModifiers::NONE;
    let table = [
        (KeyCode::Tab, none, Some(Action::NextField)),
        (KeyCode::Down, none, Some(Action::NextField)),
        (
            KeyCode::BackTab,
            KeyModifiers::SHIFT,
            Some(Action::PrevField),
        ),
        (KeyCode::Up, none, Some(Action::PrevField)),
        (KeyCode::Enter, none, Some(Action::NextOrSave)),
        (
            KeyCode::Char('s'),
            KeyModifiers::CONTROL,
            Some(Action::Save),
        ),
        (KeyCode::Backspace, none, Some(Action::DeleteChar)),
        (KeyCode::Esc, none, Some(Action::Cancel)),
        (KeyCode::Char('s'), none, None),
    ];
    for (code, m, want) in table {
        assert_eq!(
            keys.action(Section::Form, &KeyEvent::new(code, m)),
            want,
            "{code:?} {m:?}"
        );
    }
}

#[test]
fn project_form_builds_the_record_and_checks_retention() {
    let mut f = Form::project(None);
    type_in(&mut f, "F2F");
    for _ in 0..6 {
        key(&mut f, KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE));
    }
    type_in(&mut f, "DPIA-7");
    key(&mut f, KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE));
    key(&mut f, KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE));
    type_in(&mut f, "two years");
    assert!(key(&mut f, KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)).is_none());
    assert!(f.error.as_deref().unwrap().contains("months"));
    for _ in 0..9 {
        key(
            &mut f,
            KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE),
        );
    }
    type_in(&mut f, "24");
    match key(
        &mut f,
        KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL),
    ) {
        Some(Request::AddProject(p)) => {
            assert_eq!(
                (p.name.as_str(), p.dpia_ref.as_deref(), p.retention_months),
                ("F2F", Some("DPIA-7"), Some(24))
            );
        }
        _ => panic!("expected a project"),
    }
}

#[test]
fn vault_passphrases_must_match() {
    let mut f = Form::new_vault();
    type_in(&mut f, "one long passphrase");
    key(&mut f, KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    type_in(&mut f, "another");
    assert!(key(&mut f, KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)).is_none());
    assert!(f.error.as_deref().unwrap().contains("differ"));
}
