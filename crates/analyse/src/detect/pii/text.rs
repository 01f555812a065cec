//! Small questions about the original text at a byte position, shared by the personal-data detectors.
//! Every position they take and return lies on a character boundary.

/// The character that ends just before `pos`.
pub(super) fn prev_char(text: &str, pos: usize) -> Option<char> {
    text[..pos].chars().next_back()
}

/// The character that starts at `pos`.
pub(super) fn next_char(text: &str, pos: usize) -> Option<char> {
    text[pos..].chars().next()
}

/// Whether a token may start at `pos`: nothing alphanumeric (in any script) runs into it. The `n` of
/// an escaped line break (`\n` as two characters, as text exported from JSON carries it) does not.
pub(super) fn starts_token(text: &str, pos: usize) -> bool {
    let before = &text[..pos];
    let escaped = before.ends_with("\\n") || before.ends_with("\\r") || before.ends_with("\\t");
    escaped || !prev_char(text, pos).is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// Whether a token may end at `pos`.
pub(super) fn ends_token(text: &str, pos: usize) -> bool {
    !next_char(text, pos).is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// The largest character boundary at or before `pos`.
pub(super) fn floor_boundary(text: &str, mut pos: usize) -> usize {
    pos = pos.min(text.len());
    while !text.is_char_boundary(pos) {
        pos -= 1;
    }
    pos
}

/// The end of the run of ASCII digits starting at `pos`.
pub(super) fn digits_end(bytes: &[u8], mut pos: usize) -> usize {
    while pos < bytes.len() && bytes[pos].is_ascii_digit() {
        pos += 1;
    }
    pos
}

/// The next digit at or after `pos`. Skips 32 bytes at a time where there is none, in a form the
/// compiler turns into SIMD: most comments have few digits, and several detectors walk them.
pub(super) fn next_digit(bytes: &[u8], mut pos: usize) -> Option<usize> {
    const BLOCK: usize = 32;
    let is_digit = |b: &u8| b.wrapping_sub(b'0') < 10;
    while pos + BLOCK <= bytes.len() {
        let block = &bytes[pos..pos + BLOCK];
        if block.iter().fold(false, |any, b| any | is_digit(b)) {
            return block.iter().position(is_digit).map(|i| pos + i);
        }
        pos += BLOCK;
    }
    bytes.get(pos..)?.iter().position(is_digit).map(|i| pos + i)
}

/// Spaces that separate groups of digits or words on one line: space, tab, and the no-break and
/// thin spaces that word processors and phones insert.
pub(super) fn is_inline_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{00A0}' | '\u{2007}' | '\u{2009}' | '\u{202F}')
}

/// The end of the inline spaces starting at `pos`, and how many there were.
pub(super) fn skip_spaces(text: &str, pos: usize) -> (usize, usize) {
    let mut end = pos;
    let mut count = 0;
    for c in text[pos..].chars() {
        if !is_inline_space(c) {
            break;
        }
        end += c.len_utf8();
        count += 1;
    }
    (end, count)
}

/// A line break at `pos`: a real one, or the two characters `\n` that text exported from JSON or a
/// spreadsheet carries instead. Returns where the next line starts.
pub(super) fn line_break(text: &str, pos: usize) -> Option<usize> {
    let rest = &text.as_bytes()[pos..];
    match rest {
        [b'\r', b'\n', ..] => Some(pos + 2),
        [b'\n' | b'\r', ..] => Some(pos + 1),
        [b'\\', b'n' | b'r', b'\\', b'n', ..] => Some(pos + 4),
        [b'\\', b'n' | b'r', ..] => Some(pos + 2),
        _ => None,
    }
}

/// The word starting at `pos`: letters and digits of any script, with apostrophes and hyphens inside
/// it (`SMITH'S`, `ASHTON-UNDER-LYNE`). Returns its end (`pos` when no word starts there).
pub(super) fn word_end(text: &str, pos: usize) -> usize {
    let mut end = pos;
    let mut chars = text[pos..].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_alphanumeric() {
            end = pos + i + c.len_utf8();
        } else if matches!(c, '\'' | '’' | '-') && end == pos + i && end > pos {
            if !chars.peek().is_some_and(|(_, n)| n.is_alphanumeric()) {
                break;
            }
        } else {
            break;
        }
    }
    end
}

/// The word that ends at `end` (after any spaces before `pos`), as its start and end.
pub(super) fn word_before(text: &str, pos: usize) -> Option<(usize, usize)> {
    let mut end = pos;
    for c in text[..pos].chars().rev() {
        if !is_inline_space(c) {
            break;
        }
        end -= c.len_utf8();
    }
    let mut start = end;
    for c in text[..end].chars().rev() {
        if !(c.is_alphanumeric() || c == '\'' || c == '’') {
            break;
        }
        start -= c.len_utf8();
    }
    (start < end).then_some((start, end))
}

/// An ASCII word lower-cased into a small buffer, for looking up in the word lists without allocating.
/// Words that are not ASCII or are longer than the buffer are never in the lists.
pub(super) struct Lower {
    buf: [u8; 24],
    len: usize,
}

impl Lower {
    pub(super) fn new(word: &str) -> Option<Lower> {
        let bytes = word.as_bytes();
        if bytes.len() > 24 || !word.is_ascii() {
            return None;
        }
        let mut buf = [0; 24];
        for (d, s) in buf.iter_mut().zip(bytes) {
            *d = s.to_ascii_lowercase();
        }
        Some(Lower { buf, len: bytes.len() })
    }

    pub(super) fn as_str(&self) -> &str {
        // Lower-casing ASCII keeps it ASCII.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_inner_apostrophes_and_hyphens() {
        let text = "SMITH'S GREEN, ASHTON-UNDER-LYNE - Zoë's";
        assert_eq!(&text[..word_end(text, 0)], "SMITH'S");
        assert_eq!(&text[15..word_end(text, 15)], "ASHTON-UNDER-LYNE");
        assert_eq!(word_end(text, 33), 33, "a dash between spaces is no word");
        assert_eq!(&text[35..word_end(text, 35)], "Zoë's");
        assert_eq!(word_before(text, 13).map(|(s, e)| &text[s..e]), Some("GREEN"));
    }

    #[test]
    fn digits_are_found_across_blocks() {
        let text = format!("{}7{}42", "a".repeat(40), "b".repeat(70));
        let b = text.as_bytes();
        assert_eq!(next_digit(b, 0), Some(40));
        assert_eq!(next_digit(b, 41), Some(111));
        assert_eq!(next_digit(b, 113), None);
        assert_eq!(next_digit(b"", 0), None);
    }

    #[test]
    fn line_breaks_real_and_escaped() {
        assert_eq!(line_break("\nX", 0), Some(1));
        assert_eq!(line_break("\r\nX", 0), Some(2));
        assert_eq!(line_break("\\nX", 0), Some(2));
        assert_eq!(line_break("\\n\\nX", 0), Some(4));
        assert_eq!(line_break("nX", 0), None);
    }

    #[test]
    fn token_edges_see_any_script() {
        assert!(!starts_token("é1", 2));
        assert!(starts_token(" 1", 1));
        assert!(starts_token("Phone:\\n079", 8), "after an escaped line break");
        assert!(!starts_token("n079", 1));
        assert!(!ends_token("1x", 1));
        assert!(ends_token("1.", 1));
        assert_eq!(floor_boundary("aé", 2), 1);
    }
}
