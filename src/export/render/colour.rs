//! Theme colours as the HTML may use them: a colour the researcher set is taken only when it
//! is a plain hex colour or a basic colour name, so nothing else reaches CSS or SVG; other
//! themes take the next colour of a fixed palette that stays apart for colour-blind readers.

/// The fallback palette (Okabe and Ito), dark enough for white text beside it to read.
const PALETTE: [&str; 7] = [
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000",
];

/// Colour names a researcher may type, as CSS knows them.
const NAMES: [&str; 18] = [
    "black", "silver", "gray", "grey", "white", "maroon", "red", "purple", "fuchsia", "green",
    "lime", "olive", "yellow", "navy", "blue", "teal", "aqua", "orange",
];

/// The colour when it is safe to put in a stylesheet or an SVG attribute as it is: `#rgb`,
/// `#rrggbb`, or a basic colour name, lower-cased.
pub fn checked(colour: &str) -> Option<String> {
    let c = colour.trim().to_ascii_lowercase();
    let hex = c
        .strip_prefix('#')
        .is_some_and(|h| matches!(h.len(), 3 | 6) && h.bytes().all(|b| b.is_ascii_hexdigit()));
    (hex || NAMES.contains(&c.as_str())).then_some(c)
}

/// The colour of the `n`th theme drawn: its own when it passes [`checked`], else the
/// palette's.
pub fn of(own: Option<&str>, n: usize) -> String {
    own.and_then(checked)
        .unwrap_or_else(|| PALETTE[n % PALETTE.len()].to_owned())
}
