//! The rules that look at one word and its neighbours.

use super::*;

impl<'a> Scan<'a> {
    /// Every rule that looks at one word and its neighbours, in order: a later rule that
    /// sets the evidence outranks an earlier one, one that only fills it in does not.
    pub(super) fn word_evidence(&self, i: usize, person: &mut Evidence) {
        // most words are lower-case dictionary words that are no forename: of all the rules
        // only a naming phrase ("calls him biscuit") can make one a name
        let (w, fl) = (&self.ws[i], &self.fl[i]);
        if w.lower_case && fl.english && !fl.fore {
            if let Some(rule) = self.named(i) {
                person[i] = Some(rule);
            }
            return;
        }
        for rule in [
            name_evidence(&self.ws[i]),
            self.after_title(i),
            self.after_relationship(i),
            self.acts_like_a_person(i),
            self.beside_a_role(i),
            self.before_a_pronoun(i),
            self.named(i),
            self.on_a_name_line(i),
        ]
        .into_iter()
        .flatten()
        {
            person[i] = Some(rule);
        }
        if self.ws[i].nchars < 2 {
            return;
        }
        if let Some(rule) = self.inside_a_sentence(i) {
            person[i].get_or_insert(rule);
        }
        // "Mrs A. Nyarko": a title, an initial, a surname
        if i >= 2 && self.ws[i - 2].is(TITLE) && self.ws[i - 1].nchars == 1 && self.ws[i].cap {
            person[i] = Some("name after a title and an initial");
            person[i - 1] = Some("initial after a title");
        }
        if self.initials(i) {
            person[i] = Some("initials of a person");
        }
        if let Some(rule) = self.nickname(i) {
            person[i] = Some(rule);
            person[i - 1] = Some(rule);
        }
    }

