use std::collections::HashMap;

use super::*;
use crate::export::tests::{all, assert_no_leak, assert_valid_qde, fixture, note, qdpx_files};
use crate::export::{Format, MemoAbout, Scope, prepare, prepare_at};
use crate::model::{PaperOrigin, SessionKind, Source};
use crate::store::{NewNote, NewSession, Store};

#[test]
fn guids_are_stable_and_well_formed() {
    let a = guid("F2F", "code", "Safety");
    assert_eq!(a, guid("F2F", "code", "Safety"));
    assert_ne!(a, guid("F2F", "code", "Waiting"));
    let re =
        regex::Regex::new("^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
            .unwrap();
    assert!(re.is_match(&a), "{a}");
}

#[test]
fn xml_text_is_escaped() {
    assert_eq!(x("a<b & \"c\"\u{1b}"), "a&lt;b &amp; &quot;c&quot; ");
}

/// The fixture's sessions by kind, the first of each: (interview, workshop).
fn sessions(store: &Store) -> (i64, i64) {
    let s = store.sessions(Some("F2F")).unwrap();
    let id = |k| {
        s.iter()
            .filter(|s| s.kind == k)
            .map(|s| s.id)
            .min()
            .unwrap()
    };
    (id(SessionKind::Interview), id(SessionKind::Workshop))
}

/// The id of the first note of `session` that `speaker` said.
fn note_of(store: &Store, session: i64, speaker: &str) -> i64 {
    store
        .notes(session)
        .unwrap()
        .iter()
        .find(|n| n.speaker.as_deref() == Some(speaker))
        .unwrap()
        .id
}

/// The fixture (Ruth Okafor facilitates the interview and the workshop) and a later
/// interview facilitated by Dan Lee, then Ruth again, her name typed differently, each
/// with a coded note; the first interview's facilitator note coded too. Returns the
/// later session's id.
fn with_a_second_facilitator(store: &Store) -> i64 {
    let (interview, _) = sessions(store);
    store
        .tag(note_of(store, interview, "F1"), "Safety", None)
        .unwrap();
    let later = store
        .session_add(NewSession {
            project: "F2F".into(),
            kind: SessionKind::Interview,
            title: "Follow-up interview".into(),
            date: Some("2024-06-01".into()),
            location: None,
            source: Source::Live,
            paper: PaperOrigin::default(),
            facilitators: vec!["Dan Lee".into(), " RUTH  okafor ".into()],
        })
        .unwrap();
    for (who, text, theme) in [
        ("F1", "The lift was broken again.", "Safety"),
        ("F2", "The rota was short that week.", "Waiting times"),
    ] {
        store
            .note_add(NewNote {
                themes: vec![theme.into()],
                ..note(later, Some(who), NoteKind::Observation, text)
            })
            .unwrap();
    }
    later
}

/// The fixture with a memo on a theme, on the interview and on one of P01's notes, and one
/// on P02's note.
pub(in crate::export) fn with_memos(store: &Store) {
    let (interview, _) = sessions(store);
    store
        .theme_set(
            "F2F",
            "Safety",
            Some("Abdirahman keeps coming back to the guards."),
            None,
            None,
        )
        .unwrap();
    store
        .memo_add(
            interview,
            None,
            "Ask Gemma Ashworth about the triage script.",
        )
        .unwrap();
    let p01 = note_of(store, interview, "P01");
    store
        .memo_add(
            interview,
            Some(p01),
            "Warsame seemed tired; ring him on 07700 900999.",
        )
        .unwrap();
    let p02 = note_of(store, interview, "P02");
    store
        .memo_add(
            interview,
            Some(p02),
            "Said more after the recorder was off.",
        )
        .unwrap();
}

fn qdpx(store: &Store, scope: &Scope) -> Vec<(String, String)> {
    let p = prepare(store, scope, "2026-11-23").unwrap();
    qdpx_files(&p.render(Format::Qdpx).unwrap())
}

/// The XML element `<tag … name="name">…</tag>` (the first one).
fn element<'a>(xml: &'a str, tag: &str, name: &str) -> &'a str {
    let open = format!("name=\"{name}\"");
    let at = xml
        .match_indices(&format!("<{tag} "))
        .map(|(i, _)| i)
        .find(|&i| xml[i..].split('>').next().unwrap().contains(&open))
        .unwrap_or_else(|| panic!("no <{tag}> named {name} in\n{xml}"));
    let close = format!("</{tag}>");
    let end = xml[at..].find(&close).unwrap() + close.len();
    &xml[at..at + end]
}

