//! Multi-field forms: a new vault, a project's record (lawful basis, DPIA, retention), a
//! session, a participant with consent; record reviews and disclosures in `records`. Keys
//! and drawing.

use std::ops::Deref;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use secrecy::SecretString;
use zeroize::{Zeroize, Zeroizing};

use crate::tui::keys::Action;
use crate::tui::ui::{bold, centered, selected, wrap};
use crate::tui::worker::Request;
use fieldnotes::app::{NewParticipant, NewProject, NewSession};
use fieldnotes::model::{self, Consent, PaperOrigin, Project, QuoteConsent, SessionKind, Source};
use fieldnotes::text::for_terminal;

/// What a form creates or changes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum FormKind {
    /// A vault, with its passphrase.
    NewVault,
    /// A project.
    NewProject,
    /// An existing project (by its current name).
    EditProject(String),
    /// A session of the open project.
    NewSession(String),
    /// An existing session (id, project).
    EditSession(i64, String),
    /// A participant of a session.
    NewParticipant(i64),
    /// A record review of the open project.
    NewReview(String),
    /// An existing record review (id, project).
    EditReview(i64, String),
    /// A subject of the records a review (by session id) reads.
    NewSubject(i64),
    /// A disclosure of a project.
    NewDisclosure(String),
}

/// Text typed into a field or the unlock screen. It may be a passphrase or a name, so it is
/// zeroed when dropped or cleared, grows without leaving copies in freed memory, and has no
/// `Debug` or `Display`: it cannot reach a log line or a panic message.
#[derive(Default)]
pub struct Typed(Zeroizing<String>);

impl Typed {
    /// A field filled in advance (e.g. from the record being edited).
    pub fn new(text: &str) -> Self {
        let mut t = Self::default();
        t.push_str(text);
        t
    }

    /// Appends one character.
    pub fn push(&mut self, c: char) {
        self.reserve(c.len_utf8());
        self.0.push(c);
    }

    /// Appends text.
    pub fn push_str(&mut self, text: &str) {
        self.reserve(text.len());
        self.0.push_str(text);
    }

    /// The text, for checks and display (never for a secret field's display). Only tests read
    /// a field back this way; the app hands it on as a secret (`secret`, `take`).
    #[cfg(test)]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Deletes the last character (its bytes stay in the buffer until the next clear or the
    /// drop, both of which zero the whole capacity).
    pub fn pop(&mut self) {
        self.0.pop();
    }

    /// Zeroes the text and empties it.
    pub fn clear(&mut self) {
        self.0.zeroize();
    }

    /// A copy for a request, in a buffer of exactly its length (so turning it into a boxed
    /// secret never reallocates and leaves no stray copy).
    pub fn secret(&self) -> SecretString {
        SecretString::from(self.0.as_str())
    }

    /// Hands the text over as a secret and leaves this empty and zeroed.
    pub fn take(&mut self) -> SecretString {
        let s = self.secret();
        self.clear();
        s
    }

    /// Growing a `String` copies it to a new buffer and frees the old one unzeroed; growing
    /// here copies into a zeroizing buffer and drops (so zeroes) the old one.
    fn reserve(&mut self, more: usize) {
        let need = self.0.len() + more;
        if need > self.0.capacity() {
            let mut bigger = Zeroizing::new(String::with_capacity(
                need.max(32).max(self.0.capacity() * 2),
            ));
            bigger.push_str(&self.0);
            self.0 = bigger;
        }
    }
}

impl Deref for Typed {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

/// One input line.
pub struct Field {
    /// Label.
    pub label: &'static str,
    /// What was typed.
    pub value: Typed,
    /// Never shown, not even its length.
    pub secret: bool,
    /// Help under the form when this field has the focus.
    pub hint: &'static str,
}

fn field(label: &'static str, value: &str, hint: &'static str) -> Field {
    Field {
        label,
        value: Typed::new(value),
        secret: false,
        hint,
    }
}

/// A form on screen.
pub struct Form {
    /// What it is for.
    pub kind: FormKind,
    /// Title.
    pub title: &'static str,
    /// Its fields.
    pub fields: Vec<Field>,
    /// Focused field.
    pub focus: usize,
    /// Why the last submit failed; set only through [`Form::refuse`], which also empties
    /// the secret fields.
    error: Option<String>,
    /// Something was typed, deleted or pasted since the form opened.
    pub touched: bool,
}

/// A form kept in the vault through a lock: what it was for and what its fields held (never
/// a secret field: only the vault's own form has those, and it is never kept).
#[derive(serde::Serialize, serde::Deserialize)]
pub struct KeptForm {
    kind: FormKind,
    values: Vec<String>,
    focus: usize,
}

impl Form {
    /// Whether the user typed into it: what a lock must not lose.
    pub fn has_typing(&self) -> bool {
        self.kind != FormKind::NewVault && self.touched
    }

