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
