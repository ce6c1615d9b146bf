//! Building the anonymised summary: every text of the scope redacted once, in a fixed order,
//! with the leak guard taught what each held.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::guard::GuardBuilder;
use super::{
    Coding, Excerpt, ExportError, GroupCount, Header, Prepared, ReviewItem, ReviewOut, Scope,
    SessionSummary, Speaker, Summary, ThemeSummary,
};
use crate::anonymise::{Anonymiser, Redacted, Registry, Substitution};
use crate::model::{Note, NoteKind, Project, Session, SessionKind, Theme};
use crate::quotes::{QuoteRule, QuoteTally, Verdict, Withheld};
use crate::store::{Restriction, Store, TagRow};

mod facilitators;
mod guides;
mod memos;

use facilitators::Facilitators;

/// Builds the anonymised summary of `scope` as made at the start (UTC) of `today`
/// (YYYY-MM-DD).
pub fn prepare(store: &Store, scope: &Scope, today: &str) -> Result<Prepared, ExportError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let day = time::Date::parse(today, format).map_err(|_| {
        ExportError::Scope(format!(
            "'{}' is not a date: write it as YYYY-MM-DD",
            crate::text::for_terminal(today, false)
        ))
    })?;
    prepare_at(store, scope, day.midnight().assume_utc())
}

/// Builds the anonymised summary of `scope` as made at `now` (its date, in its offset, is
/// the export's date).
pub fn prepare_at(
    store: &Store,
    scope: &Scope,
    now: time::OffsetDateTime,
) -> Result<Prepared, ExportError> {
    let today = now.date().to_string();
    let project = store.project(&scope.project)?;
    let mut registry = crate::mentions::registry(store, &project.name)?;
    registry.generalise_ages = !scope.exact_ages;
    let sessions = scope.sessions(store, &project.name)?;
    let first = Anonymiser::new(&registry);
    let seen = names_in(store, &project.name, &sessions, &first)?;
    let anon = first.with_seen_names(seen.iter().cloned());
    let mut b = Builder::new(
        store,
        scope,
        &project.name,
        Redactor::new(&anon, &registry, seen),
    )?;
    let guides = guides::anonymised(store, &project.name, &mut b.red)?;
    b.questions = guides::questions(&guides);
    for t in store.tag_rows(&project.name)? {
        b.tags.entry(t.note_id).or_default().push(t);
    }
    let mut out_sessions = Vec::new();
    for s in &sessions {
        out_sessions.push(b.session(s)?);
    }
    let header = b.header(&project, &out_sessions);
    let themes = b.theme_summaries();
    let ideas = ideas_by_votes(&b.excerpts);
    let (memos, memos_withheld) = b.memos(&sessions)?;
    let Redactor {
        guard,
        review,
        redactions,
        ..
    } = b.red;
    Ok(Prepared {
        summary: Summary {
            project: header,
            generated_on: today.to_owned(),
            sessions: out_sessions,
            themes,
            ideas,
            excerpts: b.excerpts,
            redactions,
            withheld: b.withheld,
            audit_anchor: store.audit_head()?.map(|a| a.to_string()),
            memos,
            memos_withheld,
            generated_at: now,
            withdrawn: withdrawn_from(store, &sessions)?,
            quotes: b.quote_tally,
            guides,
            by_question: false,
        },
        review,
        guard: guard.build()?,
    })
}

/// The anonymiser an export of the whole of `project` uses, ages generalised: its registry,
/// with every name found in any of its texts removed from all of them. For showing a
/// project's texts inside the app as an export would.
pub fn project_anonymiser(store: &Store, project: &str) -> Result<Anonymiser, ExportError> {
    let mut registry = crate::mentions::registry(store, project)?;
    registry.generalise_ages = true;
    let scope = Scope {
        project: project.to_owned(),
        ..Scope::default()
    };
    let sessions = scope.sessions(store, project)?;
    let first = Anonymiser::new(&registry);
    let seen = names_in(store, project, &sessions, &first)?;
    Ok(first.with_seen_names(seen))
}

/// Anonymises every text of an export once, teaching the leak guard what each held and
/// listing each substitution for the review.
pub(super) struct Redactor<'a> {
    anon: &'a Anonymiser,
    /// Without allow or deny lists the guard's findings are the export's substitutions: one
    /// anonymiser pass per text instead of two.
    lists: bool,
    guard: GuardBuilder,
    review: Vec<ReviewItem>,
    redactions: BTreeMap<String, usize>,
}

