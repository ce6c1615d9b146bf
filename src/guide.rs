//! Topic guides as text: read from Markdown (headings are sections, list items are questions,
//! items nested under a question are its prompts) and written back the same way, so a guide
//! can be drafted in any editor, imported, edited in the app and exported again.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

/// Most questions one guide may hold: far above any interview's, and a bound on what a
/// mistaken import of a large file can do.
pub const MAX_QUESTIONS: usize = 500;

/// Longest question, section or prompt, in characters.
pub const MAX_TEXT_CHARS: usize = 2_000;

/// Largest Markdown file read as a guide.
pub const MAX_GUIDE_BYTES: usize = 1024 * 1024;

/// One question of a guide, as written.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GuideItem {
    /// The section heading it is under (empty before any heading).
    pub section: String,
    /// The question.
    pub text: String,
    /// Follow-up prompts for the interviewer.
    pub prompts: Vec<String>,
}

/// A guide read from Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedGuide {
    /// The document's title (its only top-level heading, when it has deeper ones too).
    pub title: Option<String>,
    /// The questions in order.
    pub items: Vec<GuideItem>,
    /// Paragraphs outside any list, which are not questions and were left out.
    pub skipped: usize,
}

/// Why a text is not a guide.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GuideError {
    /// Nothing in it is a list item.
    #[error(
        "no questions found: write each question as a list item (`- What happens when…?`) under a section heading (`## Arriving`), and its prompts as items indented under it"
    )]
    NoQuestions,
    /// Too many questions.
    #[error(
        "the guide has {0} questions, more than the {MAX_QUESTIONS} a guide may hold: split it into guides for each session kind"
    )]
    TooManyQuestions(usize),
    /// A question, prompt or heading too long to be one.
    #[error(
        "a question, prompt or heading is {0} characters long, more than {MAX_TEXT_CHARS}: is this the right file?"
    )]
    TooLong(usize),
    /// The file is too large to be a guide.
    #[error("the file is {} KB, too large to be a topic guide (at most {} KB): is this the right file?", .0 / 1024, MAX_GUIDE_BYTES / 1024)]
    TooLarge(usize),
}

/// Cleans one line of guide text: control characters go, runs of whitespace become one space.
pub fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|c| !c.is_control() && !crate::text::is_bidi_control(*c))
        .collect::<String>()
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// What the reader is collecting text for.
enum Target {
    None,
    Heading(HeadingLevel),
    Item,
    Paragraph,
}

/// Reads a guide from Markdown: every heading starts a section (a single `#` title above
/// `##` sections is the guide's title instead), every top-level list item is a question, and
/// list items nested under it are its prompts. Other paragraphs are counted as skipped.
pub fn parse_markdown(md: &str) -> Result<ParsedGuide, GuideError> {
    if md.len() > MAX_GUIDE_BYTES {
        return Err(GuideError::TooLarge(md.len()));
    }
    let headings = heading_levels(md);
    let title_level = match headings.as_slice() {
        [HeadingLevel::H1, rest @ ..]
            if !rest.is_empty() && rest.iter().all(|l| *l != HeadingLevel::H1) =>
        {
            Some(HeadingLevel::H1)
        }
        _ => None,
    };
    let mut title = None;
    let mut section = String::new();
    let mut items: Vec<GuideItem> = Vec::new();
    let mut skipped = 0;
    let mut depth = 0usize;
    let mut buf = String::new();
    let mut target = Target::None;
    // an item's own text ends where a nested list starts
    let mut item_open = false;
    for ev in Parser::new(md) {
        match ev {
            Event::Start(Tag::Heading { level, .. }) => {
                buf.clear();
                target = Target::Heading(level);
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Target::Heading(level) = target {
                    let text = clean(&buf);
                    if Some(level) == title_level && title.is_none() {
                        title = Some(text);
                    } else {
                        section = text;
                    }
                }
                target = Target::None;
            }
            Event::Start(Tag::List(_)) => {
                if item_open {
                    finish_item(&mut items, &section, &mut buf, depth)?;
                    item_open = false;
                }
                depth += 1;
            }
            Event::End(TagEnd::List(_)) => depth = depth.saturating_sub(1),
            Event::Start(Tag::Item) => {
                if item_open {
                    finish_item(&mut items, &section, &mut buf, depth)?;
                }
                buf.clear();
                item_open = true;
                target = Target::Item;
            }
            Event::End(TagEnd::Item) => {
                if item_open {
                    finish_item(&mut items, &section, &mut buf, depth)?;
                    item_open = false;
                }
                target = Target::None;
            }
            Event::Start(Tag::Paragraph) if depth == 0 => {
                buf.clear();
                target = Target::Paragraph;
            }
            Event::End(TagEnd::Paragraph) if depth == 0 => {
                if matches!(target, Target::Paragraph) && !clean(&buf).is_empty() {
                    skipped += 1;
                }
                target = Target::None;
            }
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t)
                if !matches!(target, Target::None) =>
            {
                buf.push_str(&t);
            }
            Event::SoftBreak | Event::HardBreak => buf.push(' '),
            _ => {}
        }
        if items.len() > MAX_QUESTIONS {
            return Err(GuideError::TooManyQuestions(items.len()));
        }
    }
    if items.is_empty() {
        return Err(GuideError::NoQuestions);
    }
    if let Some(t) = &title {
        check_len(t)?;
    }
    Ok(ParsedGuide {
        title,
        items,
        skipped,
    })
}

/// The level of every heading, in order.
fn heading_levels(md: &str) -> Vec<HeadingLevel> {
    Parser::new(md)
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(level),
            _ => None,
        })
        .collect()
}

