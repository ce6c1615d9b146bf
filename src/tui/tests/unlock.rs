//! The unlock and first-run screens: the passphrase is sent once and never kept.

use super::*;

#[test]
fn unlock_sends_the_typed_passphrase_and_never_keeps_it() {
    let mut s = State::new("v".into(), false, Config::default(), 0);
    type_str(&mut s, "secret words");
    let reqs = update(&mut s, key(KeyCode::Enter));
    match reqs.as_slice() {
        [Request::Unlock(p)] => assert_eq!(p.expose_secret(), "secret words"),
        _ => panic!("expected one unlock request"),
    }
    assert!(s.passphrase.is_empty());
    assert_eq!(s.busy.as_deref(), Some("Unlocking…"));
    update(
        &mut s,
        Msg::Worker(Reply::UnlockFailed("wrong passphrase: try again".into())),
    );
    assert_eq!(s.screen, Screen::Unlock);
    assert!(s.message.as_deref().unwrap().contains("wrong passphrase"));
}

#[test]
fn snapshot_unlock() {
    let mut s = State::new("fieldnotes/vault".into(), false, Config::default(), 0);
    type_str(&mut s, "hunter2 secret");
    let out = render(&s, 80, 24);
    assert!(
        !out.contains("hunter2") && !out.contains("*"),
        "nothing of the passphrase shows"
    );
    snap_both("unlock", &s);
}

#[test]
fn snapshot_no_vault() {
    snap_both(
        "no_vault",
        &State::new("fieldnotes/vault".into(), true, Config::default(), 0),
    );
}

#[test]
fn a_refused_new_passphrase_is_never_part_of_the_next_one() {
    let mut s = State::new("v".into(), true, Config::default(), 0);
    update(&mut s, key(KeyCode::Enter));
    // refused by the vault (too weak): the worker answers, the fields empty
    match submit_twice(&mut s, "password").as_slice() {
        [Request::Init(p)] => assert_eq!(p.expose_secret(), "password"),
        _ => panic!("expected the vault to be asked to refuse it"),
    }
    // keys while the vault is being created are not typed anywhere
    type_str(&mut s, "xyz");
    update(&mut s, Msg::Paste("pasted".into()));
    update(
        &mut s,
        Msg::Worker(Reply::UnlockFailed(
            "this passphrase is too easy to guess: use at least 10 characters".into(),
        )),
    );
    assert_eq!(vault_form(&s), (String::new(), String::new(), 0));
    let error = s.form.as_ref().and_then(|f| f.error()).unwrap_or_default();
    assert!(
        error.contains("too easy to guess") && error.contains("type it again"),
        "{error}"
    );
    match submit_twice(&mut s, "kettle harbour violet tram").as_slice() {
        [Request::Init(p)] => assert_eq!(p.expose_secret(), "kettle harbour violet tram"),
        _ => panic!("expected a vault with the passphrase typed last"),
    }

    // refused by the form (the two differ): the same
    let mut s = State::new("v".into(), true, Config::default(), 0);
    update(&mut s, key(KeyCode::Enter));
    type_str(&mut s, "kettle harbour");
    update(&mut s, key(KeyCode::Enter));
    type_str(&mut s, "kettle harbor");
    assert!(update(&mut s, key(KeyCode::Enter)).is_empty());
    assert_eq!(vault_form(&s), (String::new(), String::new(), 0));
    match submit_twice(&mut s, "kettle harbour violet tram").as_slice() {
        [Request::Init(p)] => assert_eq!(p.expose_secret(), "kettle harbour violet tram"),
        _ => panic!("expected a vault with the passphrase typed last"),
    }
}

#[test]
fn a_wrong_unlock_passphrase_leaves_nothing_for_the_next_try() {
    let mut s = State::new("v".into(), false, Config::default(), 0);
    type_str(&mut s, "wrong words");
    assert_eq!(update(&mut s, key(KeyCode::Enter)).len(), 1);
    // typed and pasted while "Unlocking…" shows: dropped, not kept for the next try
    type_str(&mut s, "abc");
    update(&mut s, Msg::Paste("pasted".into()));
    assert!(s.passphrase.is_empty());
    update(
        &mut s,
        Msg::Worker(Reply::UnlockFailed("wrong passphrase: try again".into())),
    );
    assert!(s.passphrase.is_empty());
    type_str(&mut s, "right words");
    match update(&mut s, key(KeyCode::Enter)).as_slice() {
        [Request::Unlock(p)] => assert_eq!(p.expose_secret(), "right words"),
        _ => panic!("expected one unlock request"),
    }
}
