//! The document as CommonMark.

use std::fmt::Write as _;

use crate::render::doc::{Block, Document, Inline, Line, Section};

pub fn write(doc: &Document) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n\n{}\n", escape(&doc.title), escape(&doc.subtitle));
    for (label, value) in &doc.cover {
        let _ = writeln!(out, "- **{}:** {}", escape(label), escape(value));
    }
    out.push_str("\n## Contents\n\n");
    for s in &doc.sections {
        let _ = writeln!(out, "{}. {}", s.number, escape(&s.title));
    }
    for s in &doc.sections {
        section(&mut out, s, 2);
    }
    out
}

fn section(out: &mut String, s: &Section, level: usize) {
    let _ = write!(out, "\n{} {}\n", "#".repeat(level), escape(&s.heading()));
    for block in &s.blocks {
        out.push('\n');
        match block {
            Block::Paragraph(line) => {
                let _ = writeln!(out, "{}", block_start(inline(line)));
            }
            Block::List(items) => {
                for item in items {
                    let _ = writeln!(out, "- {}", block_start(inline(item)));
                }
            }
            Block::Quote(line) => {
                let _ = writeln!(out, "> {}", block_start(inline(line)));
            }
        }
    }
    for sub in &s.subsections {
        section(out, sub, level + 1);
    }
}

fn inline(line: &Line) -> String {
    let mut out = String::new();
    for part in line {
        match part {
            Inline::Text(t) => out.push_str(&escape(t)),
            Inline::Strong(t) => {
                let _ = write!(out, "**{}**", escape(t));
            }
            // Clause IDs are letters, digits and dots (see ClauseId), so a code span needs no escaping.
            Inline::Clause(id) => {
                let _ = write!(out, " `{id}`");
            }
            Inline::Link { text, href } => {
                let _ = write!(out, "[{}](<{}>)", escape(text), link(href));
            }
        }
    }
    out
}

/// Backslash-escape every character CommonMark might read as markup, and keep each block on one
/// line: a line break inside a list item or heading would end it.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A block whose text starts like a list item ("- ", "+ ") or a numbered list ("1. ", "2) ") would
/// become one: escape the marker. A backslash before a digit is no escape, so it goes before the
/// `.` or `)`.
fn block_start(mut text: String) -> String {
    if text.starts_with(['-', '+']) {
        text.insert(0, '\\');
    } else if let Some(marker) = numbered_marker(&text) {
        text.insert(marker, '\\');
    }
    text
}

/// The byte offset of the `.` or `)` in "12. " or "12) ", if the text starts that way.
fn numbered_marker(text: &str) -> Option<usize> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &text[digits..];
    let marks = rest.starts_with(['.', ')']) && (rest.len() == 1 || rest[1..].starts_with([' ', '\t']));
    (digits > 0 && marks).then_some(digits)
}

/// A destination inside `<…>`: no angle brackets or line breaks allowed.
fn link(href: &str) -> String {
    href.replace('<', "%3C").replace('>', "%3E").replace(['\n', '\r'], "")
}
