//! The document as one accessible HTML page: `lang="en-GB"`, a title, one `h1`, headings that never
//! skip a level, real lists, and a contents list that links to each section. Every piece of text
//! from the file is escaped.

use std::fmt::Write as _;

use crate::render::doc::{Block, Document, Inline, Line, Section};

const STYLE: &str = "body{font-family:system-ui,sans-serif;line-height:1.5;max-width:46rem;margin:0 auto;padding:1rem;color:#1b1b1b;background:#fff}\
dl.cover{display:grid;grid-template-columns:max-content auto;gap:.25rem 1rem}dl.cover dt{font-weight:bold}dl.cover dd{margin:0}\
.clause{font-size:.85em;color:#3d3d3d;white-space:nowrap}blockquote{border-left:4px solid #767676;margin-left:0;padding-left:1rem}\
a{color:#0b4f9c}a:focus{outline:3px solid #000;outline-offset:2px}";

pub fn write(doc: &Document) -> String {
    let mut out = String::new();
    out.push_str("<!doctype html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(out, "<title>{} – {}</title>", escape(&doc.title), escape(&doc.subtitle));
    let _ = writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>");
    let _ = writeln!(out, "<header>\n<h1>{}</h1>\n<p>{}</p>", escape(&doc.title), escape(&doc.subtitle));
    out.push_str("<dl class=\"cover\">\n");
    for (label, value) in &doc.cover {
        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(label), escape(value));
    }
    out.push_str("</dl>\n</header>\n");
    out.push_str("<nav aria-labelledby=\"contents\">\n<h2 id=\"contents\">Contents</h2>\n<ol>\n");
    for s in &doc.sections {
        let _ = writeln!(out, "<li><a href=\"#{}\">{}</a></li>", s.anchor(), escape(&s.title));
    }
    out.push_str("</ol>\n</nav>\n<main>\n");
    for s in &doc.sections {
        section(&mut out, s, 2);
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn section(out: &mut String, s: &Section, level: usize) {
    let id = s.anchor();
    let _ =
        writeln!(out, "<section aria-labelledby=\"{id}\">\n<h{level} id=\"{id}\">{}</h{level}>", escape(&s.heading()));
    for block in &s.blocks {
        match block {
            Block::Paragraph(line) => {
                let _ = writeln!(out, "<p>{}</p>", inline(line));
            }
            Block::List(items) => {
                out.push_str("<ul>\n");
                for item in items {
                    let _ = writeln!(out, "<li>{}</li>", inline(item));
                }
                out.push_str("</ul>\n");
            }
            Block::Quote(line) => {
                let _ = writeln!(out, "<blockquote><p>{}</p></blockquote>", inline(line));
            }
        }
    }
    for sub in &s.subsections {
        section(out, sub, level + 1);
    }
    out.push_str("</section>\n");
}

fn inline(line: &Line) -> String {
    let mut out = String::new();
    for part in line {
        match part {
            Inline::Text(t) => out.push_str(&escape(t)),
            Inline::Strong(t) => {
                let _ = write!(out, "<strong>{}</strong>", escape(t));
            }
            Inline::Clause(id) => {
                let _ = write!(out, " <span class=\"clause\">[{}]</span>", escape(id));
            }
            Inline::Link { text, href } => {
                let _ = write!(out, "<a href=\"{}\">{}</a>", escape(href), escape(text));
            }
        }
    }
    out
}

/// Escape text for HTML content and attribute values alike.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