/// Every unregistered name the anonymiser finds on its own evidence in the texts an export
/// of these sessions holds (titles, notes, memos, clusters, roles, theme names), so each is
/// removed from all of them: a first pass, one text at a time.
fn names_in(
    store: &Store,
    project: &str,
    sessions: &[Session],
    anon: &Anonymiser,
) -> Result<Vec<String>, ExportError> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut learn = |text: &str| seen.extend(anon.names_found(text));
    for p in store.participants_of_project(project)? {
        p.role.as_deref().map(&mut learn);
    }
    for t in store.themes(project)? {
        learn(&t.name);
        t.memo.as_deref().map(&mut learn);
    }
    for s in sessions {
        learn(&s.title);
        for m in store.memos_of_session(s.id)? {
            learn(&m.text);
        }
        for n in store.notes(s.id)? {
            learn(&n.text);
            n.cluster.as_deref().map(&mut learn);
        }
    }
    guides::names_in(store, project, &mut learn)?;
    let mut seen: Vec<String> = seen.into_iter().collect();
    seen.sort_unstable();
    Ok(seen)
}

impl<'a> Redactor<'a> {
    fn new(anon: &'a Anonymiser, registry: &Registry, seen: Vec<String>) -> Self {
        Redactor {
            anon,
            lists: !registry.allow.is_empty()
                || !registry.deny.is_empty()
                || !registry.record_refs.is_empty(),
            guard: GuardBuilder::generalising_ages(
                registry.people.clone(),
                None,
                registry.generalise_ages,
            )
            .with_seen_names(seen)
            .with_record_refs(registry.record_refs.iter().cloned()),
            review: Vec::new(),
            redactions: BTreeMap::new(),
        }
    }

    fn redact(&mut self, note_id: i64, place: &str, text: &str) -> Redacted {
        // no escape sequence or bidirectional override leaves in any format (a title typed
        // before text was cleaned on entry may hold one); a note's spans follow, see `codings`
        let cleaned = crate::text::for_document(text);
        let text = &*cleaned;
        // the guard knows every identifier in the raw text, the allow list notwithstanding
        let unlisted = self.guard.learn(text);
        let r = if self.lists {
            self.anon.redact(text)
        } else {
            Redacted {
                text: crate::anonymise::apply(text, &unlisted),
                substitutions: unlisted,
            }
        };
        for s in &r.substitutions {
            let k = serde_json::to_value(s.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            *self.redactions.entry(k).or_default() += 1;
            self.review.push(ReviewItem::new(note_id, place, text, s));
        }
        r
    }

    fn text(&mut self, place: &str, text: &str) -> String {
        self.redact(0, place, text).text
    }

    fn opt(&mut self, place: &str, text: &Option<String>) -> Option<String> {
        text.as_deref().map(|t| self.text(place, t))
    }
}

/// The codebook as the export names it: anonymised, and still one name per theme.
struct Codebook(HashMap<String, String>);

impl Codebook {
    fn new(themes: &[Theme], red: &mut Redactor<'_>) -> Self {
        let mut theme_name: HashMap<String, String> = HashMap::new();
        let mut taken: HashSet<String> = HashSet::new();
        for t in themes {
            let base = red.text("theme name", &t.name);
            let mut name = base.clone();
            let mut n = 2;
            while !taken.insert(name.clone()) {
                name = format!("{base} ({n})");
                n += 1;
            }
            theme_name.insert(t.name.clone(), name);
        }
        Codebook(theme_name)
    }

    /// A theme's exported name.
    fn shown(&self, raw: &str) -> String {
        self.0.get(raw).cloned().unwrap_or_default()
    }
}

/// The summary as it is built, session by session.
struct Builder<'a> {
    store: &'a Store,
    red: Redactor<'a>,
    /// Every participant's role, anonymised once.
    role_of: HashMap<String, Option<String>>,
    /// Whose processing is restricted: their notes, and notes naming them, are withheld.
    restriction: Restriction,
    themes: Vec<Theme>,
    /// The themes in scope, when the scope names one.
    family: Option<HashSet<String>>,
    codebook: Codebook,
    tags: HashMap<i64, Vec<TagRow>>,
    excerpts: Vec<Excerpt>,
    withheld: usize,
    /// Facilitators by project-wide code.
    facilitators: Facilitators,

    /// How a record review's subject is labelled ("subject of records (no consent: …)"),
    /// anonymised.
    subject_label: String,
    // quote-level consent
    /// Who may be quoted word for word, and the approvals recorded.
    quotes: QuoteRule,
    /// What the rule withheld, and whose consent is not recorded.
    quote_tally: QuoteTally,
    /// Topic guide questions by row id, anonymised.
    questions: HashMap<i64, super::QuestionOut>,
}

