//! Hate written in symbols that folding cannot read: the antisemitic "echo" that puts a name in
//! triple parentheses, and the numbers racists use as slogans. Folding turns punctuation into
//! spaces and digits into the letters they stand for in leetspeak, so these are looked for in the
//! original text.

use memchr::memmem;

/// A symbol of hate found in the original text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Symbol {
    pub start: usize,
    pub end: usize,
    pub target: &'static str,
    pub meaning: &'static str,
}

/// Numbers used as slogans, with whom they target and what they mean. Each starts with a 1, the
/// byte [`find`] looks for first.
const CODES: &[(&str, &str, &str)] = &[
    ("13/50", "race", "the racist '13/50' crime-statistics slogan"),
    ("1488", "race", "the neo-Nazi code 1488 (the 'fourteen words' and 'Heil Hitler')"),
    ("14/88", "race", "the neo-Nazi code 14/88 (the 'fourteen words' and 'Heil Hitler')"),
];
/// The most a name in an echo may hold: "(((globalists)))", "(((the media)))".
const ECHO_REACH: usize = 40;

/// Every symbol of hate in `text`, in order.
pub(super) fn find(text: &str) -> Vec<Symbol> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    // Most texts have neither three brackets nor the digit every code starts with: byte searches
    // settle it, and each code is tried only where a 1 is.
    echoes(text, &mut out);
    for start in memchr::memchr_iter(b'1', bytes) {
        for &(code, target, meaning) in CODES {
            let end = start + code.len();
            if bytes[start..].starts_with(code.as_bytes())
                && stands_alone(bytes, start, end)
                && !counted(text, start, end)
            {
                out.push(Symbol { start, end, target, meaning });
            }
        }
    }
    out.sort_by_key(|s| s.start);
    out
}

/// "(((they)))": a name between three opening and three closing brackets.
fn echoes(text: &str, out: &mut Vec<Symbol>) {
    let bytes = text.as_bytes();
    for start in memmem::find_iter(bytes, b"(((") {
        // The innermost three of a longer run are found again from the next byte.
        if bytes.get(start + 3) == Some(&b'(') {
            continue;
        }
        let inner = start + 3;
        let Some(len) = bytes[inner..].iter().take(ECHO_REACH + 1).position(|&b| b == b')' || b == b'(') else {
            continue;
        };
        let close = inner + len;
        if len > 0 && bytes[close..].starts_with(b")))") && !text[inner..close].trim().is_empty() {
            out.push(Symbol {
                start,
                end: close + 3,
                target: "religion",
                meaning: "the antisemitic 'echo' that marks a name as Jewish",
            });
        }
    }
}

/// Whether a code at `start..end` is a number of its own, not part of a longer one: a phone
/// number ("01488 682000", "+44 1488 …"), a date or a sum has digits, or a separator and digits,
/// beside it.
fn stands_alone(bytes: &[u8], start: usize, end: usize) -> bool {
    let touching = start.checked_sub(1).map(|i| bytes[i]);
    let before = bytes[..start].iter().rev().find(|&&b| b != b' ');
    let after = bytes[end..].iter().find(|&&b| b != b' ');
    !touching.is_some_and(|b| b.is_ascii_digit() || matches!(b, b'/' | b'+' | b'.' | b',' | b'-' | b'\''))
        && !before.is_some_and(|&b| b.is_ascii_digit() || b == b'+')
        && !after.is_some_and(|&b| b.is_ascii_digit() || b == b'/')
        && !matches!(bytes.get(end), Some(b'.' | b',') if bytes.get(end + 1).is_some_and(u8::is_ascii_digit))
}

/// Whether a code reads as a number in a sentence: a count before a word ("1488 raffle
/// tickets"), or a score ("she got 13/50").
fn counted(text: &str, start: usize, end: usize) -> bool {
    let next = text[end..].trim_start_matches(' ').chars().next();
    let before = text[..start].trim_end_matches(' ');
    let word_before = before.rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or_default();
    let count = next.is_some_and(char::is_alphanumeric) && !text[start..end].contains('/');
    let mark = SCORED.iter().any(|w| word_before.eq_ignore_ascii_case(w));
    count || mark
}

/// Words before a fraction that make it a mark: "got 13/50", "scored 14/88".
const SCORED: &[&str] = &["got", "get", "gets", "scored", "score", "scores", "mark", "marks", "only", "just", "was"];

#[cfg(test)]
mod tests {
    use super::*;

    fn meanings(text: &str) -> Vec<(&str, &'static str)> {
        find(text).iter().map(|s| (&text[s.start..s.end], s.target)).collect()
    }

    #[test]
    fn echoes_and_codes_are_found_with_their_spans() {
        assert_eq!(meanings("(((they))) run the banks"), [("(((they)))", "religion")]);
        assert_eq!(meanings("remember 13/50"), [("13/50", "race")]);
        assert_eq!(meanings("proud to be 1488. 14/88 forever"), [("1488", "race"), ("14/88", "race")]);
    }

    #[test]
    fn every_code_starts_where_find_looks() {
        assert!(CODES.iter().all(|(code, ..)| code.starts_with('1')));
    }

    #[test]
    fn brackets_and_numbers_in_ordinary_use_are_not() {
        for text in [
            "call Hungerford 01488 682000",
            "+44 1488 682000",
            "the sum was 1488.50",
            "13/50/2024",
            "we sold 1488 raffle tickets this year",
            "she only got 13/50 on the spelling test",
            "page 113/500",
            "((( )))",
            "((a) b (c))",
            "I (really (really (really))) liked it",
        ] {
            assert_eq!(meanings(text), [], "{text:?}");
        }
    }
}
