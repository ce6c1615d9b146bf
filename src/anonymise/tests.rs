use super::*;

fn anon(people: &[(&str, &str)]) -> Anonymiser {
    Anonymiser::new(&Registry {
        people: people
            .iter()
            .map(|(n, p)| KnownPerson {
                name: (*n).into(),
                pseudonym: (*p).into(),
            })
            .collect(),
        ..Default::default()
    })
}

#[test]
fn registered_names_in_every_form() {
    let a = anon(&[("Aisha Khan", "P01")]);
    let out = a
        .redact("Aisha Khan came in. aisha's bag; MS KHAN left; Ms Khan; Khan's file; AISHA.")
        .text;
    assert_eq!(
        out,
        "P01 came in. P01's bag; P01 left; P01; P01's file; P01."
    );
    let a = anon(&[("Florin Popescu", "P02")]);
    assert_eq!(
        a.redact("Popesku said no").text,
        "P02 said no",
        "one-letter variant"
    );
}

#[test]
fn every_substitution_says_why() {
    let a = anon(&[("Aisha Khan", "P01")]);
    let r = a.redact("Aisha rang from 07700 900461 about NW1 2BH.");
    let kinds: Vec<Kind> = r.substitutions.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        vec![Kind::RegisteredName, Kind::Phone, Kind::Postcode]
    );
    assert!(r.substitutions.iter().all(|s| !s.rule.is_empty()));
    assert_eq!(r.text, "P01 rang from [PHONE] about NW1.");
}

#[test]
fn unregistered_names_from_context() {
    let a = anon(&[]);
    for (input, gone) in [
        ("My brother Tomasz was with me.", "Tomasz"),
        ("Mr Gebremedhin was calm.", "Gebremedhin"),
        ("Spoke with Oluwaseun Adebayo at the desk.", "Adebayo"),
        ("his mate stoyan came too", "stoyan"),
        ("SJP to re-check every form", "SJP"),
    ] {
        let out = a.redact(input).text;
        assert!(!out.contains(gone), "{input} -> {out}");
    }
}

#[test]
fn ordinary_words_and_places_survive() {
    let a = anon(&[]);
    for s in [
        "Grace periods for rent arrears were discussed.",
        "Will call back on Monday if the room is free.",
        "May and June were the busiest months.",
        "The Housing Needs Group met in Camden at 16:30.",
        "Security staff said the Council should publish opening hours.",
        "The guard in the lobby and the officer on duty were calm.",
    ] {
        assert_eq!(a.redact(s).text, s);
    }
}

#[test]
fn allow_and_deny_lists() {
    let a = Anonymiser::new(&Registry {
        people: vec![],
        allow: vec!["Tomasz Street".into()],
        deny: vec!["the red-haired guard".into()],
        ..Registry::default()
    });
    assert_eq!(
        a.redact("The Red-haired Guard shouted.").text,
        "[REDACTED] shouted."
    );
}

#[test]
fn names_file_parsing() {
    let p = parse_names_file("Aisha Khan\tP07\nBo Li\n# comment\n");
    assert_eq!(
        (p[0].pseudonym.as_str(), p[1].pseudonym.as_str()),
        ("P07", "P02")
    );
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn output_is_stable_and_valid(s in "\\PC{0,200}") {
            let a = anon(&[("Aisha Khan", "P01")]);
            let once = a.redact(&s).text;
            let twice = a.redact(&once).text;
            prop_assert_eq!(&once, &twice);
        }

        #[test]
        fn lists_never_cut_inside_a_character(s in "[İıẞßaAxX ]{0,40}") {
            let a = Anonymiser::new(&Registry {
                deny: vec!["x".into(), "i".into()],
                allow: vec!["ß".into()],
                ..Registry::default()
            });
            let out = a.redact(&s);
            prop_assert!(out.substitutions.iter().all(|x| s.is_char_boundary(x.start) && s.is_char_boundary(x.end)));
        }

        #[test]
        fn no_registered_name_survives(case in 0usize..4, possessive in any::<bool>(), pre in "[a-z ]{0,20}", post in "[a-z ]{0,20}") {
            let a = anon(&[("Aisha Khan", "P01")]);
            let forms = ["Aisha", "KHAN", "aisha khan", "Ms Khan"];
            let name = format!("{}{}", forms[case], if possessive { "'s" } else { "" });
            let out = a.redact(&format!("{pre} {name} {post}")).text.to_lowercase();
            prop_assert!(!out.contains("aisha") && !out.contains("khan"), "{}", out);
        }
    }
}