/// Every `targetGUID` of `<ref_tag>` elements in `xml`.
fn refs(xml: &str, ref_tag: &str) -> Vec<String> {
    let re = regex::Regex::new(&format!("<{ref_tag} targetGUID=\"([^\"]+)\"/>")).unwrap();
    re.captures_iter(xml).map(|c| c[1].to_owned()).collect()
}

/// Each selection's source, by GUID.
fn source_of_selection(qde: &str) -> HashMap<String, String> {
    let source = regex::Regex::new(r#"(?s)<TextSource guid="([^"]+)".*?</TextSource>"#).unwrap();
    let sel = regex::Regex::new(r#"<PlainTextSelection guid="([^"]+)""#).unwrap();
    let mut out = HashMap::new();
    for s in source.captures_iter(qde) {
        for c in sel.captures_iter(&s[0]) {
            out.insert(c[1].to_owned(), s[1].to_owned());
        }
    }
    out
}

#[test]
fn a_facilitator_is_one_case_across_the_project_by_name() {
    let store = fixture();
    let later = with_a_second_facilitator(&store);
    let (interview, _) = sessions(&store);
    let p = prepare(&store, &all(), "2026-11-23").unwrap();
    // the summary, which every format shows, codes facilitators for the whole project
    let said = |text: &str| {
        p.summary
            .excerpts
            .iter()
            .find(|e| e.text.contains(text))
            .unwrap()
            .speaker
            .clone()
    };
    assert_eq!(said("queue at 9am").as_deref(), Some("F1"), "Ruth");
    assert_eq!(said("rota was short").as_deref(), Some("F1"), "Ruth again");
    assert_eq!(said("lift was broken").as_deref(), Some("F2"), "Dan");
    let codes = |id: i64| -> Vec<String> {
        let s = p.summary.sessions.iter().find(|s| s.id == id).unwrap();
        s.participants.iter().map(|sp| sp.code.clone()).collect()
    };
    assert!(codes(later).ends_with(&["F2".to_owned(), "F1".to_owned()]));

    let files = qdpx_files(&p.render(Format::Qdpx).unwrap());
    let qde = &files[0].1;
    let in_source = source_of_selection(qde);
    let source = |id: i64| guid("F2F", "source", &id.to_string());
    let case_sources = |code: &str| -> Vec<String> {
        let mut s: Vec<String> = refs(element(qde, "Case", code), "SelectionRef")
            .iter()
            .map(|g| in_source[g].clone())
            .collect();
        s.sort();
        s
    };
    let mut both = vec![source(interview), source(later)];
    both.sort();
    assert_eq!(
        case_sources("F1"),
        both,
        "Ruth's selections from both sessions"
    );
    assert_eq!(case_sources("F2"), [source(later)], "Dan's own");
    assert!(!qde.contains("name=\"F3\""), "two people, two cases");
    // each case names the sources its person took part in
    let f1_sources = refs(element(qde, "Case", "F1"), "SourceRef");
    assert!(f1_sources.contains(&source(interview)) && f1_sources.contains(&source(later)));
    for (name, body) in &files {
        assert!(!body.to_lowercase().contains("dan lee"), "{name}");
        assert_no_leak(body);
    }
    assert_valid_qde(qde);
    // an export of the later session alone keeps the project's codes
    let only_later = Scope {
        sessions: vec![later],
        ..all()
    };
    let p = prepare(&store, &only_later, "2026-11-23").unwrap();
    let speakers: Vec<Option<&str>> = p
        .summary
        .excerpts
        .iter()
        .map(|e| e.speaker.as_deref())
        .collect();
    assert_eq!(speakers, [Some("F2"), Some("F1")]);
}

#[test]
fn memos_travel_as_notes_anonymised_and_referred_to() {
    let store = fixture();
    with_memos(&store);
    let (interview, _) = sessions(&store);
    let p = prepare(&store, &all(), "2026-11-23").unwrap();
    assert_eq!(p.summary.memos.len(), 4, "{:?}", p.summary.memos);
    assert!(
        p.review.iter().any(|r| r.place.starts_with("memo on note")),
        "memo substitutions are reviewed"
    );
    let files = qdpx_files(&p.render(Format::Qdpx).unwrap());
    let qde = &files[0].1;
    assert_no_leak(qde);
    assert!(!qde.contains("900999"), "{qde}");
    let notes = &qde[qde.find("<Notes>").expect("a <Notes> element")..];
    let theme_memo = element(notes, "Note", "Memo on theme Safety");
    assert!(
        theme_memo.contains("P01 keeps coming back to the guards."),
        "{theme_memo}"
    );
    let session_memo = element(notes, "Note", "Memo on session Interview with P01");
    assert!(
        session_memo.contains("Ask P02 about the triage script."),
        "{session_memo}"
    );
    let p01 = note_of(&store, interview, "P01");
    let note_memo = element(notes, "Note", &format!("Memo on note {p01} (P01)"));
    assert!(
        note_memo.contains("P01 seemed tired; ring him on [PHONE]."),
        "{note_memo}"
    );
    let note_guid = |n: &str| {
        regex::Regex::new(r#"<Note guid="([^"]+)""#)
            .unwrap()
            .captures(n)
            .unwrap()[1]
            .to_owned()
    };
    // the theme's code, the session's source and the note's selection refer to them
    let code = element(qde, "Code", "Safety");
    // up to its first child code
    let code_own = &code[..code[1..].find("<Code ").map_or(code.len(), |i| i + 1)];
    assert!(
        refs(code_own, "NoteRef").contains(&note_guid(theme_memo)),
        "{code}"
    );
    let source = element(qde, "TextSource", "Interview with P01");
    assert!(refs(source, "NoteRef").contains(&note_guid(session_memo)));
    let sel = element(source, "PlainTextSelection", "P01 memo");
    assert!(
        refs(sel, "NoteRef").contains(&note_guid(note_memo)),
        "{sel}"
    );
    // the memo's selection is the whole note, and P01's case holds it
    let pos = |attr: &str| -> usize {
        let re = regex::Regex::new(&format!(r#"{attr}="(\d+)""#)).unwrap();
        re.captures(sel).unwrap()[1].parse().unwrap()
    };
    let text = &files
        .iter()
        .find(|(_, t)| t.starts_with("Interview with P01"))
        .unwrap()
        .1;
    let selected: String = text
        .chars()
        .skip(pos("startPosition"))
        .take(pos("endPosition") - pos("startPosition"))
        .collect();
    assert!(
        selected.starts_with("P01 said the queue was two hours."),
        "{selected}"
    );
    let sel_guid = regex::Regex::new(r#"guid="([^"]+)""#)
        .unwrap()
        .captures(sel)
        .unwrap()[1]
        .to_owned();
    assert!(refs(element(qde, "Case", "P01"), "SelectionRef").contains(&sel_guid));
    assert_valid_qde(qde);
    insta::assert_snapshot!("memos_project.qde", qde);
}

#[test]
fn memos_of_withheld_or_unscoped_material_stay_behind() {
    let store = fixture();
    with_memos(&store);
    store.set_restricted("F2F", "P02", true).unwrap();
    let p = prepare(&store, &all(), "2026-11-23").unwrap();
    let texts: Vec<&str> = p.summary.memos.iter().map(|m| m.text.as_str()).collect();
    // the memo on P02's note goes with the note; the session memo names Gemma (P02)
    assert_eq!(p.summary.memos.len(), 2, "{texts:?}");
    assert_eq!(p.summary.memos_withheld, 2);
    assert!(
        texts
            .iter()
            .all(|t| !t.contains("recorder") && !t.contains("triage"))
    );
    // a scope of one theme leaves out the other themes' memos and unscoped notes' memos
    store.set_restricted("F2F", "P02", false).unwrap();
    let p = prepare(
        &store,
        &Scope {
            theme: Some("Waiting times".into()),
            ..all()
        },
        "2026-11-23",
    )
    .unwrap();
    let about: Vec<&MemoAbout> = p.summary.memos.iter().map(|m| &m.about).collect();
    assert!(
        about.iter().all(|a| !matches!(a, MemoAbout::Theme { .. })),
        "{about:?}"
    );
    assert_eq!(p.summary.memos_withheld, 0);
    let files = qdpx_files(&p.render(Format::Qdpx).unwrap());
    assert!(!files[0].1.contains("guards"));
}

#[test]
fn the_leak_guard_refuses_an_identifier_left_in_a_memo() {
    let store = fixture();
    with_memos(&store);
    store.list_add("F2F", false, "07700 900999").unwrap();
    let p = prepare(&store, &all(), "2026-11-23").unwrap();
    match p.render(Format::Qdpx) {
        Err(ExportError::Leak { what, location, .. }) => {
            assert!(what.contains("phone number"), "{what}");
            assert!(location.contains("project.qde"), "{location}");
        }
        other => panic!("expected a refusal, got {:?}", other.map(|b| b.len())),
    }
}

#[test]
fn session_kind_and_month_are_source_variables_and_note_kinds_are_kept() {
    let store = fixture();
    let (interview, _) = sessions(&store);
    let files = qdpx(&store, &all());
    let qde = &files[0].1;
    for v in ["Session kind", "Session month", "Role"] {
        assert!(
            qde.contains(&format!("name=\"{v}\" typeOfVariable=\"Text\"")),
            "{v}"
        );
    }
    let value = |source: &str, var: &str| {
        let g = guid("F2F", "variable", var);
        let s = element(qde, "TextSource", source);
        let re = regex::Regex::new(&format!(
            r#"(?s)<VariableRef targetGUID="{g}"/>\s*<TextValue>([^<]*)</TextValue>"#
        ))
        .unwrap();
        re.captures(s).map(|c| c[1].to_owned())
    };
    assert_eq!(
        value("Interview with P01", "session kind").as_deref(),
        Some("interview")
    );
    assert_eq!(
        value("Interview with P01", "session month").as_deref(),
        Some("2024-03")
    );
    assert_eq!(
        value("Staff workshop", "session kind").as_deref(),
        Some("workshop")
    );
    assert_eq!(
        value("Staff workshop", "session month").as_deref(),
        Some("2024-05")
    );
    // the kind of every note in its line, and of every coded one on its selections
    let text = &files
        .iter()
        .find(|(_, t)| t.starts_with("Interview with P01"))
        .unwrap()
        .1;
    for line in [
        "P01 (verbatim quote): ",
        "P02 (paraphrase): ",
        "F1 (observation): ",
    ] {
        assert!(text.contains(line), "{line} in\n{text}");
    }
    let verbatim = store
        .notes(interview)
        .unwrap()
        .into_iter()
        .find(|n| n.kind == NoteKind::Verbatim)
        .unwrap();
    let sel = element(qde, "PlainTextSelection", "P01 Security staff");
    assert!(
        sel.contains(&format!(
            "<Description>Note {}, verbatim quote</Description>",
            verbatim.id
        )),
        "{sel}"
    );
    assert!(
        files
            .iter()
            .any(|(_, t)| t.contains("Note (idea): Water and seats"))
    );
}

#[test]
fn the_archive_is_dated_with_the_moment_of_the_export() {
    let store = fixture();
    let at = time::macros::datetime!(2026-11-23 14:05:10 +01:00);
    let p = prepare_at(&store, &all(), at).unwrap();
    assert_eq!(p.summary.generated_on, "2026-11-23");
    let bytes = p.render(Format::Qdpx).unwrap();
    let qde = &qdpx_files(&bytes)[0].1;
    let stamps: Vec<&str> = qde
        .match_indices("creationDateTime=\"")
        .map(|(i, m)| &qde[i + m.len()..i + m.len() + 20])
        .collect();
    assert!(stamps.len() > 3);
    assert!(
        stamps.iter().all(|s| *s == "2026-11-23T13:05:10Z"),
        "{stamps:?}"
    );
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    for i in 0..z.len() {
        let f = z.by_index(i).unwrap();
        let t = f.last_modified().unwrap();
        assert_eq!(
            (
                t.year(),
                t.month(),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            ),
            (2026, 11, 23, 14, 5, 10),
            "{}",
            f.name().unwrap()
        );
    }
    // a date alone is the start of its day
    let p = prepare(&store, &all(), "2026-11-23").unwrap();
    assert_eq!(
        p.summary.generated_at,
        time::macros::datetime!(2026-11-23 0:00 UTC)
    );
    assert!(prepare(&store, &all(), "23/11/2026").is_err());
}

#[test]
fn the_archive_explains_itself() {
    let store = fixture();
    with_memos(&store);
    let files = qdpx(&store, &all());
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names[..2], ["project.qde", "README.txt"]);
    let readme = &files[1].1;
    for words in [
        "Unicode code points",
        "UTF-16",
        "project F2F",
        "Case with the Role \"facilitator\"",
        "Note (under Notes)",
        "went through fieldnotes' anonymiser",
        "4 memos",
    ] {
        assert!(readme.contains(words), "{words} in\n{readme}");
    }
    assert_no_leak(readme);
}

#[test]
fn positions_count_code_points_past_an_emoji() {
    // an astral character before a coded span: positions count it as one
    let store = fixture();
    let (interview, _) = sessions(&store);
    let id = store
        .note_add(note(
            interview,
            Some("P02"),
            NoteKind::Paraphrase,
            "\u{1f642} the desk was shut",
        ))
        .unwrap();
    store.tag(id, "Safety", Some((2, 10))).unwrap();
    let files = qdpx(&store, &all());
    let qde = &files[0].1;
    let re = regex::Regex::new(r#"name="P02 Safety" startPosition="(\d+)" endPosition="(\d+)""#)
        .unwrap();
    let c = re.captures(qde).unwrap();
    let (a, b): (usize, usize) = (c[1].parse().unwrap(), c[2].parse().unwrap());
    let text = &files
        .iter()
        .find(|(_, t)| t.starts_with("Interview with P01"))
        .unwrap()
        .1;
    assert_eq!(
        text.chars().skip(a).take(b - a).collect::<String>(),
        "the desk"
    );
}
