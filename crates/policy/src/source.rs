//! Where things are in the policy file, so every message can name file:line:column.
//!
//! The file is deserialised with serde, which reports at most one error and knows no field paths.
//! Alongside it we keep toml's spanned document tree, flattened into dotted paths
//! (`moderation.rules[2].action`) with the byte spans of their keys and values. That one map answers
//! both questions the rest of the crate asks: "which field is this serde error about?" and "where is
//! the field that validation or the linter wants to talk about?".

use std::fmt;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

#[derive(Clone, Debug)]
struct Entry {
    path: String,
    key: Option<Range<usize>>,
    value: Range<usize>,
}

/// Dotted paths of the file mapped to their positions.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    file: String,
    entries: Vec<Entry>,
    /// Byte offset at which each line starts.
    line_starts: Vec<usize>,
    source: String,
}

impl SourceMap {
    /// Map `source`. A file with a syntax error maps to nothing but its lines: positions still
    /// work, paths fall back to the top of the file.
    pub fn new(file: &str, source: &str) -> SourceMap {
        let mut entries = Vec::new();
        if let Ok(root) = DeTable::parse(source) {
            let span = root.span();
            walk_table(root.get_ref(), "", &mut entries);
            entries.push(Entry { path: String::new(), key: None, value: span });
        }
        let line_starts = std::iter::once(0).chain(source.match_indices('\n').map(|(i, _)| i + 1)).collect();
        SourceMap { file: file.to_string(), entries, line_starts, source: source.to_string() }
    }

    /// The file name given when parsing.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Line and column of a byte offset (clamped to the text, and to a character boundary).
    pub fn location_of_offset(&self, offset: usize) -> Location {
        let mut offset = offset.min(self.source.len());
        while !self.source.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&start| start <= offset).max(1);
        let start = self.line_starts[line - 1];
        Location { line, column: self.source[start..offset].chars().count() + 1 }
    }

    /// Where a field is: its key if it has one, else its value. A path that is not in the file (a
    /// missing field) is placed at its nearest ancestor that is.
    pub fn locate(&self, path: &str) -> Location {
        let mut path = path;
        loop {
            if let Some(entry) = self.entries.iter().find(|e| e.path == path) {
                let span = entry.key.clone().unwrap_or(entry.value.clone());
                return self.location_of_offset(span.start);
            }
            match parent(path) {
                Some(p) => path = p,
                None => return Location { line: 1, column: 1 },
            }
        }
    }

    /// The field a byte span belongs to: an entry whose key or value is exactly this span (the
    /// deepest, since an array of tables and its element share a header span), else the innermost
    /// value that contains the span's start.
    pub fn path_at(&self, span: &Range<usize>) -> Option<&str> {
        let exact = self.entries.iter().filter(|e| e.key.as_ref() == Some(span) || &e.value == span);
        if let Some(e) = exact.max_by_key(|e| e.path.len()) {
            return Some(&e.path);
        }
        self.entries
            .iter()
            .filter(|e| e.value.start <= span.start && span.start < e.value.end)
            .min_by_key(|e| e.value.len())
            .map(|e| e.path.as_str())
    }
}

/// `a.b[2].c` → `a.b[2]` → `a.b` → `a` → `` → none.
fn parent(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    Some(match path.rfind(['.', '[']) {
        Some(i) => &path[..i],
        None => "",
    })
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() { key.to_string() } else { format!("{prefix}.{key}") }
}

fn walk_table(table: &DeTable<'_>, prefix: &str, out: &mut Vec<Entry>) {
    for (key, value) in table.iter() {
        let path = join(prefix, key.get_ref());
        out.push(Entry { path: path.clone(), key: Some(key.span()), value: value.span() });
        walk_value(value, &path, out);
    }
}

fn walk_value(value: &Spanned<DeValue<'_>>, path: &str, out: &mut Vec<Entry>) {
    match value.get_ref() {
        DeValue::Table(table) => walk_table(table, path, out),
        DeValue::Array(array) => {
            for (i, item) in array.iter().enumerate() {
                let item_path = format!("{path}[{i}]");
                out.push(Entry { path: item_path.clone(), key: None, value: item.span() });
                walk_value(item, &item_path, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = "[school]\nname = \"x\"\n\n[[channels]]\nplatform = \"facebook_page\"\n\n[[channels]]\nplatform = \"myspace\"\n";

    #[test]
    fn paths_and_locations() {
        let map = SourceMap::new("p.toml", SRC);
        assert_eq!(map.locate("school.name"), Location { line: 2, column: 1 });
        assert_eq!(map.locate("channels[1].platform"), Location { line: 8, column: 1 });
        // Missing: placed at the nearest ancestor that exists.
        assert_eq!(map.locate("channels[1].manager"), Location { line: 7, column: 1 });
        assert_eq!(map.locate("nowhere.at.all"), Location { line: 1, column: 1 });
        let value = SRC.find("\"myspace\"").unwrap();
        assert_eq!(map.path_at(&(value..value + 9)), Some("channels[1].platform"));
        let header = SRC.rfind("[[channels]]").unwrap();
        assert_eq!(map.path_at(&(header..header + 12)), Some("channels[1]"));
    }

    #[test]
    fn offsets_count_characters() {
        let map = SourceMap::new("p.toml", "a = \"é\"\nb = 1\n");
        assert_eq!(map.location_of_offset(7), Location { line: 1, column: 7 });
        assert_eq!(map.location_of_offset(6), Location { line: 1, column: 6 });
        assert_eq!(map.location_of_offset(9), Location { line: 2, column: 1 });
        assert_eq!(map.location_of_offset(999), Location { line: 3, column: 1 });
    }
}
