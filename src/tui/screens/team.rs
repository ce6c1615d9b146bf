//! A team project's exchange: what this vault has waiting to send, what came from whom, and
//! the edits that clashed with another member's. Sending and receiving are `fieldnotes team
//! send` and `team receive` (bundles go by whatever the council shares files with).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::move_selection;
use crate::tui::app::{Screen, State};
use crate::tui::keys::Action;
use crate::tui::worker::Request;
use fieldnotes::team::{Member, Role, Status};
use fieldnotes::text::for_terminal;

/// What the team screen shows.
#[derive(Debug, Default)]
pub struct TeamView {
    /// The project's exchange, or why there is none (not a team project).
    pub status: Option<Status>,
    /// The team.
    pub members: Vec<Member>,
    /// First line shown.
    pub scroll: usize,
}

/// The status arrived.
pub fn loaded(s: &mut State, status: Status, members: Vec<Member>) {
    s.busy = None;
    s.team = TeamView {
        status: Some(status),
        members,
        scroll: 0,
    };
    s.screen = Screen::Team;
}

/// An action on the team screen.
pub fn on_action(s: &mut State, action: Option<Action>, reqs: &mut Vec<Request>) {
    let n = lines(&s.team).len();
    if move_selection(&mut s.team.scroll, n, action) {
        return;
    }
    if let Some(Action::Back) = action {
        s.screen = Screen::Projects;
        reqs.push(Request::Projects);
    }
}

fn lines(v: &TeamView) -> Vec<String> {
    let t = |x: &str| for_terminal(x, false);
    let Some(st) = &v.status else {
        return Vec::new();
    };
    let mut out = vec![
        format!(
            "Waiting to be sent: {} changes{}. Bundles sent so far: {}.",
            st.waiting,
            if st.full_next {
                " (the next bundle holds the whole project, for a new member)"
            } else {
                ""
            },
            st.sent
        ),
        format!(
            "Send them with: fieldnotes team send --project \"{}\" --to FOLDER",
            t(&st.project)
        ),
        String::new(),
        "Received:".to_owned(),
    ];
    if st.received.is_empty() {
        out.push("  nothing yet (fieldnotes team receive FOLDER)".to_owned());
    }
    for (who, seq, at) in &st.received {
        out.push(format!(
            "  from {}: up to bundle {seq}, on {}",
            t(who),
            t(at)
        ));
    }
    out.push(String::new());
    out.push("Team:".to_owned());
    for m in &v.members {
        let role = match m.role {
            Role::Lead => "lead",
            Role::Member => "member",
        };
        let removed = m
            .removed_on
            .as_deref()
            .map(|d| format!(", removed {d}"))
            .unwrap_or_default();
        out.push(format!("  {} ({role}{removed})", t(&m.name)));
    }
    if !st.conflicts.is_empty() {
        out.push(String::new());
        out.push(format!(
            "Edits that clashed with another member's ({}): the value kept, then theirs",
            st.conflicts.len()
        ));
        for c in &st.conflicts {
            out.push(format!(
                "  {} on {}: kept {}",
                t(&c.table),
                t(&c.at),
                t(&c.kept)
            ));
            out.push(format!("    {} had {}", t(&c.other_by), t(&c.other)));
        }
    }
    out
}

/// Draws the team screen.
pub fn draw(f: &mut Frame<'_>, area: Rect, s: &State) {
    let all = lines(&s.team);
    let shown: Vec<Line<'_>> = all
        .into_iter()
        .skip(s.team.scroll)
        .map(Line::from)
        .collect();
    let title = " Team: what waits to be sent, what came from whom — ↑↓ scroll · Esc back ";
    let p = Paragraph::new(shown).wrap(Wrap { trim: false }).block(
        Block::default()
            .borders(Borders::ALL)
            .title(crate::tui::ui::fit_title(title, area.width)),
    );
    f.render_widget(p, area);
}

#[cfg(test)]
mod tests {
    use super::super::table::{c, check, k};
    use crate::tui::keys::{Action, Section};
    use crossterm::event::KeyCode;

    #[test]
    fn team_keys() {
        check(
            Section::Team,
            &[
                (k(KeyCode::Up), Some(Action::Up)),
                (k(KeyCode::Down), Some(Action::Down)),
                (k(KeyCode::Esc), Some(Action::Back)),
                (c('?'), Some(Action::Help)),
            ],
        );
    }
}
