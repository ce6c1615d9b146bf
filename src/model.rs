//! Domain types, independent of storage and of any user interface.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// An input value that is not one of the allowed words.
#[derive(Debug, thiserror::Error)]
#[error("'{value}' is not a valid {what}: use one of {allowed}")]
pub struct ParseEnumError {
    value: String,
    what: &'static str,
    allowed: &'static str,
}

/// Declares a closed set of lower-case words, with `FromStr`, `Display` and `as_str`.
macro_rules! word_enum {
    ($(#[$m:meta])* $name:ident, $what:literal, { $($(#[$vm:meta])* $variant:ident = $word:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        #[serde(rename_all = "lowercase")]
        pub enum $name { $($(#[$vm])* $variant),+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The stored and typed form.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = ParseEnumError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let t = s.trim().to_ascii_lowercase();
                $(if t == $word { return Ok($name::$variant); })+
                Err(ParseEnumError {
                    value: s.to_owned(),
                    what: $what,
                    allowed: concat!($($word, " "),+),
                })
            }
        }
    };
}

word_enum!(
    /// What kind of research session this is.
    SessionKind, "session kind", {
        /// One or more people interviewed.
        Interview = "interview",
        /// Staff generating and prioritising ideas.
        Workshop = "workshop",
        /// Reading existing records (incident reports, case notes) about a sample of people.
        Review = "review",
    }
);

word_enum!(
    /// Whether notes were typed during the session or transcribed from paper.
    Source, "source", {
        /// Typed on a laptop during the conversation.
        Live = "live",
        /// Written on paper and typed up later.
        Paper = "paper",
    }
);

word_enum!(
    /// What a note records.
    NoteKind, "note kind", {
        /// The speaker's own words.
        Verbatim = "verbatim",
        /// The speaker's meaning in the note-taker's words.
        Paraphrase = "paraphrase",
        /// What the note-taker saw.
        Observation = "observation",
        /// An idea (workshops).
        Idea = "idea",
    }
);

word_enum!(
    /// A participant's consent status.
    Consent, "consent status", {
        /// Consent given.
        Given = "given",
        /// Consent refused.
        Refused = "refused",
        /// Consent withdrawn after it was given.
        Withdrawn = "withdrawn",
    }
);

word_enum!(
    /// Whether a participant may be quoted word for word in outputs.
    QuoteConsent, "quote consent", {
        /// Verbatim quotes may be used.
        Yes = "yes",
        /// Never quoted word for word: outputs show a paraphrase marker instead.
        No = "no",
        /// Only a quote the participant approved, as approved (with the date).
        Approval = "approval",
    }
);

/// A research project: the unit of lawful basis, DPIA and retention.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Project {
    /// Row id.
    pub id: i64,
    /// Unique short name, e.g. `F2F`.
    pub name: String,
    /// Why the data is collected.
    pub purpose: Option<String>,
    /// UK GDPR Article 6 basis, e.g. `6(1)(e) public task`.
    pub lawful_basis: Option<String>,
    /// Article 9 condition for special category data.
    pub special_category_condition: Option<String>,
    /// DPA 2018 Schedule 1 condition.
    pub schedule1_condition: Option<String>,
    /// Article 10 basis for criminal-offence data.
    pub criminal_offence_basis: Option<String>,
    /// DPIA reference.
    pub dpia_ref: Option<String>,
    /// Data controller.
    pub controller: Option<String>,
    /// Months after a session's date when its data must be destroyed.
    pub retention_months: Option<u32>,
    /// When the project was created (RFC 3339, UTC).
    pub created_at: String,
}

/// A paper original's provenance.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PaperOrigin {
    /// Who wrote the paper notes.
    pub written_by: Option<String>,
    /// When they were written (YYYY-MM-DD).
    pub written_on: Option<String>,
    /// When the paper original was destroyed, once it was.
    pub destroyed_on: Option<String>,
}

/// One interview or workshop.
#[derive(Debug, Clone, Serialize)]
pub struct Session {
    /// Row id, printed by `session add`.
    pub id: i64,
    /// Owning project's id.
    pub project_id: i64,
    /// Owning project's name.
    pub project: String,
    /// Interview or workshop.
    pub kind: SessionKind,
    /// Short title.
    pub title: String,
    /// Date of the session (YYYY-MM-DD).
    pub date: Option<String>,
    /// Where it took place.
    pub location: Option<String>,
    /// Live or transcribed from paper.
    pub source: Source,
    /// Paper provenance (only for paper sessions).
    pub paper: PaperOrigin,
    /// Facilitators' names; speakers `F1`, `F2`… in that order.
    pub facilitators: Vec<String>,
    /// Unix milliseconds of the first live note, the origin of note offsets.
    pub started_at_ms: Option<i64>,
    /// What was read, for a record review (`None` for other kinds).
    pub review: Option<RecordReview>,
}

