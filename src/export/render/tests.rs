//! What the Markdown and HTML show: each note in full once, coded passages under their
//! themes, the summary first, theme colours, and pages that print well.

use super::colour;
use super::snippet::{CONTEXT, LEAD, lead, passage};
use crate::export::tests::{all, fixture, note, text};
use crate::export::{Format, prepare};
use crate::model::NoteKind;
use crate::store::{NewNote, Store};

/// A long note, well past the short form, whose last words are easy to find.
const LONG: &str = "The waiting room was full by nine and nobody told us how long it would be. \
     We sat on the floor because the seats had gone. My daughter was frightened by the \
     shouting at the desk. In the end a man from housing came down and said the system was \
     down, which is why everyone was angry at the kiosk by the lifts.";

/// The fixture with one long note by P02 tagged as a whole with three themes.
#[allow(clippy::disallowed_methods)]
fn three_themes() -> Store {
    let store = fixture();
    let s = interview(&store);
    store
        .note_add(NewNote {
            themes: vec![
                "Safety".into(),
                "Waiting times".into(),
                "Security staff".into(),
            ],
            ..note(s, Some("P02"), NoteKind::Paraphrase, LONG)
        })
        .unwrap();
    store
}

/// The fixture's interview.
#[allow(clippy::disallowed_methods)]
fn interview(store: &Store) -> i64 {
    let all = store.sessions(Some("F2F")).unwrap();
    all.iter()
        .find(|s| s.kind == crate::model::SessionKind::Interview)
        .unwrap()
        .id
}

fn themes_part(doc: &str, heading: &str) -> String {
    doc.split_once(heading)
        .map(|(_, t)| t.to_owned())
        .unwrap_or_default()
}

#[test]
fn a_note_with_three_themes_appears_in_full_once_in_each_format() {
    let store = three_themes();
    let tail = "everyone was angry at the kiosk by the lifts";
    for f in [Format::Md, Format::Html] {
        let doc = text(&store, &all(), f);
        assert_eq!(doc.matches(tail).count(), 1, "{f:?}:\n{doc}");
        // each theme still shows the note's opening, pointing to it in full
        let opening = "The waiting room was full by nine";
        assert_eq!(doc.matches(opening).count(), 4, "{f:?}:\n{doc}");
        assert!(
            doc.contains("in full at session 1, note 5"),
            "{f:?}:\n{doc}"
        );
    }
    let html = text(&store, &all(), Format::Html);
    assert!(html.contains("<li id=s1-n5>"), "{html}");
    assert!(html.contains("href=\"#s1-n5\""), "{html}");
}

#[test]
fn a_span_coding_shows_the_span_and_not_the_whole_long_note_under_its_theme() {
    let store = fixture();
    let s = interview(&store);
    let id = store
        .note_add(note(s, Some("P02"), NoteKind::Paraphrase, LONG))
        .unwrap();
    let coded = "My daughter was frightened by the shouting at the desk";
    let a = LONG.find(coded).unwrap();
    store
        .tag(id, "Security staff", Some((a, a + coded.len())))
        .unwrap();
    let md = text(&store, &all(), Format::Md);
    let themes = themes_part(&md, "\n## Themes");
    assert!(themes.contains(&format!("**{coded}**")), "{themes}");
    assert!(!themes.contains("kiosk by the lifts"), "{themes}");
    assert!(!themes.contains("full by nine"), "{themes}");
    assert!(
        themes.contains(
            "— P02, customer support officer; Interview with P01 (in full at session 1, note 5)"
        ),
        "{themes}"
    );
    let html = text(&store, &all(), Format::Html);
    let themes = themes_part(&html, "<h2>Themes</h2>");
    assert!(
        themes.contains(&format!("<mark>{coded}</mark>")),
        "{themes}"
    );
    assert!(!themes.contains("kiosk by the lifts"), "{themes}");
}

#[test]
fn the_fixture_span_is_shown_with_its_sentence_not_the_address_after_it() {
    let md = text(&fixture(), &all(), Format::Md);
    let safety = themes_part(&md, "\n### Safety");
    let safety = safety.split("\n####").next().unwrap_or_default();
    assert!(
        safety.contains("P01 said **the queue was two hours**. …"),
        "{safety}"
    );
    assert!(!safety.contains("ADDRESS"), "{safety}");
}