    /// "Name: NOWAK, Jan Piotr (DOB …)": on a line labelled as a name, the capitalised words
    /// up to a bracket or the line's end are the name, surname first or not.
    fn on_a_name_line(&self, i: usize) -> Option<&'static str> {
        let w = &self.ws[i];
        if !(w.cap || all_caps(w.text)) || w.is(FUNCTION) {
            return None;
        }
        let head = self.line_head(i)?;
        let (label, rest) = head.split_once(':')?;
        let label = label.trim().to_ascii_lowercase();
        let labelled = [
            "name",
            "full name",
            "client",
            "client name",
            "customer",
            "patient",
            "surname",
            "forename",
            "forenames",
            "preferred name",
            "known as",
            "visitor",
            "caller",
        ]
        .contains(&label.as_str());
        let only_name_before = rest
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | ',' | '-' | '\'' | '’' | '.'));
        (labelled && only_name_before).then_some("name on a line labelled as a name")
    }

    /// "known as Captain", "his name is wiesiek", "everyone calls him smiler", "Preferred
    /// name: Dot", "goes by Smudge", "a friend called April": a phrase that names whoever
    /// follows it, whatever the word.
    fn named(&self, i: usize) -> Option<&'static str> {
        // every phrase below has a cue word just before the word or just after it
        let cue_before = i > 0 && self.ws[i - 1].is(NAMING_BEFORE);
        let cue_after = self.ws.get(i + 1).is_some_and(|n| n.is(NAMING_AFTER));
        if !(cue_before || cue_after) {
            return None;
        }
        let (w, fl) = (&self.ws[i], &self.fl[i]);
        if w.nchars < 2
            || w.is(FUNCTION)
            || fl.place
            || (fl.not_name && !w.is(CAL))
            || w.text.bytes().any(|b| b.is_ascii_digit())
            || w.is(KINSHIP | TITLE)
        {
            return None;
        }
        let gap = self.gap_before(i);
        let plain = gap
            .chars()
            .all(|c| matches!(c, ' ' | '"' | '\'' | '“' | '‘' | ':' | ','));
        let p1 = if plain {
            self.prev_lower(i).unwrap_or("")
        } else {
            ""
        };
        // the word before that, in the same phrase
        let p2 = i
            .checked_sub(1)
            .filter(|&k| k > 0 && self.gap(k - 1, k).trim().is_empty())
            .and_then(|k| self.prev_lower(k))
            .unwrap_or("");
        // "known to staff as Moose"
        let known_as = p1 == "as"
            && (i.saturating_sub(6)..i.saturating_sub(1)).any(|k| {
                self.ws[k].lower == "known"
                    && !self.text[self.ws[k].end..w.start].contains(['.', '\n'])
            });
        let phrase = known_as
            || (p2 == "name" && p1 == "is")
            || (matches!(p2, "goes" | "go" | "went") && p1 == "by")
            || matches!(p1, "aka" | "nickname" | "nicknamed") && !(w.lower_case && fl.english)
            || (matches!(p2, "calls" | "call" | "called")
                && matches!(p1, "him" | "her" | "them" | "himself" | "herself"))
            || (matches!(p1, "calls" | "call")
                && matches!(
                    p2,
                    "everyone" | "everybody" | "they" | "people" | "we" | "staff" | "all" | "lads"
                ))
            || (p1 == "name" && gap.contains(':'));
        let called = matches!(p1, "called" | "named")
            && w.cap
            && gap == " "
            && !at_sentence_start(self.text, w);
        // "shorty they call him", "Dutch, as everyone calls her"
        let after: [&str; 3] =
            std::array::from_fn(|k| self.ws.get(i + 1 + k).map_or("", |w| w.lower.as_str()));
        let before_phrase = matches!(
            after,
            [
                "they" | "everyone" | "everybody" | "people" | "we",
                "call" | "calls",
                "him" | "her" | "them",
            ] | ["as", "they" | "everyone" | "people", "call" | "calls"]
        ) && self
            .gap(i, i + 1)
            .trim_start_matches([',', '"', '\''])
            .trim()
            .is_empty();
        (phrase || called || before_phrase)
            .then_some("name after a naming phrase ('known as', 'name is')")
    }

    /// "little roo", "old sid", "Tall Ray": a describing word and a name, as one nickname.
    fn nickname(&self, i: usize) -> Option<&'static str> {
        let (w, fl) = (&self.ws[i], &self.fl[i]);
        if i == 0
            || w.nchars < 2
            || fl.not_name
            || fl.place
            || w.is(KINSHIP | ROLE | TITLE)
            || self.gap_before(i) != " "
        {
            return None;
        }
        let d = &self.ws[i - 1];
        if !d.is(DESCRIPTOR) || !(d.lower_case || d.cap) {
            return None;
        }
        let name_like = if w.cap {
            d.cap && (!fl.english || fl.fore || fl.ambiguous) || !fl.english && fl.known
        } else {
            w.lower_case && (fl.fore || !fl.english)
        };
        name_like.then_some("nickname (a describing word and a name)")
    }

    /// "Malgosia (team leader)", "the cleaner, Sunday, brought tea", "receptionist Ines".
    fn beside_a_role(&self, i: usize) -> Option<&'static str> {
        let (w, fl) = (&self.ws[i], &self.fl[i]);
        if w.nchars < 2 || fl.not_name && !w.is(CAL) || fl.place {
            return None;
        }
        let rest = &self.text[w.end..];
        // a role in brackets after a name
        if (w.cap && (!fl.english || fl.fore)) && rest.starts_with(" (") {
            let inner: String = rest[2..]
                .chars()
                .take_while(|c| *c != ')')
                .take(40)
                .collect();
            if words(&inner).iter().any(|x| x.is(ROLE)) {
                return Some("name before a role in brackets");
            }
        }
        // a name in apposition after a role: "the cleaner, Sunday, brought"
        let role_before =
            i > 0 && self.ws[i - 1].is(ROLE) && !self.ws[i - 1].cap && !w.is(FUNCTION);
        if role_before && w.cap {
            let gap = self.gap_before(i);
            let closed = rest.starts_with([',', ')', ';']);
            if (gap == ", " && closed) || (gap == " " && !fl.english && !fl.ambiguous) {
                return Some("name beside a role");
            }
        }
        None
    }

    /// "Fitzy on the door, he's sound": an unknown capitalised word opening a sentence whose
    /// next clause speaks of him or her.
    fn before_a_pronoun(&self, i: usize) -> Option<&'static str> {
        let (w, fl) = (&self.ws[i], &self.fl[i]);
        if !w.cap
            || fl.english
            || fl.not_name
            || fl.place
            || w.nchars < 3
            || !at_sentence_start(self.text, w)
        {
            return None;
        }
        for k in i + 1..(i + 7).min(self.ws.len()) {
            let gap = self.gap(k - 1, k);
            if gap.contains(['.', '!', '?', '\n', ';']) {
                return None;
            }
            if matches!(self.ws[k].lower.as_str(), "he" | "she") && gap.contains(',') {
                return Some("name before 'he' or 'she' in the next clause");
            }
        }
        None
    }

    /// "Mr Islam", "Ms. doherty", "Mrs A. Nyarko".
    fn after_title(&self, i: usize) -> Option<&'static str> {
        let (w, fl) = (&self.ws[i], &self.fl[i]);
        let title = self
            .prev_lower(i)
            .is_some_and(|p| self.ws[i - 1].is(TITLE) && p != "officer");
        (title
            && (w.cap || !fl.english)
            && !fl.not_name
            && self.gap_before(i).chars().all(|c| c == '.' || c == ' '))
        .then_some("name after a title")
    }

    /// "my brother Tom", "his mate stoyan", "called Joy", "officer ferenc balogh".
    fn after_relationship(&self, i: usize) -> Option<&'static str> {
        let (w, fl) = (&self.ws[i], &self.fl[i]);
        let plausible = w.cap || (w.lower_case && !fl.english && fl.known);
        let next_surname = self
            .ws
            .get(i + 1)
            .is_some_and(|n| n.is(SUR) && !n.is(ENG) && self.gap(i, i + 1) == " ");
        let acts = fl.fore && next_is_verb(self.text, self.ws, i)
            || w.lower_case
                && !fl.english
                && !fl.place
                && w.nchars >= 3
                && i > 0
                && self.ws[i - 1].is(KINSHIP);
        if w.is(FUNCTION)
            || w.lower_case && (w.is(VERB) || w.is(ACTION))
            || fl.place && i > 0 && !self.ws[i - 1].is(KINSHIP)
        {
            return None;
        }
        (i > 0
            && self.ws[i - 1].is(KINSHIP | CALLS)
            && (plausible || fl.fore && next_surname || acts)
            && !fl.not_name
            && (!fl.english || fl.fore && next_surname || acts)
            && self
                .gap_before(i)
                .chars()
                .all(|c| matches!(c, ' ' | ',' | '"' | '(')))
        .then_some("name after a relationship or 'called'")
    }

    /// "Eoin called security", "Fatema's case ref": a proper noun that acts like a person.
    fn acts_like_a_person(&self, i: usize) -> Option<&'static str> {
        let (w, fl) = (&self.ws[i], &self.fl[i]);
        let gap_after = if i + 1 < self.ws.len() {
            self.gap(i, i + 1)
        } else {
            ""
        };
        let proper = ((w.cap && (!fl.english || fl.known))
            || (w.lower_case && !fl.english && w.nchars >= 3))
            && !w.is(KINSHIP | ROLE | TITLE);
        let acts = self.ws.get(i + 1).is_some_and(|w| w.is(VERB)) && gap_after.trim().is_empty();
        let lower_forename_possessive = w.lower_case
            && w.possessive
            && fl.known
            && !fl.english
            && !w.is(KINSHIP | ROLE)
            && !w.is(FUNCTION)
            && !after_determiner(self.text, self.ws, i);
        if lower_forename_possessive && !fl.not_name {
            return Some("possessive forename");
        }
        let item_to = self.text[..w.start].trim_end().ends_with([':', ';'])
            && self.ws.get(i + 1).is_some_and(|n| n.lower == "to");
        let joy = w.cap
            && fl.ambiguous
            && fl.fore
            && !w.is(KINSHIP | ROLE | TITLE)
            && (next_is_verb(self.text, self.ws, i) || item_to);
        if joy && !fl.not_name {
            return Some("name before a verb of speech or action");
        }
        // "patience rang back" at the start of a line of lower-case notes
        let spoken = w.lower_case
            && fl.fore
            && at_sentence_start(self.text, w)
            && self
                .ws
                .get(i + 1)
                .is_some_and(|n| n.is(VERB) && n.lower_case)
            && gap_after.trim().is_empty()
            && !w.is(KINSHIP | ROLE | TITLE);
        if spoken && !fl.not_name {
            return Some("forename before a verb of speech or action");
        }
        if proper && !fl.not_name && (acts || w.possessive) && !fl.ambiguous {
            Some(if acts {
                "name before a verb of speech or action"
            } else {
                "possessive proper noun"
            })
        } else {
            None
        }
    }

    /// A capitalised word away from the start of a sentence.
    fn inside_a_sentence(&self, i: usize) -> Option<&'static str> {
        let (w, fl) = (&self.ws[i], &self.fl[i]);
        if at_sentence_start(self.text, w) || !w.cap || fl.not_name || fl.place {
            return None;
        }
        // a proper noun inside a sentence: "interview Tendai", "guard Kidus speaks"
        if !fl.english && w.nchars >= 3 {
            return Some("proper noun inside a sentence");
        }
        // a forename that is also a word, used as a name: "is Miles,", "Grant from the ICO", "Miles's eye"
        let after = self.text[w.end..]
            .trim_start_matches(['\'', '’', 's'])
            .chars()
            .next();
        let name_like_next = self
            .ws
            .get(i + 1)
            .is_some_and(|w| w.is(VERB) || w.lower == "from")
            || matches!(after, Some(',' | '?' | ')'))
            || w.possessive;
        (fl.fore && name_like_next && !w.is(KINSHIP | ROLE | TITLE))
            .then_some("forename used as a name")
    }

    /// Initials: "SJP to re-check", "from AO", "DL to strike".
    fn initials(&self, i: usize) -> bool {
        let w = &self.ws[i];
        let fl = &self.fl[i];
        if !all_caps(w.text) || w.nchars > 3 {
            return false;
        }
        // "Actions: NB chase; ID draft the guide; DO book room", "Present: AB, CD": in such a
        // list capitals at the start of an item are people, even where they spell a word
        let line_head = self.line_label(i, 16);
        let listing = [
            "actions:",
            "action:",
            "present:",
            "attendees:",
            "apologies:",
            "minutes:",
        ]
        .iter()
        .any(|h| line_head.starts_with(h));
        let item_start = self.text[..w.start].trim_end().ends_with([':', ';', ',']);
        if listing
            && item_start
            && !["NHS", "GP", "DWP", "CRM", "HPO", "DPO", "AOB"].contains(&w.text)
        {
            return true;
        }
        // "PK and SO on the door": capitals joined to initials
        let joined_to_initials = i >= 2
            && matches!(self.ws[i - 1].lower.as_str(), "and" | "&")
            && all_caps(self.ws[i - 2].text)
            && self.ws[i - 2].nchars <= 3
            && !ACRONYMS.contains(self.ws[i - 2].text)
            && !self.fl[i - 2].english;
        if joined_to_initials && !ACRONYMS.contains(w.text) {
            return true;
        }
        if w.nchars > 3
            || ACRONYMS.contains(w.text)
            // two-letter dictionary entries are mostly abbreviations ("pd", "kt"): only
            // real words rule initials out there
            || (fl.english && (w.nchars > 2 || w.is(TWO_LETTER)))
            || fl.not_name
            || fl.place
        {
            return false;
        }
        let after = self.text[w.end..].trim_start().chars().next();
        let verbish = self.ws.get(i + 1).is_some_and(|n| {
            n.lower_case
                && self.gap(i, i + 1).trim().is_empty()
                && (n.is(INIT_AFTER | VERB)
                    || n.is(AUXILIARY)
                    || n.is(ACTION)
                    || n.nchars >= 5 && (n.lower.ends_with("ing") || n.lower.ends_with("ed")))
        });
        // an item of minutes or an action list: "Minutes: KT", "; MQ slides" (a lower-case
        // word after it, so that a marker or pseudonym, "[PERSON]", "P01", never counts: the
        // text redacted again must not change)
        let item = self.text[..w.start].trim_end().ends_with([':', ';'])
            && self.ws.get(i + 1).is_some_and(|n| n.lower_case);
        let by_word = verbish || item;
        // "the ICO", "a DWP letter": an organisation
        if self
            .prev_lower(i)
            .is_some_and(|p| matches!(p, "the" | "a" | "an"))
        {
            return false;
        }
        let by_mark = matches!(after, Some('-' | ':'));
        let by_prev = self.prev_lower(i).is_some_and(|p| {
            [
                "from", "with", "by", "to", "and", "ask", "tell", "saw", "see", "seen", "met",
                "told", "asked", "called", "rang", "emailed", "phoned", "thanked", "per", "via",
            ]
            .contains(&p)
        });
        // "TM and RA are both off"
        let before_initials = self.ws.get(i + 2).is_some_and(|n| {
            matches!(self.ws[i + 1].lower.as_str(), "and" | "&")
                && all_caps(n.text)
                && n.nchars <= 3
                && !ACRONYMS.contains(n.text)
        });
        by_word || by_mark || by_prev || before_initials
    }
}