    /// The form as the vault keeps it through a lock, or none for a form with secrets.
    pub fn kept(&self) -> Option<String> {
        if self.kind == FormKind::NewVault || self.fields.iter().any(|f| f.secret) {
            return None;
        }
        let kept = KeptForm {
            kind: self.kind.clone(),
            values: self.fields.iter().map(|f| f.value.to_string()).collect(),
            focus: self.focus,
        };
        serde_json::to_string(&kept).ok()
    }

    /// A form kept through a lock, opened again as it was.
    pub fn from_kept(json: &str) -> Option<Self> {
        let k: KeptForm = serde_json::from_str(json).ok()?;
        let mut f = match &k.kind {
            FormKind::NewVault => return None,
            FormKind::NewProject => Self::project(None),
            FormKind::EditProject(_) => {
                let mut f = Self::project(None);
                f.title = "Edit the project";
                f
            }
            FormKind::NewSession(p) => Self::session(p, ""),
            FormKind::EditSession(_, p) => {
                let mut f = Self::session(p, "");
                f.title = "Edit the session";
                f
            }
            FormKind::NewParticipant(id) => Self::participant(*id, ""),
            FormKind::NewReview(p) => Self::review(p, ""),
            FormKind::EditReview(_, p) => {
                let mut f = Self::review(p, "");
                f.title = "Edit the record review";
                f
            }
            FormKind::NewSubject(id) => Self::subject(*id),
            FormKind::NewDisclosure(p) => Self::disclosure(p, ""),
        };
        if k.values.len() != f.fields.len() {
            return None;
        }
        for (field, v) in f.fields.iter_mut().zip(&k.values) {
            field.value = Typed::new(v);
        }
        f.kind = k.kind;
        f.focus = k.focus.min(f.fields.len().saturating_sub(1));
        f.touched = true;
        Some(f)
    }

    /// A new vault's passphrase, asked twice.
    pub fn new_vault() -> Self {
        let secret = |label, hint| Field {
            secret: true,
            ..field(label, "", hint)
        };
        Self::with(
            FormKind::NewVault,
            "Create a vault",
            vec![
                secret(
                    "Passphrase",
                    "A few unrelated words work well; nothing shows as you type.",
                ),
                secret(
                    "Passphrase again",
                    "Type it once more. Without it nobody can read the notes.",
                ),
            ],
        )
    }

    /// A project's record, empty or from an existing project.
    pub fn project(existing: Option<&Project>) -> Self {
        let v = |f: Option<&Option<String>>| f.and_then(|x| x.clone()).unwrap_or_default();
        let p = existing;
        let fields = vec![
            field(
                "Name",
                &p.map(|p| p.name.clone()).unwrap_or_default(),
                "A short name, e.g. F2F.",
            ),
            field(
                "Purpose",
                &v(p.map(|p| &p.purpose)),
                "Why the data is collected.",
            ),
            field(
                "Lawful basis (Art. 6)",
                &v(p.map(|p| &p.lawful_basis)),
                "e.g. 6(1)(e) public task",
            ),
            field(
                "Special category (Art. 9)",
                &v(p.map(|p| &p.special_category_condition)),
                "e.g. 9(2)(g) substantial public interest",
            ),
            field(
                "DPA 2018 Schedule 1",
                &v(p.map(|p| &p.schedule1_condition)),
                "e.g. Sch. 1 Pt 2 para 6, statutory purposes",
            ),
            field(
                "Criminal offence (Art. 10)",
                &v(p.map(|p| &p.criminal_offence_basis)),
                "Only if notes may hold criminal-offence data.",
            ),
            field(
                "DPIA reference",
                &v(p.map(|p| &p.dpia_ref)),
                "The DPIA's reference number.",
            ),
            field(
                "Data controller",
                &v(p.map(|p| &p.controller)),
                "e.g. the council.",
            ),
            field(
                "Retention (months)",
                &p.and_then(|p| p.retention_months)
                    .map(|m| m.to_string())
                    .unwrap_or_default(),
                "Months after a session before its data is destroyed.",
            ),
        ];
        match p {
            Some(p) => Self::with(
                FormKind::EditProject(p.name.clone()),
                "Edit the project",
                fields,
            ),
            None => Self::with(FormKind::NewProject, "New project", fields),
        }
    }