#[test]
fn facilitators_speak_as_prompts_and_nothing_is_left_over_as_unthemed() {
    for f in [Format::Md, Format::Html] {
        let doc = text(&fixture(), &all(), f);
        assert!(!doc.contains("Not themed"), "{f:?}:\n{doc}");
        assert!(!doc.contains("unattributed"), "{f:?}:\n{doc}");
        assert!(doc.contains("Facilitator F1 noted:"), "{f:?}:\n{doc}");
    }
    let html = text(&fixture(), &all(), Format::Html);
    assert!(html.contains("class=prompt"), "{html}");
}

#[test]
#[allow(clippy::disallowed_methods)]
fn the_summary_comes_first_with_groups_top_themes_ideas_and_what_was_left_out() {
    let store = three_themes();
    let s = interview(&store);
    store.set_restricted("F2F", "P02", true).unwrap();
    let code = store
        .participant_add(
            s,
            crate::store::NewParticipant {
                real_name: "Tomasz Nowicki".into(),
                role: Some("security officer".into()),
                ..Default::default()
            },
        )
        .unwrap();
    store
        .withdraw("F2F", &code, true, &crate::mentions::AnonymiserNames)
        .unwrap();
    let md = text(&store, &all(), Format::Md);
    let summary = md.find("## Summary").unwrap();
    assert!(summary < md.find("## Project").unwrap());
    assert!(summary < md.find("## Sessions").unwrap());
    let head = &md[summary..md.find("## Project").unwrap()];
    for want in [
        "**Sessions:** 2 (1 interview, 1 workshop)",
        "| person with lived experience | 1 | 1 |",
        "| Safety | 1 | 1 |",
        "| Security staff (under Safety) | 1 | 1 |",
        "- **person with lived experience:** Safety (1 note from 1 participant);",
        "1. Water and seats in the queue — 5 votes, cluster Welcome (Staff workshop)",
        "2. A greeter at the door — 2 votes, cluster Welcome",
        "- Security staff — 1 note",
        "2 notes were withheld because a person in them has restricted the use of their data.",
        "1 participant withdrew from the research",
    ] {
        assert!(head.contains(want), "{want:?} missing from:\n{head}");
    }
    // P02 is restricted: the group is not counted and the long note is gone
    assert!(!head.contains("customer support officer"), "{head}");
    let html = text(&store, &all(), Format::Html);
    assert!(html.find("<h2 id=summary>").unwrap() < html.find("<h2>Project</h2>").unwrap());
    assert!(html.contains("1 participant withdrew"), "{html}");
}

#[test]
fn the_codebook_nests_children_under_their_parents() {
    let md = text(&fixture(), &all(), Format::Md);
    assert!(md.contains("- Safety — 1 note\n  - Security staff — 1 note\n- Waiting times"));
    let themes = themes_part(&md, "\n## Themes");
    let parent = themes.find("\n### Safety — 1 note").unwrap();
    let child = themes.find("\n#### Security staff — 1 note").unwrap();
    assert!(parent < child, "{themes}");
    let html = text(&fixture(), &all(), Format::Html);
    assert!(
        html.contains("Safety — 1 note<ul>\n<li>") && html.contains("<h4 id=theme-2>"),
        "{html}"
    );
}

#[test]
#[allow(clippy::disallowed_methods)]
fn chart_bars_take_the_themes_own_colours_and_never_an_unsafe_one() {
    let html = text(&fixture(), &all(), Format::Html);
    assert!(
        html.contains("fill=\"#c53030\""),
        "Safety's own colour: {html}"
    );
    assert!(!html.contains("fill=\"#2b6cb0\""), "no single blue for all");
    let mut p = prepare(&fixture(), &all(), "2026-11-23").unwrap();
    let evil = "red;}</style><script>alert(1)</script>";
    for t in &mut p.summary.themes {
        t.colour = Some(evil.into());
    }
    let html = String::from_utf8(p.render(Format::Html).unwrap()).unwrap();
    assert!(
        !html.contains("<script>") && !html.contains("red;}"),
        "{html}"
    );
    assert!(html.contains("fill=\"#0072b2\""), "the palette instead");
    assert_eq!(colour::checked(" #ABCDEF ").as_deref(), Some("#abcdef"));
    assert_eq!(colour::checked("teal").as_deref(), Some("teal"));
    for bad in ["#abcd", "#ggg", "url(x)", "red;", "", "expression(1)"] {
        assert_eq!(colour::checked(bad), None, "{bad}");
    }
}