/// Found by the stability property: capitals after a colon became "initials" only once the
/// word after them had been replaced by a marker, so a second pass changed the text.
#[test]
fn a_marker_after_capitals_does_not_make_them_initials() {
    let a = anon(&[("Aisha Khan", "P01")]);
    for s in [":ἘÀ꒐Aਾa", ":AB Bob", "Notes: AB Aisha"] {
        let once = a.redact(s).text;
        assert_eq!(a.redact(&once).text, once, "{s}");
    }
    // the rule itself still holds for a lower-case word after the capitals
    assert_eq!(
        a.redact("Actions; MQ slides").text,
        "Actions; [PERSON] slides"
    );
}

/// Redacts `text` and checks which words went and which stayed.
fn removes_keeps(a: &Anonymiser, text: &str, gone: &[&str], kept: &[&str]) {
    let out = a.redact(text).text;
    let words: Vec<&str> = out
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .collect();
    for g in gone {
        assert!(
            !words.iter().any(|w| w.eq_ignore_ascii_case(g)),
            "{g:?} survived in {out:?}"
        );
    }
    for k in kept {
        assert!(out.contains(k), "{k:?} was removed from {text:?}: {out:?}");
    }
}

#[test]
fn unregistered_names_in_casual_text() {
    let a = anon(&[]);
    let rows: &[(&str, &[&str], &[&str])] = &[
        // naming phrases, whatever the word
        (
            "said his name is bartek but everyone calls him biscuit",
            &["bartek", "biscuit"],
            &["said his name is", "everyone calls him"],
        ),
        (
            "a regular known as Sergeant waits outside",
            &["Sergeant"],
            &["a regular known as", "waits outside"],
        ),
        (
            "Preferred name: Bunny\nDOB unknown",
            &["Bunny"],
            &["Preferred name"],
        ),
        (
            "she has a friend called April who visits in April",
            &[],
            &["who visits in April", "a friend called"],
        ),
        // descriptive nicknames
        (
            "slept near tall kaz and little ade by the bins",
            &["kaz", "tall", "ade"],
            &["slept near", "by the bins"],
        ),
        // a role beside a name
        (
            "Lenka (shift supervisor) recalled the night",
            &["Lenka"],
            &["(shift supervisor) recalled the night"],
        ),
        (
            "the porter, Wednesday, opened the side door",
            &["Wednesday"],
            &["the porter", "opened the side door"],
        ),
        // an unknown capitalised word opening a sentence about him or her
        (
            "Nothing new. Gazza by the lifts, she's kind to everyone.",
            &["Gazza"],
            &["by the lifts", "kind to everyone"],
        ),
        // a kinship word, a forename that is also a word, and a verb
        (
            "her nan ivy comes every week",
            &["ivy"],
            &["her nan", "comes every week"],
        ),
        // initials in minutes and actions
        (
            "Minutes: TW\n2. PD has booked the room. TW covering reception.\nActions: PD agenda; GH slides.",
            &["TW", "PD", "GH"],
            &[
                "has booked the room",
                "covering reception",
                "agenda",
                "slides",
            ],
        ),
        // a name broken over a line, and across a particle
        (
            "a support worker, Philippa\nGrayson-Marsh, wrote to us about Luis de Almeida's case",
            &["Philippa", "Grayson-Marsh", "Luis", "Almeida"],
            &["wrote to us about", "case"],
        ),
        // a line labelled as a name, surname first
        (
            "Name: WIERZBICKI, Jan Marek (no fixed abode)",
            &["WIERZBICKI", "Jan", "Marek"],
            &["Name:", "(no fixed abode)"],
        ),
        // a forename that is also a word, before a verb at the start of a line
        (
            "lunch.\npatience rang back at 2",
            &["patience"],
            &["rang back at 2"],
        ),
        // a short form of a name found in the same text
        (
            "[10:01] sam: was it bernadette\n[10:02] al: yes, bern again",
            &["bernadette", "bern"],
            &["was it", "yes", "again"],
        ),
        // a possessive typed without its apostrophe spreads a found name
        (
            "a man, old tadek, sat down. tadeks bag was wet",
            &["tadek", "tadeks"],
            &["sat down", "bag was wet"],
        ),
    ];
    for (text, gone, kept) in rows {
        removes_keeps(&a, text, gone, kept);
    }
}