    /// A session of `project`.
    pub fn session(project: &str, today: &str) -> Self {
        Self::with(
            FormKind::NewSession(project.to_owned()),
            "New session",
            vec![
                field("Title", "", "e.g. Security officer 2"),
                field("Kind", "interview", "interview or workshop"),
                field(
                    "Source",
                    "live",
                    "live (typed now) or paper (transcribed later)",
                ),
                field("Date", today, "YYYY-MM-DD"),
                field("Location", "", "Where it took place."),
                field(
                    "Facilitators",
                    "",
                    "Names, separated by commas; they speak as F1, F2…",
                ),
                field("Paper written by", "", "Paper notes only: who wrote them."),
                field("Paper written on", "", "Paper notes only: YYYY-MM-DD."),
            ],
        )
    }

    /// An existing session's record.
    pub fn session_edit(x: &fieldnotes::model::Session) -> Self {
        let mut f = Self::session(&x.project, x.date.as_deref().unwrap_or(""));
        f.kind = FormKind::EditSession(x.id, x.project.clone());
        f.title = "Edit the session";
        let values = [
            x.title.clone(),
            x.kind.to_string(),
            x.source.to_string(),
            x.date.clone().unwrap_or_default(),
            x.location.clone().unwrap_or_default(),
            x.facilitators.join(", "),
            x.paper.written_by.clone().unwrap_or_default(),
            x.paper.written_on.clone().unwrap_or_default(),
        ];
        for (field, v) in f.fields.iter_mut().zip(values) {
            field.value = Typed::new(&v);
        }
        f
    }

    /// A participant of a session.
    pub fn participant(session_id: i64, today: &str) -> Self {
        Self::with(
            FormKind::NewParticipant(session_id),
            "New participant",
            vec![
                field(
                    "Name",
                    "",
                    "Kept only inside the vault; the screen shows their pseudonym.",
                ),
                field(
                    "Role or group",
                    "",
                    "e.g. security officer, person with lived experience",
                ),
                field("Consent", "given", "given, refused or withdrawn"),
                field(
                    "Quote word for word",
                    "",
                    "yes, no or approval (only quotes they approve); blank: not recorded",
                ),
                field("Consent date", today, "YYYY-MM-DD"),
                field("Consent form version", "", "e.g. v2.1"),
            ],
        )
    }

    fn with(kind: FormKind, title: &'static str, fields: Vec<Field>) -> Self {
        Self {
            kind,
            title,
            fields,
            focus: 0,
            error: None,
            touched: false,
        }
    }

    /// Why the last submit was refused, if it was.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Refuses what was submitted, saying why. Every secret field is zeroed and emptied and
    /// the cursor goes to the first of them: text typed next must never be appended to a
    /// refused passphrase (it would become a passphrase the user never typed). Every error
    /// path of a form goes through here, whoever refused it (the form itself or the worker).
    pub fn refuse(&mut self, why: String) {
        let first_secret = self.clear_secrets();
        self.error = Some(match first_secret {
            Some(_) => format!("{why}. The passphrase fields are now empty: type it again"),
            None => why,
        });
    }

    /// Zeroes every secret field and moves the cursor to the first; returns its index.
    fn clear_secrets(&mut self) -> Option<usize> {
        let mut first = None;
        for (i, f) in self.fields.iter_mut().enumerate().filter(|(_, f)| f.secret) {
            f.value.clear();
            first.get_or_insert(i);
        }
        if let Some(i) = first {
            self.focus = i;
        }
        first
    }

