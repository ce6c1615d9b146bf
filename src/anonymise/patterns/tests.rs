use super::*;

fn kinds(text: &str) -> Vec<(Kind, String)> {
    let mut v = Vec::new();
    find(text, &super::super::names::words(text), &mut v);
    v.into_iter()
        .map(|c| (c.kind, text[c.start..c.end].to_owned()))
        .collect()
}

fn finds(kind: Kind, sample: &str) -> bool {
    let embedded = format!("He said {sample}, then left.");
    kinds(sample).iter().any(|(k, s)| *k == kind && s == sample)
        && kinds(&embedded)
            .iter()
            .any(|(k, s)| *k == kind && s == sample)
}

#[test]
fn each_recogniser_matches_its_samples_bare_and_embedded() {
    let rows: &[(Kind, &[&str])] = &[
        (
            Kind::Email,
            &[
                "florin45@icloud.com",
                "h.tessema@lawcentre-nw.org.uk",
                "jlindo_84@hotmail.co.uk",
            ],
        ),
        (
            Kind::NhsNumber,
            &["943 476 5919", "9434765919", "814-695-1783", "603 941 9342"],
        ),
        (
            Kind::NiNumber,
            &["JT580693A", "EH 290471 A", "GT 12 93 64 B", "ra 406152 c"],
        ),
        (
            Kind::Postcode,
            &[
                "NW1 2BH", "nw1 2hn", "WC1N 1WP", "SE17 5WU", "NW106LB", "GIR 0AA",
            ],
        ),
        (
            Kind::Phone,
            &[
                "07700 900461",
                "+44 7254 583 663",
                "(020) 8448 6072",
                "020 7267 3349",
                "07289936367",
                "+251 91 133 4702",
            ],
        ),
        (
            Kind::CaseRef,
            &[
                "CRM 1900383",
                "HNG-2023-04417",
                "HPO/22/9837",
                "IGB-25-0611",
                "K01CL417",
                "CAD 3381/12JAN",
            ],
        ),
        (
            Kind::Address,
            &[
                "14 Agar Grove",
                "104 drummond st",
                "Flat 9, 16 Savernake Road",
                "Flat 21, Coniston House, Mansfield Road",
                "Coniston House, Mansfield Road",
                "12c Fortune Green Road",
                "56 Prince of Wales Road",
            ],
        ),
    ];
    for (kind, samples) in rows {
        for s in *samples {
            assert!(
                finds(*kind, s),
                "{kind:?} missed {s:?}: {:?}",
                kinds(&format!("He said {s}, then left."))
            );
        }
    }
}

#[test]
fn invalid_identifiers_do_not_match() {
    for s in ["943 476 5918", "1234567890"] {
        assert!(!kinds(s).iter().any(|(k, _)| *k == Kind::NhsNumber), "{s}");
    }
    for s in ["QQ123456C", "BG123456A", "AO123456A", "AB123456E"] {
        assert!(!kinds(s).iter().any(|(k, _)| *k == Kind::NiNumber), "{s}");
    }
    for s in ["NW1", "QW1 2BH", "NW1 2CH", "AB1 2IK"] {
        assert!(!kinds(s).iter().any(|(k, _)| *k == Kind::Postcode), "{s}");
    }
    for s in [
        "at 16:30",
        "2 hours",
        "COVID-19",
        "A&E",
        "level 2",
        "9 November 2023",
        "28/02",
        "Conversation 13, 6 June 2023, at Pancras Square",
        "the desk had closed at 16:30, so Dr Kavanagh called",
    ] {
        assert!(kinds(s).is_empty(), "{s}: {:?}", kinds(s));
    }
}

#[test]
fn dates_of_birth_are_generalised_to_the_decade() {
    let v = kinds("gave DOB 23/4/84 and");
    assert_eq!(v, vec![(Kind::DateOfBirth, "23/4/84".to_owned())]);
    let mut c = Vec::new();
    find(
        "born 9 June '86",
        &super::super::names::words("born 9 June '86"),
        &mut c,
    );
    assert_eq!(c[0].replacement, "[DOB 1980s]");
    assert!(kinds("interviewed on 9 November 2023").is_empty());
    assert_eq!(kinds("dob written in the age box, 01.03.1954.").len(), 1);
}

