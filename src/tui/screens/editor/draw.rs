//! Drawing the editor: only the notes that fit are laid out, from the newest shown upwards.

use fieldnotes::text::for_terminal;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::{Editor, NoteRow, theme_completion};
use crate::tui::app::State;
use crate::tui::ui::{bold, selected, wrap};

fn note_lines(e: &Editor, row: &NoteRow, width: usize, selected_row: bool) -> Vec<Line<'static>> {
    let n = &row.note;
    let speaker = n.speaker.clone().unwrap_or_else(|| "—".into());
    let role = n
        .speaker
        .as_deref()
        .and_then(|c| e.speaker_role(c))
        .map(|r| format!(" ({r})"))
        .unwrap_or_default();
    let when = match n.offset_ms {
        Some(o) => format!("+{:02}:{:02}", o / 60_000, (o / 1000) % 60),
        None => format!("#{}", n.position),
    };
    let mut head = format!(
        "{}{when} {speaker}{role} · {}",
        if selected_row { "▶ " } else { "" },
        n.kind
    );
    if let Some(q) = n.question_id.and_then(|q| e.guide.number_of(q)) {
        head.push_str(&format!(" · Q{q}"));
    }
    if let Some(p) = &n.page {
        head.push_str(&format!(" · p.{p}"));
    }
    if let Some(c) = &n.cluster {
        head.push_str(&format!(" · [{c}]"));
    }
    if n.votes > 0 || e.session.kind == fieldnotes::model::SessionKind::Workshop {
        head.push_str(&format!(" · {}", super::ideas::votes(n.votes)));
    }
    if e.memos.iter().any(|m| m.note_id == Some(n.id) && n.id != 0) {
        head.push_str(" · ✎ memo");
    }
    if n.special_category {
        head.push_str(" · ⚑ special category");
    }
    if n.criminal_offence {
        head.push_str(" · ⚑ criminal offence");
    }
    if row.pending.is_some() {
        head.push_str(" (saving)");
    }
    if !n.themes.is_empty() {
        head.push_str(&format!("  #{}", n.themes.join(" #")));
    }
    let head_style = if selected_row { selected() } else { bold() };
    // the heading wraps too: a note's last tags must not fall off a narrow screen
    let mut lines: Vec<Line<'static>> = wrap(&for_terminal(&head, false), width.max(1))
        .into_iter()
        .map(|l| Line::styled(l, head_style))
        .collect();
    let quote = n.kind == fieldnotes::model::NoteKind::Verbatim;
    let body = if quote {
        let inner = fieldnotes::text::without_quote_marks(&n.text);
        format!("“{}”", for_terminal(inner, true).replace('\t', "    "))
    } else {
        for_terminal(&n.text, true).replace('\t', "    ")
    };
    for l in wrap(&body, width.saturating_sub(2)) {
        lines.push(Line::raw(format!("  {l}")));
    }
    lines
}

/// The lines of the notes that fit in `height` rows, in display order. Without a selection
/// they end at the newest note shown after scrolling. A selected note is always shown whole,
/// with the notes after it below it (an earlier note is picked to be read in its context,
/// not to hide what followed): when it would not fit above the newest, it is the first shown
/// and the notes after it fill the rest. Only the notes that fit are laid out.
fn visible_notes(e: &Editor, width: usize, height: usize) -> Vec<Line<'static>> {
    let order: Vec<usize> = if e.by_priority {
        e.display_order()
    } else {
        (0..e.notes.len()).collect()
    };
    let lines_of = |pos: usize| {
        let i = order[pos];
        note_lines(e, &e.notes[i], width, e.selected == Some(i))
    };
    let selected = e.selected.and_then(|i| order.iter().position(|&x| x == i));
    let mut end = order.len().saturating_sub(e.scroll);
    if let Some(p) = selected {
        end = end.max(p + 1);
    }
    // from the end upwards
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut first = end;
    while first > 0 && lines.len() < height {
        first -= 1;
        let mut l = lines_of(first);
        l.append(&mut lines);
        lines = l;
    }
    let cut = lines.len() > height;
    let shown_whole = |p: usize| p > first || (p == first && !cut);
    match selected {
        Some(p) if !shown_whole(p) => {
            // from the selected note downwards, then earlier notes if room is left
            let mut lines: Vec<Line<'static>> = Vec::new();
            let mut next = p;
            while next < order.len() && lines.len() < height {
                lines.extend(lines_of(next));
                next += 1;
            }
            let mut before = p;
            while before > 0 && lines.len() < height {
                before -= 1;
                let mut l = lines_of(before);
                if lines.len() + l.len() > height {
                    break;
                }
                l.append(&mut lines);
                lines = l;
            }
            lines.truncate(height);
            lines
        }
        _ => {
            if cut {
                lines.drain(..lines.len() - height);
            }
            lines
        }
    }
}