#[test]
fn html_tables_repeat_their_header_and_headings_keep_with_what_follows() {
    let html = text(&fixture(), &all(), Format::Html);
    assert!(html.contains("<table><thead><tr><th scope=col>"), "{html}");
    assert!(html.contains("</thead><tbody>"), "{html}");
    assert!(!html.contains("<table><tr>"), "{html}");
    for rule in [
        "h1,h2,h3,h4,h5,h6{break-after:avoid;page-break-after:avoid}",
        "thead{display:table-header-group}",
        "blockquote,li,tr,figure,.passage,.keep{break-inside:avoid",
    ] {
        assert!(html.contains(rule), "{rule}");
    }
}

#[test]
fn markdown_lines_that_look_like_lists_stay_text() {
    let md = super::md("1. first\n- second\n+ third\n=== fourth");
    assert_eq!(
        md,
        "1\\. first  \n  \\- second  \n  \\+ third  \n  \\=== fourth"
    );
}

#[test]
fn a_passage_takes_its_sentence_and_never_cuts_a_marker() {
    let t = "First one. Then P01 said the queue was two hours and left. After that nothing.";
    let a = t.find("the queue").unwrap();
    let x = passage(t, a, a + "the queue was two hours".len());
    assert_eq!(x.before, "Then P01 said ");
    assert_eq!(x.coded, "the queue was two hours");
    assert_eq!(x.after, " and left.");
    assert!(x.more_before && x.more_after);
    // a long run-on sentence is cut between words, within reach, outside markers
    let words = "word ".repeat(30);
    let t = format!("{words}[NHS NUMBER] and the coded words here [STREET ADDRESS] {words}");
    let a = t.find("the coded").unwrap();
    let x = passage(&t, a, a + "the coded words here".len());
    assert!(x.before.chars().count() <= CONTEXT, "{:?}", x.before);
    assert!(x.after.chars().count() <= CONTEXT, "{:?}", x.after);
    for side in [&x.before, &x.after] {
        assert_eq!(
            side.matches('[').count(),
            side.matches(']').count(),
            "{side}"
        );
    }
    // a marker that straddles the reach is left out whole, not halved
    let t = format!("{}[NHS NUMBER] coded", "x".repeat(CONTEXT - 5));
    let a = t.find("coded").unwrap();
    let x = passage(&t, a, a + 5);
    assert!(
        !x.before.contains("NUMBER]") || x.before.contains("[NHS"),
        "{x:?}"
    );
}

#[test]
fn the_short_form_of_a_note_is_its_first_sentences() {
    assert_eq!(lead("Short note."), ("Short note.".to_owned(), false));
    let (l, cut) = lead(LONG);
    assert!(cut && l.chars().count() <= LEAD, "{l}");
    assert!(l.ends_with("the seats had gone."), "{l}");
    let t = format!("{} [NHS NUMBER] more", "a ".repeat(LEAD / 2 - 3));
    let (l, _) = lead(&t);
    assert!(!l.contains("[NHS") || l.contains("NUMBER]"), "{l}");
}

#[test]
#[allow(clippy::disallowed_methods)]
fn a_span_is_shown_even_where_the_same_theme_tags_the_whole_note() {
    let store = fixture();
    let s = interview(&store);
    let id = store
        .note_add(NewNote {
            themes: vec!["Waiting times".into()],
            ..note(s, Some("P02"), NoteKind::Paraphrase, LONG)
        })
        .unwrap();
    let coded = "We sat on the floor";
    let a = LONG.find(coded).unwrap();
    store
        .tag(id, "Waiting times", Some((a, a + coded.len())))
        .unwrap();
    let md = text(&store, &all(), Format::Md);
    let waiting = themes_part(&md, "\n### Waiting times");
    assert!(waiting.contains(&format!("**{coded}**")), "{waiting}");
    assert_eq!(
        waiting.matches("(in full at session 1, note 5)").count(),
        1,
        "{waiting}"
    );
}

#[test]
#[allow(clippy::disallowed_methods)]
fn ideas_without_votes_are_not_ranked_as_top() {
    let store = fixture();
    for e in store.sessions(Some("F2F")).unwrap() {
        for n in store.notes(e.id).unwrap() {
            if n.kind == NoteKind::Idea {
                store.note_vote(n.id, -100).unwrap();
            }
        }
    }
    let md = text(&store, &all(), Format::Md);
    assert!(
        md.contains("No workshop idea has votes yet; 3 ideas are in the sessions below."),
        "{md}"
    );
    assert!(!md.contains("0 votes"), "{md}");
}

#[test]
fn bold_coded_words_keep_their_spaces_outside_the_markers() {
    assert_eq!(
        super::markdown::bold(" said [PHONE] "),
        " **said \\[PHONE\\]** "
    );
    assert_eq!(super::markdown::bold("words"), "**words**");
    assert_eq!(super::markdown::bold("  "), "  ");
}