impl<'a> Builder<'a> {
    fn new(
        store: &'a Store,
        scope: &Scope,
        project: &str,
        mut red: Redactor<'a>,
    ) -> Result<Self, ExportError> {
        let participants = store.participants_of_project(project)?;
        let mut role_of: HashMap<String, Option<String>> = HashMap::new();
        for p in &participants {
            let role = red.opt(&format!("role of {}", p.pseudonym), &p.role);
            role_of.insert(p.pseudonym.clone(), role);
        }
        let restriction = store.restriction(project, &crate::mentions::AnonymiserNames)?;
        let themes = store.themes(project)?;
        let family = scope.themes(&themes, project)?;
        let codebook = Codebook::new(&themes, &mut red);
        let subject_label = red.text("lawful basis", &store.project(project)?.subject_label());
        let every_session = Scope {
            project: project.to_owned(),
            ..Scope::default()
        }
        .sessions(store, project)?;
        Ok(Builder {
            store,
            red,
            role_of,
            restriction,
            themes,
            family,
            codebook,
            tags: HashMap::new(),
            excerpts: Vec::new(),
            withheld: 0,
            facilitators: Facilitators::new(&every_session),
            subject_label,
            quotes: QuoteRule::load(store, project)?,
            quote_tally: QuoteTally::default(),
            questions: HashMap::new(),
        })
    }

    /// One session: its title, month and speakers, and its notes in scope as excerpts.
    fn session(&mut self, s: &Session) -> Result<SessionSummary, ExportError> {
        let title = self.red.text("session title", &s.title);
        let notes: Vec<Note> = self.store.notes(s.id)?;
        let month = s
            .date
            .as_deref()
            .and_then(month_of)
            .or_else(|| notes.first().and_then(|n| month_of_ms(n.created_at_ms)));
        let participants = self.speakers(s)?;
        let mut idx = Vec::new();
        for n in notes {
            let note_tags = self.tags.remove(&n.id).unwrap_or_default();
            if let Some(f) = &self.family
                && !note_tags.iter().any(|t| f.contains(&t.theme))
            {
                continue;
            }
            if self.withholds(&n) {
                self.withheld += 1;
                continue;
            }
            idx.push(self.excerpts.len());
            let excerpt = self.excerpt(s, &title, &month, n, &note_tags);
            self.excerpts.push(excerpt);
        }
        Ok(SessionSummary {
            id: s.id,
            title,
            kind: s.kind,
            month,
            participants,
            excerpts: idx,
            review: s.review.as_ref().map(|r| self.review(r)),
            guide_version: guides::version_of(self.store, s.id)?,
        })
    }

    /// What a record review read, anonymised, its period by month; its record reference
    /// stays in the vault.
    fn review(&mut self, r: &crate::model::RecordReview) -> ReviewOut {
        ReviewOut {
            system: self.red.text("source system", &r.system),
            from_month: r.from.as_deref().and_then(month_of),
            to_month: r.to.as_deref().and_then(month_of),
            sampling: self.red.opt("sampling", &r.sampling),
        }
    }

    /// The session's unrestricted participants, then its facilitators as F1, F2…
    fn speakers(&self, s: &Session) -> Result<Vec<Speaker>, ExportError> {
        let mut speakers: Vec<Speaker> = self
            .store
            .participants_of_session(s.id)?
            .into_iter()
            .filter(|p| !p.restricted)
            .map(|p| {
                let role = self.role_of.get(&p.pseudonym).cloned().flatten();
                Speaker {
                    // a record's subject was not asked: the project's basis stands instead
                    role: match (p.subject, role) {
                        (false, role) => role,
                        (true, None) => Some(self.subject_label.clone()),
                        (true, Some(r)) => Some(format!("{r}; {}", self.subject_label)),
                    },
                    code: p.pseudonym,
                }
            })
            .collect();
        speakers.extend(self.facilitators.of_session(s.id).iter().map(|c| Speaker {
            code: c.clone(),
            role: Some("facilitator".into()),
        }));
        Ok(speakers)
    }

    /// A note said by, or naming, a person whose processing is restricted.
    fn withholds(&self, n: &Note) -> bool {
        self.restriction
            .withholds_in(n.session_id, n.speaker.as_deref(), &n.text)
    }

