//! Workshop ideas sorted by votes (most first) or grouped under their cluster: listed from
//! the top, like a ranking on a flip chart, with a heading for each cluster.

use ratatui::text::Line;

use super::Editor;
use crate::tui::ui::bold;
use fieldnotes::text::for_terminal;

/// Indices of the notes in the order shown.
pub fn order(e: &Editor) -> Vec<usize> {
    let mut order: Vec<usize> = (0..e.notes.len()).collect();
    let workshop = e.session.kind == fieldnotes::model::SessionKind::Workshop;
    if workshop && e.by_cluster {
        // clusters in the order their first idea was written; ideas without one last
        let mut firsts: Vec<&str> = Vec::new();
        for r in &e.notes {
            if let Some(c) = r.note.cluster.as_deref()
                && !firsts.contains(&c)
            {
                firsts.push(c);
            }
        }
        let rank = |i: usize| {
            e.notes[i]
                .note
                .cluster
                .as_deref()
                .and_then(|c| firsts.iter().position(|x| *x == c))
                .unwrap_or(firsts.len())
        };
        order.sort_by_key(|&i| rank(i));
    }
    if workshop && e.by_priority {
        // stable: ties keep the order they were written in (and their cluster)
        let cluster_rank: Vec<usize> = if e.by_cluster {
            let mut ranks = vec![0; e.notes.len()];
            let mut last: Option<Option<&str>> = None;
            let mut k = 0;
            for &i in &order {
                let c = e.notes[i].note.cluster.as_deref();
                if last.is_some_and(|l| l != c) {
                    k += 1;
                }
                last = Some(c);
                ranks[i] = k;
            }
            ranks
        } else {
            vec![0; e.notes.len()]
        };
        order.sort_by_key(|&i| (cluster_rank[i], std::cmp::Reverse(e.notes[i].note.votes)));
    }
    order
}

/// What the status line says after switching the view.
pub fn view_message(e: &Editor) -> &'static str {
    match (e.by_priority, e.by_cluster) {
        (true, true) => "Ideas by cluster, most votes first in each.",
        (true, false) => "Ideas by votes, most votes first.",
        (false, true) => "Ideas grouped by cluster, as written in each.",
        (false, false) => "Ideas as written.",
    }
}

/// Moves the selection through the ranked list, keeping it near the top of the view with
/// the ideas after it showing below.
pub fn select(e: &mut Editor, up: bool) {
    let order = order(e);
    let pos = e.selected.and_then(|i| order.iter().position(|&x| x == i));
    let next = match (pos, up) {
        (None, true) => order.len().checked_sub(1),
        (None, false) => (!order.is_empty()).then_some(0),
        (Some(p), true) => p.checked_sub(1),
        (Some(p), false) if p + 1 < order.len() => Some(p + 1),
        (Some(_), false) => None,
    };
    e.selected = next.map(|p| order[p]);
    e.top = next.map_or(0, |p| p.saturating_sub(2));
}

/// "1 vote", "2 votes".
pub fn votes(n: i64) -> String {
    format!("{n} vote{}", if n == 1 { "" } else { "s" })
}

/// The lines of the ranked list that fit `height`, from `e.top`, with a heading before each
/// cluster when grouped.
pub fn lines(
    e: &Editor,
    width: usize,
    height: usize,
    note_lines: impl Fn(usize) -> Vec<Line<'static>>,
) -> Vec<Line<'static>> {
    let order = order(e);
    let mut out: Vec<Line<'static>> = Vec::new();
    let mut last: Option<Option<&str>> = None;
    for (pos, &i) in order.iter().enumerate() {
        let cluster = e.notes[i].note.cluster.as_deref();
        let heading = e.by_cluster && last != Some(cluster);
        last = Some(cluster);
        if pos < e.top {
            continue;
        }
        if heading {
            out.push(heading_line(e, cluster, width));
        }
        out.extend(note_lines(i));
        if out.len() >= height {
            break;
        }
    }
    out.truncate(height);
    out
}

fn heading_line(e: &Editor, cluster: Option<&str>, width: usize) -> Line<'static> {
    let in_it = e
        .notes
        .iter()
        .filter(|r| r.note.cluster.as_deref() == cluster);
    let (n, v) = in_it.fold((0, 0), |(n, v), r| (n + 1, v + r.note.votes));
    let name = match cluster {
        Some(c) => format!("Cluster: {}", for_terminal(c, false)),
        None => "No cluster".to_owned(),
    };
    let text = format!(
        "── {name} · {n} idea{} · {} ",
        if n == 1 { "" } else { "s" },
        votes(v)
    );
    let fill = width.saturating_sub(text.chars().count());
    Line::styled(format!("{text}{}", "─".repeat(fill)), bold())
}