/// Draws the open session: the notes that fit, the speakers and the note being typed.
pub fn draw(f: &mut Frame<'_>, area: Rect, s: &State) {
    let Some(e) = &s.editor else { return };
    let g = super::guide_draw::split(e, area);
    if let Some(panel) = g.panel {
        super::guide_draw::panel(f, panel, s, e);
    }
    let area = g.editor;
    let text_w = area.width.saturating_sub(2) as usize;
    let rows: usize = e.input.lines().iter().map(|l| wrap(l, text_w).len()).sum();
    let input_h = (rows as u16)
        .saturating_add(2)
        .clamp(3, (area.height / 2).max(3));
    let [notes_area, question_area, speakers_area, input_area] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(u16::from(g.line)),
        Constraint::Length(1),
        Constraint::Length(input_h),
    ])
    .areas(area);
    if g.line {
        f.render_widget(
            Paragraph::new(super::guide_draw::line(e, question_area.width)),
            question_area,
        );
    }
    let (width, height) = (notes_area.width as usize, notes_area.height as usize);
    // ranked ideas are listed from the top; notes from the newest up, keeping a selected one
    // and the notes after it in view
    let mut lines = if e.ranked() {
        super::ideas::lines(e, width, height, |i| {
            note_lines(e, &e.notes[i], width, e.selected == Some(i))
        })
    } else {
        visible_notes(e, width, height)
    };
    if e.notes.is_empty() {
        lines.push(Line::raw("No notes yet. Type below and press Enter."));
    }
    f.render_widget(Paragraph::new(lines), notes_area);
    // speakers: pseudonyms only; the selected one in brackets and reversed (not colour alone)
    // in the order Tab goes: the facilitators, the participants, then no speaker
    let mut spans = vec![Span::raw("Speaker:")];
    let sel = e.speaker;
    for (i, code) in e.speakers().iter().enumerate() {
        let label = format!("{}{}", i + 1, for_terminal(code, false));
        spans.push(Span::raw(" "));
        spans.push(if sel == Some(i) {
            Span::styled(format!("[{label}]"), selected())
        } else {
            Span::raw(format!(" {label} "))
        });
    }
    spans.push(Span::raw(" "));
    spans.push(if sel.is_none() {
        Span::styled("[none]", selected())
    } else {
        Span::raw(" none ")
    });
    if let Some(c) = theme_completion(e) {
        let style = if s.config.high_contrast {
            bold()
        } else {
            Style::new().fg(s.config.accent)
        };
        spans.push(Span::styled(format!("  → #{c}"), style));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), speakers_area);
    let title = fit_segments(&input_title(e), input_area.width);
    let mut input = e.input.clone();
    input.set_block(Block::default().borders(Borders::ALL).title(title));
    f.render_widget(&input, input_area);
}