/// What a record review read: which system, which record, which dates, chosen how.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RecordReview {
    /// The source system, e.g. `CRM`, `incident reports`, `Housing Needs`.
    pub system: String,
    /// The record's reference in that system: kept in the vault, never exported.
    #[serde(skip)]
    pub record_ref: Option<String>,
    /// First day of the period read (YYYY-MM-DD).
    pub from: Option<String>,
    /// Last day of the period read (YYYY-MM-DD).
    pub to: Option<String>,
    /// How the records were chosen.
    pub sampling: Option<String>,
}

/// An entry of a project's disclosures log: data passed to another team or organisation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Disclosure {
    /// Row id.
    pub id: i64,
    /// Owning project.
    pub project_id: i64,
    /// When the data was passed on (YYYY-MM-DD).
    pub shared_on: String,
    /// The team or organisation it went to.
    pub recipient: String,
    /// What was shared: the categories of data, e.g. "names and visit times of 12 people".
    pub what: String,
    /// The lawful basis for sharing it.
    pub lawful_basis: String,
    /// How it was sent, e.g. "encrypted email".
    pub method: String,
    /// When the entry was recorded (RFC 3339, UTC).
    pub recorded_at: String,
}

/// A person taking part, known on screen and in exports only by pseudonym.
#[derive(Debug, Clone, Serialize)]
pub struct Participant {
    /// Row id.
    pub id: i64,
    /// Owning project.
    pub project_id: i64,
    /// Stable pseudonym within the project, e.g. `P01`.
    pub pseudonym: String,
    /// Real name; only ever inside the vault. `None` once erased.
    pub real_name: Option<String>,
    /// Role or group, e.g. `security officer`.
    pub role: Option<String>,
    /// Consent status.
    pub consent: Option<Consent>,
    /// Date of the consent status.
    pub consent_date: Option<String>,
    /// Consent form version.
    pub consent_form: Option<String>,
    /// Restricted (UK GDPR Art. 18): kept, but left out of every export, analysis and search.
    pub restricted: bool,
    /// When consent was withdrawn, for the tombstone.
    pub withdrawn_on: Option<String>,
    /// What was done on withdrawal: `erase` or `keep-anonymised`.
    pub withdrawal: Option<String>,
    /// When the real name was erased (withdrawal or retention).
    pub erased_on: Option<String>,
    /// May they be quoted word for word; `None` when not recorded.
    pub quote_consent: Option<QuoteConsent>,
    /// The person a reviewed record is about (a record review's subject), not someone
    /// interviewed: no consent is asked; the project's lawful basis applies.
    pub subject: bool,
}

impl Participant {
    /// How their consent reads wherever participants are listed: a subject of records was
    /// never asked, and the project's lawful basis (and Art. 9 condition) stands instead of a
    /// missing consent.
    pub fn consent_shown(&self, project: &Project) -> String {
        if self.subject {
            return project.subject_label();
        }
        self.consent
            .map(|c| c.to_string())
            .unwrap_or_else(|| "not recorded".into())
    }
}

impl Project {
    /// What a record review's subject is processed under:
    /// "subject of records (no consent: <lawful basis>; <Art. 9 condition>)".
    pub fn subject_label(&self) -> String {
        let basis: Vec<&str> = [&self.lawful_basis, &self.special_category_condition]
            .into_iter()
            .filter_map(|b| b.as_deref().map(str::trim).filter(|b| !b.is_empty()))
            .collect();
        let basis = if basis.is_empty() {
            "the project's lawful basis, not yet recorded".to_owned()
        } else {
            basis.join("; ")
        };
        format!("subject of records (no consent: {basis})")
    }
}

/// A third party named in notes, with a pseudonym for consistent replacement.
#[derive(Debug, Clone, Serialize)]
pub struct PersonMentioned {
    /// Row id.
    pub id: i64,
    /// Owning project.
    pub project_id: i64,
    /// Real name (inside the vault only).
    pub real_name: String,
    /// Pseudonym, e.g. `Person A`.
    pub pseudonym: String,
    /// Restricted: mentions keep their notes out of exports, analysis and search.
    pub restricted: bool,
    /// When the real name was erased (then `real_name` is empty).
    pub erased_on: Option<String>,
}