fn found(text: &str, kind: Kind) -> Vec<String> {
    kinds(text)
        .into_iter()
        .filter(|(k, _)| *k == kind)
        .map(|(_, s)| s)
        .collect()
}

#[test]
fn identifiers_in_less_usual_forms_bare_and_embedded() {
    let rows: &[(Kind, &[&str])] = &[
        (
            Kind::Phone,
            &[
                "07700.914.382",
                "0044 7911 630 245",
                "07 3 9 4 1 5 5 2 0 6 8",
                "+44 (0) 7700 900 123",
                "01632-960-418",
                "0044 (0) 20 7946 0112",
                "0 7 7 0 0 9 0 0 2 1 7",
            ],
        ),
        (
            Kind::NhsNumber,
            &[
                "9991.858.709",
                "2507 291 427",
                "485 777 3457",
                "4857-77-3457",
            ],
        ),
        (
            Kind::Postcode,
            &["nw6 3bt", "N W 1 2BH", "n w 1 2 b h", "E 8 3 RL"],
        ),
        (
            Kind::Address,
            &[
                "Flat 7, Harrowby Court",
                "flat 3b Marchmont House",
                "Flat 31, Curnock Estate",
                "apartment 12 Lindqvist Heights",
                "Flat 4, Ormond Lodge, Selkirk Road",
            ],
        ),
        (Kind::CaseRef, &["hpr-2025-3390", "abc/23/7781"]),
    ];
    for (kind, samples) in rows {
        for s in *samples {
            assert!(
                finds(*kind, s),
                "{kind:?} missed {s:?}: {:?}",
                kinds(&format!("He said {s}, then left."))
            );
        }
    }
}

#[test]
fn a_bracket_belongs_to_a_phone_number_only_round_an_area_code() {
    assert_eq!(
        found("ring her (07700 900461) today", Kind::Phone),
        ["07700 900461"]
    );
    assert_eq!(
        found("office (020) 8448 6072.", Kind::Phone),
        ["(020) 8448 6072"]
    );
}

#[test]
fn references_after_a_context_word_in_free_formats() {
    for (text, want) in [
        ("his letter ref hpo-2025-1142 came", "hpo-2025-1142"),
        ("letter ref is hpr/2025/3390 - sorry", "hpr/2025/3390"),
        ("crime ref 02/99817/25, then", "02/99817/25"),
        ("case no. 55120.", "55120"),
        ("a letter, case no 58213, he wants", "58213"),
        ("CRM no. 7712093", "7712093"),
        ("Police ref 5512204/25, crime", "5512204/25"),
        (
            "I've a letter here, reference HNX 2025 1178, it says",
            "HNX 2025 1178",
        ),
        ("reference hnx 2025 1178", "hnx 2025 1178"),
        ("incident log: 44817 at the desk", "44817"),
        ("claim number KT-88213-B", "KT-88213-B"),
    ] {
        assert!(
            found(text, Kind::CaseRef).iter().any(|s| s == want),
            "{text}: {:?}",
            kinds(text)
        );
    }
    for text in [
        "in case 2 of them came",
        "the case from 2019 was hard",
        "log at 16:30 then",
        "letter dated 12 March",
        "file 14 of 20",
        "the police came at 9",
        "a claim of £300",
        "case 2024-11-09 review",
    ] {
        assert!(
            found(text, Kind::CaseRef).is_empty(),
            "{text}: {:?}",
            kinds(text)
        );
    }
}

