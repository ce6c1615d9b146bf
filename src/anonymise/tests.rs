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