    fn excerpt(
        &mut self,
        s: &Session,
        title: &str,
        month: &Option<String>,
        n: Note,
        note_tags: &[TagRow],
    ) -> Excerpt {
        let verdict = self.quotes.verdict(&n);
        self.quote_tally.count(n.speaker.as_deref(), verdict);
        let quote_withheld = match verdict {
            Verdict::Withheld(w) => Some(w),
            _ => None,
        };
        let (r, codings) = match quote_withheld {
            // the words never reach the anonymiser, the review or any output
            Some(w) => withheld_quote(w, n.speaker.as_deref(), note_tags, &self.codebook),
            None => {
                let place = format!("note {}", n.id);
                let r = self.red.redact(n.id, &place, &n.text);
                let codings = self.codings(&n.text, &r, note_tags);
                (r, codings)
            }
        };
        let role = match n.speaker.as_deref() {
            Some(c) if c.starts_with('F') && !self.role_of.contains_key(c) => {
                Some("facilitator".to_owned())
            }
            Some(c) => self.role_of.get(c).cloned().flatten(),
            None => None,
        };
        let cluster = n
            .cluster
            .as_deref()
            .map(|c| self.red.text(&format!("cluster of note {}", n.id), c));
        let speaker = match n.speaker {
            Some(c) if !self.role_of.contains_key(&c) => {
                Some(self.facilitators.code(s.id, &c).unwrap_or(c))
            }
            other => other,
        };
        Excerpt {
            note_id: n.id,
            session_id: s.id,
            session: title.to_owned(),
            session_kind: s.kind,
            month: month.clone(),
            speaker,
            role,
            kind: n.kind,
            themes: n.themes.iter().map(|t| self.codebook.shown(t)).collect(),
            codings,
            text: r.text,
            votes: n.votes,
            cluster,
            quote_withheld,
            question: n.question_id.and_then(|q| self.questions.get(&q).cloned()),
        }
    }

    /// A note's tags as spans of its anonymised text (a whole-note tag spans all of it).
    /// `stored` is the note as stored; the anonymiser read it without the characters no
    /// document carries, so a span is first moved past those it drops.
    fn codings(&self, stored: &str, r: &Redacted, note_tags: &[TagRow]) -> Vec<Coding> {
        let cleaned = crate::text::for_document(stored);
        let raw = &*cleaned;
        let moved = |span: (usize, usize)| match &cleaned {
            std::borrow::Cow::Borrowed(_) => span,
            std::borrow::Cow::Owned(_) => {
                let dropped = |k: usize| {
                    stored
                        .chars()
                        .take(k)
                        .filter(|c| crate::text::is_unfit_for_document(*c))
                        .count()
                };
                (span.0 - dropped(span.0), span.1 - dropped(span.1))
            }
        };
        let chars = r.text.chars().count();
        let mut codings: Vec<Coding> = note_tags
            .iter()
            .filter_map(|t| {
                let (start, end) = match t.span {
                    None => (0, chars),
                    Some(span) => remap(raw, &r.substitutions, &r.text, moved(span))?,
                };
                Some(Coding {
                    theme: self.codebook.shown(&t.theme),
                    start,
                    end,
                })
            })
            .collect();
        codings.dedup();
        codings
    }

    /// The project's fields, anonymised, and the months the sessions span.
    fn header(&mut self, project: &Project, sessions: &[SessionSummary]) -> Header {
        let months: Vec<&String> = sessions.iter().filter_map(|s| s.month.as_ref()).collect();
        let red = &mut self.red;
        Header {
            name: red.text("project name", &project.name),
            purpose: red.opt("project purpose", &project.purpose),
            lawful_basis: red.opt("project lawful basis", &project.lawful_basis),
            special_category_condition: red.opt(
                "project special category condition",
                &project.special_category_condition,
            ),
            schedule1_condition: red
                .opt("project Schedule 1 condition", &project.schedule1_condition),
            criminal_offence_basis: red.opt(
                "project criminal offence basis",
                &project.criminal_offence_basis,
            ),
            dpia_ref: red.opt("project DPIA reference", &project.dpia_ref),
            controller: red.opt("project data controller", &project.controller),
            from_month: months.iter().min().map(|m| (*m).clone()),
            to_month: months.iter().max().map(|m| (*m).clone()),
        }
    }

    /// Each theme with its excerpts, counted by the speakers' groups.
    fn theme_summaries(&mut self) -> Vec<ThemeSummary> {
        let mut out = Vec::new();
        for t in &self.themes {
            let name = self.codebook.shown(&t.name);
            let ex: Vec<usize> = (0..self.excerpts.len())
                .filter(|&i| self.excerpts[i].themes.contains(&name))
                .collect();
            out.push(ThemeSummary {
                parent: t.parent.as_deref().map(|p| self.codebook.shown(p)),
                description: self.red.opt("theme description", &t.description),
                colour: self.red.opt("theme colour", &t.colour),
                by_group: by_group(&self.excerpts, &ex),
                excerpts: ex,
                name,
            });
        }
        out
    }
}