#[test]
fn phone_numbers_read_out_in_words() {
    let t = "So. My number is oh seven nine four six, two two one, nine oh eight. Bye.";
    assert_eq!(
        found(t, Kind::Phone),
        ["oh seven nine four six, two two one, nine oh eight"]
    );
    let t = "call me on zero seven double seven, nought nine one, treble four two";
    assert_eq!(
        found(t, Kind::Phone),
        ["zero seven double seven, nought nine one, treble four two"]
    );
    // digits in words but no word saying it is a number
    assert!(found("one two three four five six seven eight nine", Kind::Phone).is_empty());
    // a number word or two near "call" is not a phone number
    assert!(found("we had one call, then two more, three in all", Kind::Phone).is_empty());
}

fn dob(text: &str) -> Vec<(String, String)> {
    let mut v = Vec::new();
    find(text, &super::super::names::words(text), &mut v);
    v.into_iter()
        .filter(|c| c.kind == Kind::DateOfBirth)
        .map(|c| (text[c.start..c.end].to_owned(), c.replacement.into_owned()))
        .collect()
}

#[test]
fn dates_of_birth_in_words_ordinals_and_other_languages() {
    for (text, span, year) in [
        ("He was born 1979-10-09 and", "1979-10-09", "1979"),
        (
            "born on the 9th of October 1979.",
            "the 9th of October 1979",
            "1979",
        ),
        (
            "born on the twenty-second of May 1968",
            "the twenty-second of May 1968",
            "1968",
        ),
        (
            "born twenty-first of August 1958.",
            "twenty-first of August 1958",
            "1958",
        ),
        ("dob 3rd of June 91", "3rd of June 91", "1991"),
        ("dob on his band 3rd june 79", "3rd june 79", "1979"),
        (
            "born \"the ninth of october nineteen sixty-nine\" she said",
            "the ninth of october nineteen sixty-nine",
            "1969",
        ),
        (
            "Date of birth, she asked for that too, it's the fourth of the twelfth, eighty-three.",
            "the fourth of the twelfth, eighty-three",
            "1983",
        ),
        ("she was born in March 1951 in Cork", "March 1951", "1951"),
        (
            "nasceu a 12 de março de 1990",
            "12 de março de 1990",
            "1990",
        ),
        ("né le 3 février 1975", "3 février 1975", "1975"),
        ("urodzony 14 lutego 1982", "14 lutego 1982", "1982"),
        ("născut pe 7 iunie 1966", "7 iunie 1966", "1966"),
        (
            "nacido el 5 de septiembre de 1971",
            "5 de septiembre de 1971",
            "1971",
        ),
    ] {
        let got = dob(text);
        assert!(
            got.iter()
                .any(|(s, r)| s == span && *r == birth_decade(year.parse().unwrap_or(0))),
            "{text}: {got:?}"
        );
    }
    for text in [
        "interviewed 9 November 2023",
        "see you on the 3rd of June",
        "on the 3rd of June 2 people came",
        "the 5th may be better",
        "met on the 12th of March 2024 at the hub",
        "moved here in March 1998",
        "16:30 on the ninth",
    ] {
        assert!(dob(text).is_empty(), "{text}: {:?}", dob(text));
    }
}

#[test]
fn ordinary_numbers_are_not_identifiers() {
    for s in [
        "at 16:30 we met",
        "14 of 20 said yes",
        "back in 1998",
        "paid £2,500 in 2022",
        "room 204 on level 3",
        "took the 134 bus and the 24",
        "COVID-19 closed it",
        "a 1 2 ab",
        "flat 2 in the house",
        "0.5 of a day",
        "scores 3 4 5 6 7 8 9 1 2",
    ] {
        assert!(kinds(s).is_empty(), "{s}: {:?}", kinds(s));
    }
}

#[test]
fn no_panic_on_odd_input() {
    for s in [
        "ref",
        "case no.",
        "born the",
        "the ninth of",
        "number oh",
        "double",
        "case ref é",
        "flat 3 é",
        "ref 12345ééé",
        "nineteen",
        "born in May",
    ] {
        let _ = kinds(s);
    }
}

#[test]
fn nhs_checksum() {
    assert!(nhs_valid(&digits("9434765919")));
    assert!(!nhs_valid(&digits("9434765918")));
}
