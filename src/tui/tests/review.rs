//! The export review and the retention list.

use super::*;

#[test]
fn export_review_keeps_denies_registers_and_exports() {
    let mut s = in_sessions();
    let reqs = update(&mut s, key(KeyCode::Char('x')));
    assert!(matches!(&reqs[..], [Request::ExportReview(p)] if p == "F2F"));
    let (_tmp, v) = vault();
    let data = crate::tui::worker::review_data(&v, "F2F").unwrap();
    update(&mut s, Msg::Worker(Reply::ExportReview(Box::new(data))));
    assert_eq!(s.screen, Screen::Review);
    snap_both("review", &s);
    let reqs = update(&mut s, key(KeyCode::Char('k')));
    match &reqs[..] {
        [
            Request::ReviewList {
                deny: false,
                phrase,
                ..
            },
        ] => assert_eq!(phrase, "Abdirahman"),
        other => panic!("{}", other.len()),
    }
    update(&mut s, key(KeyCode::Char('d')));
    type_str(&mut s, "the red-haired guard");
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(
        matches!(&reqs[..], [Request::ReviewList { deny: true, phrase, .. }] if phrase == "the red-haired guard")
    );
    update(&mut s, key(KeyCode::Char('r')));
    type_str(&mut s, "Fatima Hassan");
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(matches!(&reqs[..], [Request::ReviewRegister { name, .. }] if name == "Fatima Hassan"));
    update(&mut s, key(KeyCode::Char('e')));
    // no export folder known (the tests' config): a name in the current folder, dated
    let offered = format!("F2F-summary-{}.html", crate::tui::app::today());
    assert_eq!(s.prompt.as_ref().unwrap().input, offered);
    assert!(
        update(&mut s, key(KeyCode::Enter)).is_empty(),
        "then: to whom?"
    );
    type_str(
        &mut s,
        "age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq",
    );
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(
        matches!(&reqs[..], [Request::Export { path, recipients, .. }]
            if path.to_str() == Some(offered.as_str()) && recipients.len() == 1)
    );
    update(
        &mut s,
        Msg::Worker(Reply::Exported(
            "Exported 2 excerpts to F2F-summary.html".into(),
        )),
    );
    assert!(
        render(&s, 100, 24).contains("Exported 2 excerpts"),
        "the message shows"
    );
}

#[test]
fn the_retention_banner_leads_to_the_list_and_a_confirmed_erasure() {
    let mut s = unlocked();
    update(&mut s, Msg::Worker(Reply::RetentionDue(2)));
    snap_both("projects_retention_due", &s);
    let reqs = update(&mut s, ctrl('r'));
    assert!(matches!(&reqs[..], [Request::Retention]));
    let item = |id, overdue| fieldnotes::app::RetentionItem {
        project: "F2F".into(),
        session_id: id,
        title: format!("Interview {id}"),
        date: "2022-01-10".into(),
        due: "2024-01-10".into(),
        overdue,
        paper_pending: !overdue,
    };
    update(
        &mut s,
        Msg::Worker(Reply::Retention(vec![item(1, true), item(2, false)], None)),
    );
    assert_eq!(s.screen, Screen::Retention);
    snap_both("retention", &s);
    update(&mut s, key(KeyCode::Char('X')));
    type_str(&mut s, "no");
    assert!(
        update(&mut s, key(KeyCode::Enter)).is_empty(),
        "only 'yes' erases"
    );
    update(&mut s, key(KeyCode::Char('X')));
    type_str(&mut s, "yes");
    assert!(matches!(
        &update(&mut s, key(KeyCode::Enter))[..],
        [Request::ApplyRetention]
    ));
}

#[test]
fn an_existing_export_file_is_replaced_only_after_a_yes() {
    use fieldnotes::vault::{KdfSettings, Unlock, Vault};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let pass = secrecy::SecretString::from("correct horse battery staple 1987!".to_owned());
    let kdf = KdfSettings {
        work_factor: Some(10),
    };
    Vault::init(&dir, &pass, kdf).unwrap();
    let v = Vault::open(&dir, Unlock::Passphrase(pass), kdf).unwrap();
    fieldnotes::app::projects::add(
        &v,
        fieldnotes::app::NewProject {
            name: "F2F".into(),
            ..Default::default()
        },
    )
    .unwrap();
    fieldnotes::app::sessions::add(
        &v,
        &fieldnotes::app::FixedClock::on(time::macros::date!(2024 - 03 - 07)),
        fieldnotes::app::NewSession {
            project: "F2F".into(),
            kind: SessionKind::Interview,
            title: "Interview 1".into(),
            date: Some("2024-03-07".into()),
            location: None,
            source: Source::Live,
            paper: Default::default(),
            facilitators: vec![],
        },
    )
    .unwrap();
    let out = tmp.path().join("summary.md");
    std::fs::write(&out, "the researcher's own notes").unwrap();
    let export = |overwrite| Request::Export {
        project: "F2F".into(),
        path: out.clone(),
        recipients: Vec::new(),
        overwrite,
    };
    let reply = crate::tui::worker::handle(&v, export(false));
    assert!(
        matches!(&reply, Reply::ExportExists { path, .. } if *path == out),
        "{reply:?}"
    );
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "the researcher's own notes"
    );

    // the app asks; anything but y keeps the file
    let mut s = unlocked();
    s.review = Some(crate::tui::screens::review::ReviewView {
        selected: 0,
        data: crate::tui::worker::ReviewData {
            project: "F2F".into(),
            excerpts: 0,
            withheld: 0,
            quotes: Vec::new(),
            items: Vec::new(),
        },
    });
    update(&mut s, Msg::Worker(reply));
    let label = s
        .prompt
        .as_ref()
        .map(|p| p.label.clone())
        .unwrap_or_default();
    assert!(label.contains("already exists"), "{label}");
    type_str(&mut s, "n");
    assert!(update(&mut s, key(KeyCode::Enter)).is_empty());
    assert!(
        s.message
            .as_deref()
            .unwrap_or("")
            .contains("Nothing was exported")
    );

    update(
        &mut s,
        Msg::Worker(crate::tui::worker::handle(&v, export(false))),
    );
    type_str(&mut s, "y");
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(
        matches!(
            &reqs[..],
            [Request::Export {
                overwrite: true,
                ..
            }]
        ),
        "{} requests, not one export with overwrite",
        reqs.len()
    );
    let Some(req) = reqs.into_iter().next() else {
        unreachable!()
    };
    let reply = crate::tui::worker::handle(&v, req);
    assert!(matches!(reply, Reply::Exported(_)), "{reply:?}");
    assert!(std::fs::read_to_string(&out).unwrap().contains("F2F"));
}