/// Excerpts and distinct speakers per role ("unattributed" when a note has no role).
fn by_group(excerpts: &[Excerpt], ex: &[usize]) -> Vec<GroupCount> {
    let mut groups: BTreeMap<String, (usize, HashSet<&str>)> = BTreeMap::new();
    for &i in ex {
        let e = &excerpts[i];
        let g = groups
            .entry(e.role.clone().unwrap_or_else(|| "unattributed".into()))
            .or_default();
        g.0 += 1;
        if let Some(sp) = &e.speaker {
            g.1.insert(sp);
        }
    }
    groups
        .into_iter()
        .map(|(group, (excerpts, ps))| GroupCount {
            group,
            excerpts,
            participants: ps.len(),
        })
        .collect()
}

/// Workshop ideas, most votes first.
fn ideas_by_votes(excerpts: &[Excerpt]) -> Vec<usize> {
    let mut ideas: Vec<usize> = (0..excerpts.len())
        .filter(|&i| {
            excerpts[i].session_kind == SessionKind::Workshop && excerpts[i].kind == NoteKind::Idea
        })
        .collect();
    ideas.sort_by_key(|&i| (std::cmp::Reverse(excerpts[i].votes), i));
    ideas
}

/// `2024-03-07` → `2024-03`.
pub(super) fn month_of(date: &str) -> Option<String> {
    let d = date.get(..7)?;
    (d.len() == 7 && d.as_bytes()[4] == b'-').then(|| d.to_owned())
}

pub(super) fn month_of_ms(ms: i64) -> Option<String> {
    let t = time::OffsetDateTime::from_unix_timestamp(ms / 1000).ok()?;
    Some(format!("{:04}-{:02}", t.year(), u8::from(t.month())))
}

/// Maps a character range of `orig` to the same words in `new`, given the substitutions that
/// turned one into the other. A boundary inside a substitution moves to its edge.
pub(super) fn remap(
    orig: &str,
    subs: &[Substitution],
    new: &str,
    range: (usize, usize),
) -> Option<(usize, usize)> {
    let byte_of = |s: &str, c: usize| s.char_indices().nth(c).map_or(s.len(), |(b, _)| b);
    let map = |b: usize, is_end: bool| {
        let mut delta: isize = 0;
        for s in subs {
            if s.end <= b {
                delta += s.replacement.len() as isize - (s.end - s.start) as isize;
            } else if s.start < b {
                // inside a substitution: the start moves to its start, the end past it
                let base = (s.start as isize + delta) as usize;
                return if is_end {
                    base + s.replacement.len()
                } else {
                    base
                };
            } else {
                break;
            }
        }
        (b as isize + delta) as usize
    };
    let a = map(byte_of(orig, range.0), false);
    let b = map(byte_of(orig, range.1), true);
    let ca = new.get(..a)?.chars().count();
    let cb = new.get(..b)?.chars().count();
    (ca < cb).then_some((ca, cb))
}

/// A verbatim note whose words are withheld under its speaker's quote consent: the marker
/// as its text, and each of its themes coding the whole marker (a span of words no longer
/// shown cannot be placed).
fn withheld_quote(
    w: Withheld,
    speaker: Option<&str>,
    note_tags: &[TagRow],
    codebook: &Codebook,
) -> (Redacted, Vec<Coding>) {
    let text = w.marker(speaker.unwrap_or("the speaker"));
    let end = text.chars().count();
    let mut codings: Vec<Coding> = Vec::new();
    for t in note_tags {
        let c = Coding {
            theme: codebook.shown(&t.theme),
            start: 0,
            end,
        };
        if !codings.contains(&c) {
            codings.push(c);
        }
    }
    let r = Redacted {
        text,
        substitutions: Vec::new(),
    };
    (r, codings)
}

// What the summary counts besides the excerpts.

/// How many distinct participants of these sessions withdrew from the research.
fn withdrawn_from(store: &Store, sessions: &[Session]) -> Result<usize, ExportError> {
    let mut who: HashSet<i64> = HashSet::new();
    for s in sessions {
        for p in store.participants_of_session(s.id)? {
            if p.withdrawn_on.is_some() {
                who.insert(p.id);
            }
        }
    }
    Ok(who.len())
}