/// One note in a session.
#[derive(Debug, Clone, Serialize)]
pub struct Note {
    /// Row id, printed by `note add`.
    pub id: i64,
    /// Owning session.
    pub session_id: i64,
    /// Order within the session (1-based).
    pub position: i64,
    /// Unix milliseconds when it was written.
    pub created_at_ms: i64,
    /// Milliseconds since the session started (live sessions only).
    pub offset_ms: Option<i64>,
    /// Speaker code: a participant pseudonym or a facilitator code `F1`….
    pub speaker: Option<String>,
    /// Kind of note.
    pub kind: NoteKind,
    /// The text.
    pub text: String,
    /// Holds special category data (health, housing…).
    pub special_category: bool,
    /// Holds criminal-offence data.
    pub criminal_offence: bool,
    /// Names of themes tagged on the note or on spans of it.
    pub themes: Vec<String>,
    /// Workshop: the cluster (group of sticky notes) the idea belongs to.
    pub cluster: Option<String>,
    /// Workshop: dot votes.
    pub votes: i64,
    /// Paper sessions: the page of the paper original.
    pub page: Option<String>,
    /// The topic guide question it answers.
    pub question_id: Option<i64>,
}

/// A theme in a project's codebook.
#[derive(Debug, Clone, Serialize)]
pub struct Theme {
    /// Row id.
    pub id: i64,
    /// Owning project.
    pub project_id: i64,
    /// Unique name within the project.
    pub name: String,
    /// What the theme means.
    pub description: Option<String>,
    /// Display colour (a name or `#rrggbb`).
    pub colour: Option<String>,
    /// Parent theme's name.
    pub parent: Option<String>,
    /// The analyst's running notes on what the theme means.
    pub memo: Option<String>,
    /// How deep in the tree (0 for a top-level theme).
    pub depth: usize,
}

/// A question in one version of a topic guide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GuideQuestion {
    /// Row id (notes that answer it point here).
    pub id: i64,
    /// Order in the guide (1-based).
    pub position: i64,
    /// The section heading it is under.
    pub section: String,
    /// The question.
    pub text: String,
    /// Follow-up prompts.
    pub prompts: Vec<String>,
}

/// One version of a topic guide, with its questions in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GuideVersion {
    /// Row id of the version.
    pub id: i64,
    /// The guide's row id.
    pub guide_id: i64,
    /// The guide's name.
    pub guide: String,
    /// The session kind it is for (`None`: every kind).
    pub session_kind: Option<SessionKind>,
    /// Version number (1, 2…).
    pub number: i64,
    /// When this version was saved (RFC 3339, UTC).
    pub created_at: String,
    /// Its questions.
    pub questions: Vec<GuideQuestion>,
}

/// A topic guide in a project's list.
#[derive(Debug, Clone, Serialize)]
pub struct GuideSummary {
    /// Row id.
    pub id: i64,
    /// Name, unique in the project.
    pub name: String,
    /// The session kind it is for (`None`: every kind).
    pub session_kind: Option<SessionKind>,
    /// Its latest version's number.
    pub latest: i64,
    /// Questions in its latest version.
    pub questions: usize,
    /// Sessions that follow one of its versions.
    pub sessions: usize,
}

/// A full-text search hit.
#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    /// Project name.
    pub project: String,
    /// Session id.
    pub session_id: i64,
    /// Session title.
    pub session_title: String,
    /// The note.
    pub note: Note,
}

/// A date that is not written as `YYYY-MM-DD` or is not on the calendar.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a date: write it as YYYY-MM-DD, e.g. 2024-03-07")]
pub struct BadDate(pub String);

/// Forms show a refusal as their message line.
impl From<BadDate> for String {
    fn from(e: BadDate) -> String {
        e.to_string()
    }
}

/// Checks a calendar date typed as `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Result<String, BadDate> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s.trim(), fmt)
        .map(|d| d.to_string())
        .map_err(|_| BadDate(s.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip_and_refuse_others() {
        for k in NoteKind::ALL {
            assert_eq!(k.as_str().parse::<NoteKind>().unwrap(), *k);
        }
        assert_eq!(
            "Interview".parse::<SessionKind>().unwrap(),
            SessionKind::Interview
        );
        let e = "meeting".parse::<SessionKind>().unwrap_err().to_string();
        assert!(e.contains("interview") && e.contains("workshop"), "{e}");
    }

    #[test]
    fn dates_are_checked() {
        assert_eq!(parse_date("2024-03-07").unwrap(), "2024-03-07");
        assert!(parse_date("2024-02-30").is_err());
        assert!(parse_date("7/3/24").is_err());
    }
}
