//! CSV, JSON and XLSX: what a spreadsheet or a script reads.

use super::*;

fn schema_validator() -> (boon::Schemas, boon::SchemaIndex) {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../../../assets/export.schema.json")).unwrap();
    let mut compiler = boon::Compiler::new();
    compiler.add_resource("export.schema.json", schema).unwrap();
    let mut schemas = boon::Schemas::new();
    let index = compiler
        .compile("export.schema.json", &mut schemas)
        .unwrap();
    (schemas, index)
}

pub(super) fn valid(doc: &serde_json::Value) -> Result<(), String> {
    let (schemas, index) = schema_validator();
    schemas.validate(doc, index).map_err(|e| e.to_string())
}

/// The fixture with notes a spreadsheet must show as written, and one it must not evaluate.
fn with_signs() -> Store {
    let store = fixture();
    let sid = store.sessions(Some("F2F")).unwrap()[0].id;
    for text in [
        "-5 degrees in the waiting room",
        "+44 is the country code on the form",
        "- bullet from the flipchart",
        "-2+3",
    ] {
        store
            .note_add(note(sid, Some("P02"), NoteKind::Paraphrase, text))
            .unwrap();
    }
    store
}

#[test]
fn csv_starts_with_a_byte_order_mark_and_defuses_only_formulas() {
    let s = text(&with_signs(), &all(), Format::Csv);
    assert!(s.starts_with('\u{feff}'), "a UTF-8 byte order mark first");
    assert!(s[3..].starts_with("note_id,"), "then the header");
    assert_eq!(s.matches('\u{feff}').count(), 1);
    for plain in [
        ",-5 degrees in the waiting room\n",
        ",+44 is the country code on the form\n",
        ",- bullet from the flipchart\n",
    ] {
        assert!(s.contains(plain), "{plain:?} is shown as written:\n{s}");
    }
    assert!(s.contains(",'-2+3\n"), "a formula is defused:\n{s}");
    assert!(s.contains("'=SUM(A1)"), "{s}");
}

#[test]
fn json_has_its_version_sessions_participants_ideas_and_colours_and_fits_its_schema() {
    let s = text(&fixture(), &all(), Format::Json);
    let v: serde_json::Value = serde_json::from_str(&s).unwrap();
    assert_eq!(v["format_version"], 3);
    assert_eq!(v["sessions"].as_array().unwrap().len(), 2);
    let interview = &v["sessions"][0];
    assert_eq!(interview["kind"], "interview");
    assert_eq!(interview["month"], "2024-03");
    assert_eq!(interview["title"], "Interview with P01");
    assert_eq!(
        interview["participants"][0],
        serde_json::json!({"pseudonym": "P01", "role": "person with lived experience"})
    );
    assert_eq!(interview["facilitators"], serde_json::json!(["F1"]));
    assert_eq!(
        v["participants"],
        serde_json::json!([
            {"pseudonym": "P01", "role": "person with lived experience"},
            {"pseudonym": "P02", "role": "customer support officer"},
        ])
    );
    let ideas = v["ideas"].as_array().unwrap();
    let votes: Vec<i64> = ideas.iter().map(|i| i["votes"].as_i64().unwrap()).collect();
    assert_eq!(votes, [5, 2, 1], "most votes first");
    assert_eq!(ideas[0]["cluster"], "Welcome");
    assert_eq!(ideas[0]["text"], "Water and seats in the queue");
    assert_eq!(v["themes"][0]["colour"], "#c53030");
    assert_eq!(v["themes"][1]["parent"], "Safety");
    assert_eq!(
        v["themes"][0]["by_role"][0]["role"],
        "person with lived experience"
    );
    let e = &v["excerpts"][0];
    assert_eq!(e["pseudonym"], "P01");
    assert!(e.get("speaker").is_none(), "one name for one field");
    assert_eq!(e["codings"][0]["theme"], "Safety");
    assert!(e["codings"][0]["start"].is_u64());
    valid(&v).unwrap();
}

#[test]
fn the_schema_rejects_what_is_not_the_export() {
    let s = text(&fixture(), &all(), Format::Json);
    let good: serde_json::Value = serde_json::from_str(&s).unwrap();
    valid(&good).unwrap();
    let broken = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut v = good.clone();
        f(&mut v);
        valid(&v)
    };
    // version 1's names and shape
    assert!(broken(&|v| v["format_version"] = 1.into()).is_err());
    assert!(
        broken(&|v| {
            v.as_object_mut().unwrap().remove("format_version");
        })
        .is_err()
    );
    assert!(
        broken(&|v| {
            let e = v["excerpts"][0].as_object_mut().unwrap();
            let p = e.remove("pseudonym").unwrap();
            e.insert("speaker".into(), p);
        })
        .is_err()
    );
    assert!(
        broken(&|v| v["excerpts"][0]["codings"][0] = serde_json::json!(["Safety", 0, 3])).is_err()
    );
    assert!(broken(&|v| v["excerpts"][0]["note_id"] = "1".into()).is_err());
    assert!(broken(&|v| v["sessions"][0]["month"] = "March 2024".into()).is_err());
    assert!(broken(&|v| v["themes"][0]["by_role"][0]["group"] = "x".into()).is_err());
    assert!(
        broken(&|v| {
            v.as_object_mut().unwrap().remove("ideas");
        })
        .is_err()
    );
}

