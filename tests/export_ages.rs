//! Exports generalise exact ages to bands unless `--exact-ages` is given; `redact` keeps
//! them unless `--age-bands` is given.

mod common;

use common::TestVault;

fn project() -> TestVault {
    let v = TestVault::new();
    let sid = v.with_session();
    v.ok(
        &[
            "participant",
            "add",
            "--session",
            &sid,
            "--name",
            "Tesfay Habte",
        ],
        "",
    );
    v.ok(
        &["note", "add", "--session", &sid, "--speaker", "P01"],
        "P01 - 34, came with her son, 7, and waited 3 hours; a 67-year-old man in his 40s coat.",
    );
    v
}

#[test]
fn export_bands_ages_unless_told_to_keep_them() {
    let v = project();
    let out = v.tmp.path().join("out.md");
    v.ok(&["export", "--out", out.to_str().unwrap()], "");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.contains("P01 - 30–39, came with her son, 5–11, and waited 3 hours; a 60–69-year-old man in his 40s coat."),
        "{text}"
    );
    let exact = v.tmp.path().join("exact.md");
    v.ok(
        &["export", "--exact-ages", "--out", exact.to_str().unwrap()],
        "",
    );
    let text = std::fs::read_to_string(&exact).unwrap();
    assert!(
        text.contains("P01 - 34, came with her son, 7, and waited 3 hours; a 67-year-old man"),
        "{text}"
    );
}

#[test]
fn redact_keeps_ages_unless_asked_for_bands() {
    let v = TestVault::empty();
    let text = "woman aged 34 said";
    assert_eq!(v.ok(&["redact"], text), text);
    assert_eq!(
        v.ok(&["redact", "--age-bands"], text),
        "woman aged 30–39 said"
    );
}