#[test]
fn ordinary_words_places_and_abbreviations_stay() {
    let a = anon(&[]);
    for text in [
        "\"I've had enough,\" she said. \"I'd go if I could, I'm tired.\"",
        "we met at King's Cross and then St Mungo's",
        "born in Galway, moved to Kraków, then to Luton",
        "the hpo team and the CSO rota; the ICO has written",
        "ok thats fine, doesnt matter, open Mon-Fri",
        "INCIDENT LOG - week 3",
        "FW: visitor on Monday",
        "a grace period; no hope of a room; to be honest; in April",
        "Hope is what keeps people coming back. Patience was thin by 4pm.",
        "went back to Leeds in May",
    ] {
        let r = a.redact(text);
        assert!(
            r.substitutions.is_empty(),
            "{text:?} lost {:?}",
            r.substitutions
                .iter()
                .map(|s| (&s.original, s.rule))
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn registered_names_that_are_words_go_only_as_names() {
    let a = anon(&[("Grace Obi", "P01"), ("Sunday Eze", "P02")]);
    removes_keeps(
        &a,
        "grace gave her details. there is a grace period. Grace: \"no\". open on Sunday. Sunday rang back.",
        &[],
        &[
            "there is a grace period",
            "open on Sunday",
            "P01 gave her details",
            "P01:",
            "P02 rang back",
        ],
    );
    // a registered name that is not an everyday word goes everywhere, in any case
    let a = anon(&[("Aisha Khan", "P01")]);
    assert_eq!(a.redact("KHAN. khan").text, "P01. P01");
}

#[test]
fn a_name_found_in_one_text_is_removed_from_the_others() {
    let a = anon(&[]);
    let found = a.names_found("Ms Ines Varga (receptionist) came down");
    assert!(found.contains(&"ines".to_owned()) && found.contains(&"varga".to_owned()));
    let before = a.redact("met varga upstairs").text;
    assert!(before.contains("varga"), "weak on its own: {before}");
    let a = a.with_seen_names(found);
    let after = a.redact("met varga upstairs");
    assert_eq!(after.text, "met [PERSON] upstairs");
    assert!(
        after
            .substitutions
            .iter()
            .all(|s| s.rule == "same name found in another text of this export"),
        "{:?}",
        after.substitutions
    );
}

#[test]
fn registered_names_in_disguise() {
    let a = anon(&[("Maria Lopez", "P01"), ("José Núñez", "P02")]);
    for (text, want) in [
        (
            "wrote to Maria Lo-\npez about it",
            "wrote to P01 P01 about it",
        ),
        ("Ma-ria came", "P01 came"),
        (
            "see instagram.com/maria.lopez.88 for",
            "see instagram.com/P01.88 for",
        ),
        ("her handle is @marialopez88 now", "her handle is @P01 now"),
        ("signed Ｍａｒｉａ Ｌｏｐｅｚ", "signed P01"),
        ("typed M a r i a in capitals", "typed P01 in capitals"),
        ("Jose Nunez rang", "P02 rang"),
        ("JOSÉ rang", "P02 rang"),
    ] {
        assert_eq!(a.redact(text).text, want, "{text:?}");
    }
}
#[test]
fn ages_become_bands_only_when_the_registry_asks() {
    let text = "P01 - 34, came with her son, 7, and Mariam (61); in his 40s; at 16:30.";
    let plain = anon(&[("Aisha Khan", "P01")]);
    assert!(
        plain
            .redact(text)
            .substitutions
            .iter()
            .all(|s| s.kind != Kind::Age)
    );
    let banded = Anonymiser::new(&Registry {
        people: vec![KnownPerson {
            name: "Aisha Khan".into(),
            pseudonym: "P01".into(),
        }],
        generalise_ages: true,
        ..Registry::default()
    });
    let r = banded.redact(text);
    assert_eq!(
        r.text, "P01 - 30–39, came with her son, 5–11, and [PERSON] (60–69); in his 40s; at 16:30.",
        "{:?}",
        r.substitutions
    );
    assert!(
        r.substitutions
            .iter()
            .filter(|s| s.kind == Kind::Age)
            .all(|s| s.rule.contains("band") && !s.kind.is_identifier())
    );
}

/// The anonymiser's cost grows with the text and no faster: the work it counts (bytes
/// tokenised and scanned by the identifier patterns, phrases matched, candidates, steps of
/// resolving overlaps) stays under a constant per byte, and four times the text costs at
/// most five times the work. Counted, never timed, so it cannot flake on a busy machine.
mod scaling {
    use super::*;
    use proptest::prelude::*;

    /// Fragments that stress every recogniser: names in every form, identifiers, dates,
    /// digits, capitalised words, runs without spaces, phrases on the lists, overlaps.
    const FRAGMENTS: &[&str] = &[
        "Aisha Khan said ",
        "aisha's ",
        "Ms KHAN ",
        "Popesku ",
        "My brother Tomasz ",
        "Mr Gebremedhin was calm. ",
        "Oluwaseun Adebayo ",
        "SJP to re-check ",
        "Grace ",
        "Will ",
        "May ",
        "the red-haired guard ",
        "Camden Square ",
        "St Pancras ",
        "NW1 2BH ",
        "nw12bh",
        "07700 900461 ",
        "+44 7254 583 663 ",
        "943 476 5919 ",
        "JT580693A ",
        "florin45@icloud.com ",
        "a@b@c@d.",
        "CRM 1900383 ",
        "HNG-2023-04417/",
        "K01CL417",
        "14 Agar Grove ",
        "Flat 9, 16 Savernake Road ",
        "Coniston House, Mansfield Road ",
        "DOB 23/4/84 ",
        "born 9 June '86 ",
        "12/07/1955",
        "1111111111111111111111",
        "ABCDEFGHIJKLMNOPQRSTUV",
        "O'Sullivan-Smith's ",
        "----''''",
        "İxẞ ß ",
        "\n",
        ". ",
        ", ",
        "   ",
        "Housing Needs Group ",
        "at 16:30 on 9 November 2023 ",
        "Kowalski Kowalsky Kowaslki ",
        "A B C D E F ",
    ];

    /// A text of about `bytes` bytes from the fragments, chosen by a small deterministic
    /// generator from `seed`.
    fn text(seed: u64, bytes: usize) -> String {
        let mut s = String::with_capacity(bytes + 64);
        let mut x = seed | 1;
        while s.len() < bytes {
            // xorshift64
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            s.push_str(FRAGMENTS[(x % FRAGMENTS.len() as u64) as usize]);
        }
        s
    }

    fn anonymiser() -> Anonymiser {
        Anonymiser::new(&Registry {
            people: [("Aisha Khan", "P01"), ("Florin Popescu", "P02")]
                .iter()
                .map(|(n, p)| KnownPerson {
                    name: (*n).into(),
                    pseudonym: (*p).into(),
                })
                .collect(),
            allow: vec!["Camden".into(), "Housing Needs Group".into(), "ß".into()],
            deny: vec!["the red-haired guard".into(), "x".into(), "aa".into()],
            ..Registry::default()
        })
    }

    /// The work counted for redacting `s` (the output is used, so nothing is skipped).
    fn work(a: &Anonymiser, s: &str) -> u64 {
        let before = ops();
        std::hint::black_box(a.redact(s));
        ops() - before
    }

    #[test]
    fn work_is_linear_in_the_text() {
        let a = anonymiser();
        for seed in [1, 7, 42] {
            let n = 64 * 1024;
            let (small, large) = (text(seed, n), text(seed, 4 * n));
            let (w1, w4) = (work(&a, &small), work(&a, &large));
            assert!(w1 > 0, "the counter counts");
            let per_byte = w4 as f64 / large.len() as f64;
            assert!(per_byte < 16.0, "seed {seed}: {per_byte:.1} units a byte");
            let ratio = w4 as f64 / w1 as f64 * small.len() as f64 / (large.len() as f64 / 4.0);
            assert!(
                ratio <= 5.0,
                "seed {seed}: 4× the text cost {ratio:.2}× the work"
            );
        }
    }

    #[test]
    fn one_long_run_without_spaces_is_linear() {
        let a = anonymiser();
        for unit in ["a", "1", "A1", "x", "'-", "ab-", "aa"] {
            let (small, large) = (unit.repeat(20_000), unit.repeat(80_000));
            let (w1, w4) = (work(&a, &small), work(&a, &large));
            assert!(w4 <= 5 * w1.max(1), "{unit:?}: {w1} then {w4}");
            assert!(w4 < 16 * large.len() as u64, "{unit:?}: {w4}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(8))]

        #[test]
        fn work_per_byte_is_bounded(seed in any::<u64>(), kib in 1usize..1024) {
            let a = anonymiser();
            let s = text(seed, kib * 1024);
            let w = work(&a, &s);
            prop_assert!(w < 16 * s.len() as u64, "{} units for {} bytes", w, s.len());
        }
    }
}

/// The deny and allow lists are searched in one pass for all phrases; it finds what
/// searching the lower-cased text for each phrase on its own finds.
mod lists {
    use super::*;
    use proptest::prelude::*;

    fn each_phrase(text: &str, phrases: &[&str]) -> Vec<(usize, usize)> {
        let lowered = text.to_lowercase();
        let mut v: Vec<(usize, usize)> = phrases
            .iter()
            .map(|p| p.to_lowercase())
            .filter(|p| !p.is_empty())
            .flat_map(|p| {
                lowered
                    .match_indices(p.as_str())
                    .map(|(i, m)| (i, i + m.len()))
                    .collect::<Vec<_>>()
            })
            .collect();
        v.sort_unstable();
        v
    }

    #[test]
    fn one_pass_finds_each_phrase_as_alone() {
        let phrases = ["aa", "a", "The Guard", "guard", "x"];
        let list = PhraseList::new(&phrases.map(String::from)).expect("phrases");
        for text in [
            "aaaa",
            "the guard THE GUARD theguard",
            "xax aaa",
            "",
            "nothing here",
        ] {
            let mut got = list.find(text);
            got.sort_unstable();
            assert_eq!(got, each_phrase(text, &phrases), "{text:?}");
        }
        assert!(PhraseList::new(&[" ".into(), String::new()]).is_none());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn same_as_searching_each_phrase(text in "[aAbB xX]{0,60}", phrases in proptest::collection::vec("[aAbBx ]{1,4}", 1..5)) {
            let refs: Vec<&str> = phrases.iter().map(String::as_str).collect();
            let Some(list) = PhraseList::new(&phrases) else {
                prop_assert!(phrases.iter().all(|p| p.trim().is_empty()));
                return Ok(());
            };
            let mut got = list.find(&text);
            got.sort_unstable();
            let trimmed: Vec<String> = refs.iter().map(|p| p.trim().to_owned()).collect();
            let trimmed: Vec<&str> = trimmed.iter().map(String::as_str).collect();
            prop_assert_eq!(got, each_phrase(&text, &trimmed));
        }
    }
}