/// A title cut to a box of `width` between its ` · ` parts, marked with "…", so a narrow
/// screen shows whole words (the speaker and kind first) rather than a part cut mid-word.
fn fit_segments(title: &str, width: u16) -> String {
    use unicode_width::UnicodeWidthStr;
    let room = usize::from(width.saturating_sub(2));
    if title.width() <= room {
        return title.to_owned();
    }
    let parts: Vec<&str> = title.trim_end().split(" · ").collect();
    for n in (1..parts.len()).rev() {
        let head = format!("{} · … ", parts[..n].join(" · "));
        if head.width() <= room {
            return head;
        }
    }
    title.chars().take(room).collect()
}

/// Who is speaking and what kind of note this is, first in the input's title, where the
/// eye is while typing: " P01 · verbatim · ", with "kept" when the kind stays for the
/// following notes.
fn speaker_and_kind(e: &Editor) -> String {
    let who = e
        .speaker_code()
        .map(|c| for_terminal(&c, false))
        .unwrap_or_else(|| "no speaker".into());
    let keep = if e.keep_kind { " (kept)" } else { "" };
    format!(" {who} · {}{keep} ·", e.kind)
}

fn input_title(e: &Editor) -> String {
    let title = format!("{}{}", speaker_and_kind(e), input_title_base(e));
    let mut flags: Vec<String> = Vec::new();
    if e.special {
        flags.push("⚑ special category".into());
    }
    if e.criminal {
        flags.push("⚑ criminal offence".into());
    }
    if let Some(q) = quote_consent_flag(e) {
        flags.push(q);
    }
    if flags.is_empty() {
        title
    } else {
        format!("{}· {} ", title, flags.join(" · "))
    }
}

/// A verbatim quote from a participant who did not agree to be quoted word for word, or who
/// approves quotes first, says so while it is typed: outputs will withhold it.
fn quote_consent_flag(e: &Editor) -> Option<String> {
    use fieldnotes::model::{NoteKind, QuoteConsent};
    if e.kind != NoteKind::Verbatim {
        return None;
    }
    let code = e.speaker_code()?;
    let p = e.participants.iter().find(|p| p.pseudonym == code)?;
    let code = for_terminal(&code, false);
    match p.quote_consent? {
        QuoteConsent::No => Some(format!("{code} not to be quoted: outputs withhold it")),
        QuoteConsent::Approval => Some(format!("{code} approves quotes first")),
        QuoteConsent::Yes => None,
    }
}

fn input_title_base(e: &Editor) -> String {
    if e.editing.is_some() {
        return " Editing the selected note — Enter saves, Esc cancels ".into();
    }
    let group = e.group.as_deref().map(|g| for_terminal(g, false));
    match (e.session.kind, e.session.source) {
        (fieldnotes::model::SessionKind::Workshop, _) => {
            let sort = if e.by_priority {
                "by votes"
            } else {
                "as written"
            };
            let grouped = if e.by_cluster {
                " · grouped by cluster"
            } else {
                ""
            };
            match group {
                Some(g) => format!(" New idea in cluster [{g}] · sorted {sort}{grouped} "),
                None => format!(" New idea · sorted {sort}{grouped} "),
            }
        }
        (fieldnotes::model::SessionKind::Review, _) => {
            let system = e
                .session
                .review
                .as_ref()
                .map(|r| for_terminal(&r.system, false))
                .unwrap_or_default();
            format!(" Record review of {system} · Ctrl+P adds a subject of the records ")
        }
        (_, fieldnotes::model::Source::Paper) => {
            let by = e
                .session
                .paper
                .written_by
                .as_deref()
                .map(|w| format!(" by {}", for_terminal(w, false)))
                .unwrap_or_default();
            let page = group.map(|g| format!(" · page {g}")).unwrap_or_default();
            let destroyed = match &e.session.paper.destroyed_on {
                Some(d) => format!(" · original destroyed {d}"),
                None => " · original kept".into(),
            };
            format!(" Paper notes{by}{page}{destroyed} ")
        }
        _ => " New note ".into(),
    }
}