    fn value(&self, i: usize) -> Option<String> {
        self.fields
            .get(i)
            .map(|f| f.value.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    /// Handles a key; returns a request when the form is submitted and valid.
    pub fn on_key(&mut self, action: Option<Action>, k: KeyEvent) -> Option<Request> {
        let n = self.fields.len();
        match action {
            Some(Action::NextField) => self.focus = (self.focus + 1) % n,
            Some(Action::PrevField) => self.focus = (self.focus + n - 1) % n,
            Some(Action::NextOrSave) if self.focus + 1 < n => self.focus += 1,
            Some(Action::NextOrSave | Action::Save) => return self.submit(),
            Some(Action::DeleteChar) => {
                self.fields[self.focus].value.pop();
                self.touched = true;
            }
            _ => {
                if let KeyCode::Char(c) = k.code
                    && !k.modifiers.contains(KeyModifiers::CONTROL)
                {
                    self.fields[self.focus].value.push(c);
                    self.touched = true;
                }
            }
        }
        None
    }

    /// Pasted text goes into the focused field (one line).
    pub fn paste(&mut self, text: &str) {
        let line: String = text
            .chars()
            .filter(|c| !fieldnotes::text::is_unsafe_for_terminal(*c))
            .collect();
        self.fields[self.focus].value.push_str(&line);
        self.touched = true;
    }

    /// A secret leaves its field once, on submit, into the request; the field is emptied
    /// whether the form is accepted or refused, so a later refusal by the worker (too weak)
    /// finds nothing to append to either.
    fn submit(&mut self) -> Option<Request> {
        match self.build() {
            Ok(r) => {
                self.error = None;
                self.clear_secrets();
                Some(r)
            }
            Err(e) => {
                self.refuse(e);
                None
            }
        }
    }

    fn build(&self) -> Result<Request, String> {
        match &self.kind {
            FormKind::NewVault => {
                let (a, b) = (&self.fields[0].value, &self.fields[1].value);
                if a.is_empty() {
                    return Err("type a passphrase".into());
                }
                if **a != **b {
                    return Err("the two passphrases differ".into());
                }
                Ok(Request::Init(a.secret()))
            }
            FormKind::NewProject | FormKind::EditProject(_) => {
                let retention = match self.value(8) {
                    None => None,
                    Some(m) => Some(
                        m.parse::<u32>()
                            .ok()
                            .filter(|m| *m > 0)
                            .ok_or("retention is a number of months, e.g. 24")?,
                    ),
                };
                // the same bounds the vault applies, said before the form closes
                fieldnotes::app::projects::check_retention_months(retention)
                    .map_err(|e| e.to_string())?;
                let p = NewProject {
                    name: self.value(0).ok_or("a project needs a name")?,
                    purpose: self.value(1),
                    lawful_basis: self.value(2),
                    special_category_condition: self.value(3),
                    schedule1_condition: self.value(4),
                    criminal_offence_basis: self.value(5),
                    dpia_ref: self.value(6),
                    controller: self.value(7),
                    retention_months: retention,
                };
                Ok(match &self.kind {
                    FormKind::EditProject(orig) => Request::UpdateProject(orig.clone(), p),
                    _ => Request::AddProject(p),
                })
            }
            FormKind::NewSession(project) | FormKind::EditSession(_, project) => {
                let kind: SessionKind = self
                    .value(1)
                    .unwrap_or_default()
                    .parse()
                    .map_err(|e: model::ParseEnumError| e.to_string())?;
                let source: Source = self
                    .value(2)
                    .unwrap_or_default()
                    .parse()
                    .map_err(|e: model::ParseEnumError| e.to_string())?;
                let date = self.value(3).map(|d| model::parse_date(&d)).transpose()?;
                let written_on = self.value(7).map(|d| model::parse_date(&d)).transpose()?;
                let record = NewSession {
                    project: project.clone(),
                    kind,
                    title: self.value(0).ok_or("a session needs a title")?,
                    date,
                    location: self.value(4),
                    source,
                    paper: PaperOrigin {
                        written_by: self.value(6),
                        written_on,
                        destroyed_on: None,
                    },
                    facilitators: self
                        .value(5)
                        .map(|f| f.split(',').map(|x| x.trim().to_owned()).collect())
                        .unwrap_or_default(),
                };
                Ok(match &self.kind {
                    FormKind::EditSession(id, _) => Request::UpdateSession(*id, record),
                    _ => Request::AddSession(record),
                })
            }
            FormKind::NewReview(_)
            | FormKind::EditReview(..)
            | FormKind::NewSubject(_)
            | FormKind::NewDisclosure(_) => self.build_record(),
            FormKind::NewParticipant(session_id) => {
                let consent = self
                    .value(2)
                    .map(|c| c.parse::<Consent>())
                    .transpose()
                    .map_err(|e| e.to_string())?;
                let quote_consent = self
                    .value(3)
                    .map(|c| c.parse::<QuoteConsent>())
                    .transpose()
                    .map_err(|e| e.to_string())?;
                Ok(Request::AddParticipant {
                    session_id: *session_id,
                    participant: NewParticipant {
                        real_name: self.value(0).ok_or("a participant needs a name")?,
                        role: self.value(1),
                        consent,
                        consent_date: self.value(4).map(|d| model::parse_date(&d)).transpose()?,
                        consent_form: self.value(5),
                        pseudonym: None,
                        quote_consent,
                        ..NewParticipant::default()
                    },
                })
            }
        }
    }
}

/// Draws a form over `area`; `busy` is the running request's word ("Saving…").
pub fn draw(f: &mut Frame<'_>, area: Rect, form: &Form, busy: Option<&str>) {
    let hint = form.fields.get(form.focus).map(|x| x.hint).unwrap_or("");
    let status = match (busy, form.error()) {
        (Some(b), _) => b.to_owned(),
        (None, Some(e)) => format!("Not saved: {}", for_terminal(e, false)),
        (None, None) => {
            "Tab/↑↓ move · Enter next (saves on the last) · Ctrl+S save · Esc cancel".into()
        }
    };
    let w = 78.min(area.width);
    let inner_w = usize::from(w.saturating_sub(2));
    let label_w = form
        .fields
        .iter()
        .map(|x| x.label.chars().count())
        .max()
        .unwrap_or(10)
        + 1;
    // a long value wraps under itself, never back under the labels
    let value_x = (label_w + 3).min(inner_w / 2);
    let value_w = inner_w.saturating_sub(value_x).max(1);
    let mut field_lines: Vec<Line<'_>> = Vec::new();
    let mut focus_rows = (0, 0);
    for (i, fl) in form.fields.iter().enumerate() {
        // no cursor while a request runs: keys are not taken then
        let focused = i == form.focus && busy.is_none();
        let value = if fl.secret {
            if focused { "(hidden) ▏" } else { "(hidden)" }.to_owned()
        } else {
            format!(
                "{}{}",
                for_terminal(&fl.value, false),
                if focused { "▏" } else { "" }
            )
        };
        let label: String = format!("{:<label_w$}", fl.label)
            .chars()
            .take(value_x.saturating_sub(3))
            .collect();
        let label = if i == form.focus {
            Span::styled(format!("› {label}"), selected())
        } else {
            Span::raw(format!("  {label}"))
        };
        let start = field_lines.len();
        for (k, part) in wrap(&value, value_w).into_iter().enumerate() {
            let lead = if k == 0 {
                label.clone()
            } else {
                Span::raw(" ".repeat(value_x.saturating_sub(1)))
            };
            field_lines.push(Line::from(vec![lead, Span::raw(" "), Span::raw(part)]));
        }
        if i == form.focus {
            focus_rows = (start, field_lines.len());
        }
    }
    let indented = |text: &str, style: Style| -> Vec<Line<'static>> {
        wrap(text, inner_w.saturating_sub(2))
            .into_iter()
            .map(|l| Line::styled(format!("  {l}"), style))
            .collect()
    };
    let mut footer = vec![Line::raw("")];
    footer.extend(indented(hint, Style::new()));
    footer.extend(indented(&status, bold()));
    // the box grows with its fields and words, up to the screen; past that the fields scroll
    // so the focused one always shows, and the words under them stay
    let max_h = usize::from(area.height);
    let want = field_lines.len() + footer.len() + 2;
    let h = want.min(max_h);
    let focused_h = (focus_rows.1 - focus_rows.0).max(1);
    let fields_h = h
        .saturating_sub(2 + footer.len())
        .max(focused_h.min(h.saturating_sub(2)));
    let footer_h = h.saturating_sub(2 + fields_h);
    footer.truncate(footer_h);
    let scroll = focus_rows.1.saturating_sub(fields_h);
    let below = field_lines.len().saturating_sub(scroll + fields_h);
    let mut lines: Vec<Line<'_>> = field_lines
        .into_iter()
        .skip(scroll)
        .take(fields_h)
        .collect();
    lines.extend(footer);
    let r = centered(area, w, u16::try_from(h).unwrap_or(u16::MAX));
    f.render_widget(Clear, r);
    let mut block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", form.title));
    if scroll > 0 || below > 0 {
        let fields_above = scroll;
        block = block.title_bottom(format!(
            " {}{}{} ",
            if fields_above > 0 {
                "↑ more above"
            } else {
                ""
            },
            if fields_above > 0 && below > 0 {
                " · "
            } else {
                ""
            },
            if below > 0 { "↓ more below" } else { "" },
        ));
    }
    f.render_widget(Paragraph::new(lines).block(block), r);
}

mod records;
#[cfg(test)]
mod tests;