fn check_len(s: &str) -> Result<(), GuideError> {
    let n = s.chars().count();
    if n > MAX_TEXT_CHARS {
        return Err(GuideError::TooLong(n));
    }
    Ok(())
}

/// Ends the item being read: a question at depth 1, a prompt of the last question deeper.
fn finish_item(
    items: &mut Vec<GuideItem>,
    section: &str,
    buf: &mut String,
    depth: usize,
) -> Result<(), GuideError> {
    let text = clean(buf);
    buf.clear();
    if text.is_empty() {
        return Ok(());
    }
    check_len(&text)?;
    check_len(section)?;
    match items.last_mut() {
        Some(q) if depth > 1 => q.prompts.push(text),
        _ => items.push(GuideItem {
            section: section.to_owned(),
            text,
            prompts: Vec::new(),
        }),
    }
    Ok(())
}

/// Writes a guide as Markdown that [`parse_markdown`] reads back to the same questions.
pub fn to_markdown(title: &str, items: &[GuideItem]) -> String {
    let mut out = format!("# {}\n", escape(title));
    let mut section: Option<&str> = None;
    for q in items {
        if section != Some(q.section.as_str()) {
            if !q.section.is_empty() || section.is_some() {
                let heading = if q.section.is_empty() {
                    "Questions"
                } else {
                    &q.section
                };
                out.push_str(&format!("\n## {}\n\n", escape(heading)));
            } else {
                out.push('\n');
            }
            section = Some(&q.section);
        }
        out.push_str(&format!("- {}\n", escape(&q.text)));
        for p in &q.prompts {
            out.push_str(&format!("  - {}\n", escape(p)));
        }
    }
    out
}

/// Escapes what Markdown would read as markup at the start of a line or inline.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // a leading list marker (`- `, `+ `, `1. `, `2) `) would start a nested list
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    let marker = match s.chars().nth(digits) {
        Some('.' | ')') if digits > 0 => Some(digits),
        Some('-' | '+') if digits == 0 => Some(0),
        _ => None,
    };
    for (i, c) in s.chars().enumerate() {
        if Some(i) == marker {
            out.push('\\');
        }
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '!' | '|' | '~' | '$' | '&'
        ) && Some(i) != marker
        {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const GUIDE: &str = r"# Front desk interviews

Read the information sheet first.

## Arriving

- What happens when someone comes to the desk without an appointment?
  - Who do they see first?
  - How long do they wait?
- What does the building look like to them?

## When it goes wrong

1. Tell me about a time someone became distressed.
2. What would have helped?
";

    #[test]
    fn headings_are_sections_items_questions_and_nested_items_prompts() {
        let g = parse_markdown(GUIDE).unwrap();
        assert_eq!(g.title.as_deref(), Some("Front desk interviews"));
        assert_eq!(g.skipped, 1, "the paragraph is not a question");
        let texts: Vec<(&str, &str, usize)> = g
            .items
            .iter()
            .map(|q| (q.section.as_str(), q.text.as_str(), q.prompts.len()))
            .collect();
        assert_eq!(
            texts,
            [
                (
                    "Arriving",
                    "What happens when someone comes to the desk without an appointment?",
                    2
                ),
                ("Arriving", "What does the building look like to them?", 0),
                (
                    "When it goes wrong",
                    "Tell me about a time someone became distressed.",
                    0
                ),
                ("When it goes wrong", "What would have helped?", 0),
            ]
        );
        assert_eq!(
            g.items[0].prompts,
            ["Who do they see first?", "How long do they wait?"]
        );
    }

    #[test]
    fn without_a_single_title_every_heading_is_a_section() {
        let g = parse_markdown("# One\n- a?\n# Two\n- b?\n").unwrap();
        assert_eq!(g.title, None);
        assert_eq!(g.items[0].section, "One");
        assert_eq!(g.items[1].section, "Two");
        let g = parse_markdown("- before any heading?\n").unwrap();
        assert_eq!(g.items[0].section, "");
    }

    #[test]
    fn control_characters_and_markup_are_cleaned() {
        let g = parse_markdown("## Sec\u{1b}[31mtion\n- What **matters**\u{202e} most?\n").unwrap();
        assert_eq!(g.items[0].section, "Sec[31mtion");
        assert_eq!(g.items[0].text, "What matters most?");
    }

    #[test]
    fn text_without_questions_or_too_much_is_refused() {
        assert_eq!(
            parse_markdown("# Title\n\nJust prose.\n"),
            Err(GuideError::NoQuestions)
        );
        let many = "- q?\n".repeat(MAX_QUESTIONS + 1);
        assert!(matches!(
            parse_markdown(&many),
            Err(GuideError::TooManyQuestions(_))
        ));
        let long = format!("- {}\n", "a".repeat(MAX_TEXT_CHARS + 1));
        assert!(matches!(parse_markdown(&long), Err(GuideError::TooLong(_))));
        let huge = "x".repeat(MAX_GUIDE_BYTES + 1);
        assert!(matches!(
            parse_markdown(&huge),
            Err(GuideError::TooLarge(_))
        ));
    }

    #[test]
    fn written_markdown_reads_back_to_the_same_questions() {
        let g = parse_markdown(GUIDE).unwrap();
        let md = to_markdown("Front desk interviews", &g.items);
        let again = parse_markdown(&md).unwrap();
        assert_eq!(again.items, g.items);
        assert_eq!(again.title.as_deref(), Some("Front desk interviews"));
        let odd = vec![GuideItem {
            section: "# not a *heading*".into(),
            text: "1. [link](x) <b>?".into(),
            prompts: vec!["- dash".into()],
        }];
        let back = parse_markdown(&to_markdown("T", &odd)).unwrap();
        assert_eq!(back.items, odd);
    }
}