#[test]
fn xlsx_opens_with_typed_cells_and_every_sheet() {
    use calamine::{Data, Reader, Xlsx};
    let store = with_signs();
    let p = prepare(&store, &all(), "2026-11-23").unwrap();
    let bytes = p.render(Format::Xlsx).unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(
        wb.sheet_names(),
        ["excerpts", "themes", "themes by role", "sessions", "ideas"]
    );
    let ex = wb.worksheet_range("excerpts").unwrap();
    let head: Vec<String> = ex
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(head, super::super::data::EXCERPT_COLUMNS);
    let rows: Vec<&[Data]> = ex.rows().skip(1).collect();
    assert_eq!(rows.len(), 11);
    assert_eq!(rows[0][0], Data::Float(1.0), "note ids are numbers");
    assert_eq!(rows[0][1], Data::Float(1.0), "session ids are numbers");
    assert_eq!(rows[0][9], Data::Float(0.0), "votes are numbers");
    assert_eq!(rows[0][5], Data::String("P01".into()));
    let text = head.iter().position(|h| h == "text").unwrap();
    let texts: Vec<&Data> = rows.iter().map(|r| &r[text]).collect();
    // text is a string cell exactly as written: no apostrophe, no formula
    assert!(texts.contains(&&Data::String("=SUM(A1) queue at 9am.".into())));
    assert!(texts.contains(&&Data::String("-2+3".into())));
    assert!(texts.contains(&&Data::String("-5 degrees in the waiting room".into())));
    let formulas = wb.worksheet_formula("excerpts").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no formula anywhere"
    );
    let ideas = wb.worksheet_range("ideas").unwrap();
    let second: Vec<&Data> = ideas.rows().nth(1).unwrap().iter().collect();
    assert_eq!(second[0], &Data::Float(1.0));
    assert_eq!(second[4], &Data::Float(5.0), "most votes first");
    assert_eq!(second[5], &Data::String("Welcome".into()));
    let themes = wb.worksheet_range("themes").unwrap();
    let safety: Vec<String> = themes
        .rows()
        .nth(1)
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(safety, ["Safety", "", "Feeling unsafe", "#c53030", "1"]);
    let sessions = wb.worksheet_range("sessions").unwrap();
    let first: Vec<String> = sessions
        .rows()
        .nth(1)
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(first[1], "Interview with P01");
    assert!(
        first[4].contains("P01 (person with lived experience)"),
        "{first:?}"
    );
    assert_no_leak(&format!("{:?}", ex));
}

#[test]
fn xlsx_is_refused_when_an_identifier_would_leave() {
    let store = fixture();
    store.list_add("F2F", false, "07700 900461").unwrap();
    let p = prepare(&store, &all(), "2026-11-23").unwrap();
    match p.render(Format::Xlsx) {
        Err(ExportError::Leak { what, location, .. }) => {
            assert_eq!(what, "a phone number from the notes");
            assert!(
                location.starts_with("the XLSX sheet excerpts, line"),
                "{location}"
            );
        }
        other => panic!("expected a refusal, got {:?}", other.map(|b| b.len())),
    }
    assert_eq!(
        Format::from_path(std::path::Path::new("board.xlsx")).unwrap(),
        Format::Xlsx
    );
    assert_eq!("XLSX".parse::<Format>().unwrap(), Format::Xlsx);
}

#[test]
fn json_carries_the_memos_and_the_withdrawn_anonymised_and_fits_its_schema() {
    let store = fixture();
    super::qdpx::tests::with_memos(&store);
    let s = text(&store, &all(), Format::Json);
    assert!(!s.contains("900999"), "a memo's phone number left: {s}");
    let v: serde_json::Value = serde_json::from_str(&s).unwrap();
    valid(&v).unwrap();
    let memos = v["memos"].as_array().unwrap();
    assert_eq!(memos.len(), 4, "{memos:?}");
    let about = |a: &str| memos.iter().filter(|m| m["about"] == a).count();
    assert_eq!(
        (about("theme"), about("session"), about("note")),
        (1, 1, 2),
        "{memos:?}"
    );
    let theme = memos.iter().find(|m| m["about"] == "theme").unwrap();
    assert_eq!(theme["theme"], "Safety");
    assert!(theme["id"].is_null());
    assert!(
        memos
            .iter()
            .any(|m| m["text"] == "P01 seemed tired; ring him on [PHONE]."),
        "{memos:?}"
    );
    assert_eq!(v["withdrawn"], 0);
    assert_eq!(v["memos_withheld"], 0);
    // a memo about a note must say which
    let mut broken = v.clone();
    let at = memos.iter().position(|m| m["about"] == "note").unwrap();
    broken["memos"][at]
        .as_object_mut()
        .unwrap()
        .remove("note_id");
    assert!(valid(&broken).is_err());
}
