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
