//! Spreadsheet cells that stay text: the defence against formula injection in CSV.
//!
//! A spreadsheet opening a CSV reads each cell as if it were typed, so a cell that reads as a
//! formula is evaluated: `=HYPERLINK(…)` can send data away, `+cmd|' /C calc'!A0` (DDE) can
//! start a program. A leading apostrophe makes the cell text, but the apostrophe stays visible
//! to every other reader (pandas, R, a text editor), so it is added only where a spreadsheet
//! would evaluate the cell. The rule, on the cell's first character (full-width `＝ ＋ － ＠`,
//! which some spreadsheets read like their ASCII forms, count as them):
//!
//! - `=` or `@`: always defused (`=1+1`, `@SUM(A1)`).
//! - tab, carriage return or line feed: always defused (a spreadsheet may drop the control
//!   character and read what follows).
//! - `+` or `-`: left as it is only when what follows can only be a number or ordinary words,
//!   that is when **both** hold:
//!   1. the character after the sign is a digit or a space, or there is none (`-5 degrees`,
//!      `+44 20 7946 0000`, `- bullet`, `-`); a letter, a bracket, a quote or another sign
//!      right after it reads as a name, a reference or a call (`+A1`, `-SUM(A1)`, `--1`);
//!   2. no character after the sign is a formula operator or reference mark:
//!      `= + - * / ^ & ( ) < > ! | : % $ " @ [ ] { } ; #` (`-2+3`, `- 1/0`, `+1 cmd|'x'!A0`).
//!
//!   Everything else starting with `+` or `-` is defused.
//! - anything else: left as it is.
//!
//! A defused cell gets one leading apostrophe, which spreadsheets hide.

/// Operators and reference marks that make a cell starting with `+` or `-` a formula.
const FORMULA_MARKS: &[char] = &[
    '=', '+', '-', '*', '/', '^', '&', '(', ')', '<', '>', '!', '|', ':', '%', '$', '"', '@', '[',
    ']', '{', '}', ';', '#',
];

/// The ASCII form of a full-width sign some spreadsheets read as one.
fn ascii_sign(c: char) -> char {
    match c {
        '＝' => '=',
        '＋' => '+',
        '－' => '-',
        '＠' => '@',
        c => c,
    }
}

/// Whether a spreadsheet would evaluate `s` as a formula (see the module's rule).
pub fn would_evaluate(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next().map(ascii_sign) else {
        return false;
    };
    match first {
        '=' | '@' | '\t' | '\r' | '\n' => true,
        '+' | '-' => {
            let rest = chars.as_str();
            let plain_start = rest
                .chars()
                .next()
                .is_none_or(|c| c.is_ascii_digit() || c == ' ');
            let marks = rest
                .chars()
                .map(ascii_sign)
                .any(|c| FORMULA_MARKS.contains(&c));
            !plain_start || marks
        }
        _ => false,
    }
}

/// The cell as a spreadsheet should show it: `s` unchanged, or with one leading apostrophe
/// when a spreadsheet would evaluate it as a formula.
pub fn cell(s: &str) -> String {
    if would_evaluate(s) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_a_spreadsheet_would_evaluate_is_defused() {
        // (cell, defused)
        let table: &[(&str, bool)] = &[
            // ordinary text stays as it is
            ("", false),
            ("plain words", false),
            ("-5 degrees", false),
            ("+44 20 7946 0000", false),
            ("- bullet", false),
            ("+ also this", false),
            ("-", false),
            ("+", false),
            ("-5", false),
            ("-3.5 on the scale, then 4", false),
            ("-5.5°C outside", false),
            ("- it's fine, really", false),
            ("a = b", false),
            ("5+5", false),
            ("'quoted'", false),
            (" =1+1", false),
            // always a formula
            ("=1+1", true),
            ("=SUM(A1:A9)", true),
            ("@SUM(A1)", true),
            ("@", true),
            ("＝1+1", true),
            ("＠SUM(A1)", true),
            ("\tx", true),
            ("\rx", true),
            ("\nx", true),
            // a sign followed by a formula
            ("-2+3", true),
            ("+A1", true),
            ("-SUM(A1)", true),
            ("+cmd|' /C calc'!A0", true),
            ("-1 cmd|' /C calc'!A0", true),
            ("- 1/0", true),
            ("--1", true),
            ("-(1)", true),
            ("+\"text\"", true),
            ("-hello", true),
            ("+ 5 * 2", true),
            ("-5 %", true),
            ("－2+3", true),
            ("＋A1", true),
            ("-5 degrees; -3 at night", true),
        ];
        for (s, defused) in table {
            let out = cell(s);
            if *defused {
                assert_eq!(out, format!("'{s}"), "{s:?} should be defused");
            } else {
                assert_eq!(out, *s, "{s:?} should stay as it is");
            }
        }
    }
}
