//! What the command line needs from the app: session ids on screen, and an export offered
//! at a full path in a sensible folder.

use super::*;

#[test]
fn the_sessions_list_and_the_editor_title_show_the_session_id() {
    let s = in_sessions();
    let out = render(&s, 80, 24);
    assert!(out.contains("#7    2024-03-07"), "{out}");
    snap_both("sessions_with_ids", &s);
    let mut s = in_editor();
    let out = render(&s, 120, 35);
    assert!(
        out.contains("F2F › Security officer 1 (session 7, interview, live)"),
        "{out}"
    );
    // a title too long for the line is shortened; the id stays
    s.editor.as_mut().unwrap().session.title =
        "Workshop with housing options staff and the security team at the civic centre".into();
    let out = render(&s, 80, 24);
    let heading = out.lines().next().unwrap();
    assert!(
        heading.contains("F2F › Workshop with housing options")
            && heading.contains("… (session 7, interview, live)"),
        "{heading}"
    );
}

fn review_with_export_folder(dir: Option<&str>) -> State {
    let mut s = in_sessions();
    s.config.export_dir = dir.map(std::path::PathBuf::from);
    update(&mut s, key(KeyCode::Char('x')));
    let (_tmp, v) = vault();
    let data = crate::tui::worker::review_data(&v, "F2F").unwrap();
    update(&mut s, Msg::Worker(Reply::ExportReview(Box::new(data))));
    s
}

#[test]
fn export_offers_a_dated_file_in_the_export_folder_in_full() {
    let mut s = review_with_export_folder(Some("/home/amira/Documents"));
    update(&mut s, key(KeyCode::Char('e')));
    let today = crate::tui::app::today();
    let offered = format!("/home/amira/Documents/F2F-summary-{today}.html");
    assert_eq!(s.prompt.as_ref().unwrap().input, offered);
    snap_both("export_prompt_full_path", &s);
    // the whole path is editable: Backspace takes off the end, typing puts it back
    for _ in 0.."html".len() {
        update(&mut s, key(KeyCode::Backspace));
    }
    type_str(&mut s, "md");
    assert!(
        update(&mut s, key(KeyCode::Enter)).is_empty(),
        "then: to whom?"
    );
    let reqs = update(&mut s, key(KeyCode::Enter));
    let expected = format!("/home/amira/Documents/F2F-summary-{today}.md");
    assert!(
        matches!(&reqs[..], [Request::Export { path, recipients, .. }]
            if path.to_str() == Some(expected.as_str()) && recipients.is_empty()),
        "{} requests",
        reqs.len()
    );
}

#[test]
fn an_existing_export_file_is_replaced_only_after_a_yes() {
    let mut s = review_with_export_folder(Some("/home/amira/Documents"));
    let path = std::path::PathBuf::from("/home/amira/Documents/F2F-summary-2000-01-01.html");
    update(
        &mut s,
        Msg::Worker(Reply::ExportExists {
            path: path.clone(),
            recipients: Vec::new(),
        }),
    );
    snap_both("export_exists_prompt", &s);
    type_str(&mut s, "n");
    assert!(
        update(&mut s, key(KeyCode::Enter)).is_empty(),
        "anything but y keeps the file"
    );
    update(
        &mut s,
        Msg::Worker(Reply::ExportExists {
            path: path.clone(),
            recipients: Vec::new(),
        }),
    );
    type_str(&mut s, "y");
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(
        matches!(&reqs[..], [Request::Export { path: p, overwrite: true, .. }] if *p == path),
        "{} requests",
        reqs.len()
    );
}

#[test]
fn an_export_file_name_is_safe_whatever_the_project_is_called() {
    use crate::tui::screens::review::export_file_name;
    assert_eq!(
        export_file_name("F2F", "2026-12-01"),
        "F2F-summary-2026-12-01.html"
    );
    assert_eq!(
        export_file_name("Housing / Waits: 2024", "2026-12-01"),
        "Housing-Waits-2024-summary-2026-12-01.html"
    );
    assert_eq!(
        export_file_name("../..", "2026-12-01"),
        "project-summary-2026-12-01.html"
    );
}
