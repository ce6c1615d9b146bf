//! The reading view: coding spans with the keyboard and the mouse.

use super::*;

#[test]
fn reading_view_tags_a_selected_span_with_a_number_and_undoes_it() {
    let mut s = in_reader();
    snap_both("reading", &s);
    // "said" in the first note: a word right, one more, then four with Shift
    update(&mut s, ctrl_key(KeyCode::Right));
    update(&mut s, key(KeyCode::Right));
    for _ in 0..4 {
        update(&mut s, shift(KeyCode::Right));
    }
    let r = s.reader.as_ref().unwrap();
    assert_eq!(r.selection(), Some((11, 15)));
    let first3: Vec<Option<&str>> = r.slots[..3].iter().map(|t| t.as_deref()).collect();
    assert_eq!(first3, [Some("Safety"), Some("Guards"), Some("Waiting")]);
    let reqs = update(&mut s, key(KeyCode::Char('3')));
    let id = s.reader.as_ref().unwrap().notes[0].id;
    assert!(
        matches!(&reqs[..], [Request::TagSpan { note, theme, span: Some((11, 15)) }] if *note == id && theme == "Waiting")
    );
    assert_eq!(
        s.reader.as_ref().unwrap().slots[2].as_deref(),
        Some("Waiting"),
        "a number key keeps its theme after use"
    );
    // with no selection a number tags the whole note
    let reqs = update(&mut s, key(KeyCode::Char('2')));
    assert!(matches!(&reqs[..], [Request::TagSpan { span: None, .. }]));
    let reqs = update(&mut s, key(KeyCode::Char('u')));
    assert!(
        matches!(&reqs[..], [Request::UntagSpan { span: None, theme, .. }] if theme == "Guards")
    );
    update(&mut s, key(KeyCode::Char('/')));
    type_str(&mut s, "grd");
    let reqs = update(&mut s, key(KeyCode::Enter));
    assert!(matches!(&reqs[..], [Request::TagSpan { theme, .. }] if theme == "Guards"));
}

#[test]
fn reading_view_selects_a_span_by_dragging_the_mouse() {
    let mut s = in_reader();
    // drawing records where each character is; the first note starts after "P01: "
    let out = render_and_remember(&mut s, 100, 30);
    let row = out.lines().nth(2).unwrap();
    assert!(row.contains("P01: Abdirahman said"), "{row}");
    update(&mut s, Msg::Click(1 + 5 + 11, 2));
    update(&mut s, Msg::Drag(1 + 5 + 14, 2));
    let r = s.reader.as_ref().unwrap();
    assert_eq!(r.selection(), Some((11, 15)), "'said' is selected");
    let reqs = update(&mut s, key(KeyCode::Char('1')));
    assert!(matches!(
        &reqs[..],
        [Request::TagSpan {
            span: Some((11, 15)),
            ..
        }]
    ));
    // a click on the second note moves there
    render_and_remember(&mut s, 100, 30);
    update(&mut s, Msg::Click(8, 4));
    assert_eq!(s.reader.as_ref().unwrap().note, 1);
}
