//! Labelled data (`../shared/data/*.jsonl`): the rows `gatehouse train` learns from and
//! `gatehouse eval` measures against.
//!
//! A row is `{"id", "text", "labels": [...], "spans": [{"label", "kind", "start", "end"}], "group"?}`.
//! Span offsets in the files count Unicode code points; they are turned into byte offsets here so the
//! rest of the analyser works in bytes only.

use crate::Label;

#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub id: String,
    pub text: String,
    pub labels: Vec<Label>,
    pub spans: Vec<Span>,
    pub group: Option<String>,
}

/// A labelled span, in bytes of [`Row::text`].
#[derive(Clone, Debug, PartialEq)]
pub struct Span {
    pub label: Label,
    pub kind: String,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, thiserror::Error, PartialEq)]
#[error("line {line}: {problem}")]
pub struct CorpusError {
    pub line: usize,
    pub problem: String,
}

#[derive(serde::Deserialize)]
struct RawRow {
    id: serde_json::Value,
    text: String,
    #[serde(default)]
    labels: Vec<String>,
    #[serde(default)]
    spans: Vec<RawSpan>,
    #[serde(default)]
    group: Option<String>,
}

#[derive(serde::Deserialize)]
struct RawSpan {
    label: String,
    kind: String,
    start: usize,
    end: usize,
}

/// Parse a whole JSONL file. Blank lines are skipped; any other bad line is an error naming it.
pub fn parse_jsonl(text: &str) -> Result<Vec<Row>, CorpusError> {
    let mut rows = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        rows.push(parse_row(line).map_err(|problem| CorpusError { line: n + 1, problem })?);
    }
    Ok(rows)
}

fn parse_row(line: &str) -> Result<Row, String> {
    let raw: RawRow = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let id = match raw.id {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    };
    let labels = raw.labels.iter().map(|l| l.parse::<Label>().map_err(|e| e.to_string())).collect::<Result<_, _>>()?;
    let spans = raw
        .spans
        .into_iter()
        .map(|s| {
            let label = s.label.parse::<Label>().map_err(|e| e.to_string())?;
            let start = byte_offset(&raw.text, s.start).ok_or(format!("span start {} is past the text", s.start))?;
            let end = byte_offset(&raw.text, s.end).ok_or(format!("span end {} is past the text", s.end))?;
            Ok(Span { label, kind: s.kind, start, end })
        })
        .collect::<Result<_, String>>()?;
    Ok(Row { id, text: raw.text, labels, spans, group: raw.group })
}

/// The byte offset of code point `n`, or `None` past the end.
fn byte_offset(text: &str, n: usize) -> Option<usize> {
    text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len())).nth(n)
}

/// Whether a row belongs to the held-out part of a data set: a stable hash of its id, so the split
/// is the same on every machine and run, and independent of row order.
pub fn is_held_out(id: &str, percent: u64) -> bool {
    // FNV-1a: tiny, stable across Rust versions (unlike `DefaultHasher`).
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h % 100 < percent
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_become_byte_offsets() {
        let rows = parse_jsonl(
            r#"{"id": "a", "text": "Zoë: 07700 900123", "labels": ["personal_info"], "spans": [{"label": "personal_info", "kind": "phone", "start": 5, "end": 17}]}"#,
        )
        .unwrap();
        let row = &rows[0];
        assert_eq!(&row.text[row.spans[0].start..row.spans[0].end], "07700 900123");
        assert_eq!(row.labels, [Label::PersonalInfo]);
    }

    #[test]
    fn bad_lines_are_named() {
        let err = parse_jsonl("{\"id\": 1, \"text\": \"ok\"}\n\n{\"id\": 2}\n").unwrap_err();
        assert_eq!(err.line, 3);
        let err = parse_jsonl("{\"id\": 1, \"text\": \"ok\", \"labels\": [\"nope\"]}").unwrap_err();
        assert!(err.problem.contains("unknown label"));
    }

    #[test]
    fn held_out_split_is_stable_and_about_the_right_size() {
        assert_eq!(is_held_out("davidson-17", 20), is_held_out("davidson-17", 20));
        let held = (0..10_000).filter(|i| is_held_out(&format!("davidson-{i}"), 20)).count();
        assert!((1_700..2_300).contains(&held), "{held}");
    }
}
