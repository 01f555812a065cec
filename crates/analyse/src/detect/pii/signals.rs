//! A quick look at a text that decides which personal-data detectors have anything to do: how many
//! digits it has and how many stand together, whether it has an `@` or a spelled-out one, where the
//! words stand that name a street ("Road", "Lane"), and, in a text with digits, the words that open
//! the rarer kinds ("Box", "passport", "sort code"). Most comments have none of these, and then
//! nothing else runs.
//!
//! Every search here is a SIMD scan (memchr, Teddy) chosen for its rare bytes: the words that open
//! the rarer kinds are only looked for when there are digits for them to open, because "so" and
//! "bo" are everywhere.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use memchr::memmem;

use crate::detect::count_digits;

/// What the look found.
#[derive(Debug, Default)]
pub(super) struct Signals {
    pub digits: usize,
    /// The most digits in one stretch of digit groups joined by a few spaces, dashes, dots or
    /// brackets: no phone, card or identity number is spread thinner.
    pub longest: usize,
    pub at_sign: bool,
    /// "[at]", "(at)" or " dot ": an address may be spelled out.
    pub spelled_email: bool,
    pub po_box: bool,
    /// "PO A" in any case, as in "APO AE": US forces' post.
    pub forces_post: bool,
    pub passport: bool,
    pub sort_code: bool,
    /// Where street words ("Road", "St") stand, as byte spans.
    pub streets: Vec<(usize, usize)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Opener {
    Passport,
    SortCode,
}

const OPENERS: &[Opener] = &[Opener::Passport, Opener::SortCode, Opener::SortCode, Opener::SortCode];
const OPENER_WORDS: &[&str] = &["passport", "sort code", "sortcode", "sort-code"];

pub(super) struct Marks {
    /// Street words, matched as given (case and all).
    streets: AhoCorasick,
    /// The words that open the rarer kinds, in any case.
    openers: AhoCorasick,
    dot: [memmem::Finder<'static>; 2],
    po_box: [memmem::Finder<'static>; 3],
    forces_post: [memmem::Finder<'static>; 2],
}

impl Marks {
    pub(super) fn new(street_words: Vec<String>) -> Result<Marks, String> {
        let build = |b: &mut AhoCorasickBuilder, patterns: &[&str]| b.build(patterns).map_err(|e| e.to_string());
        let words: Vec<&str> = street_words.iter().map(String::as_str).collect();

        Ok(Marks {
            streets: build(AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest), &words)?,
            openers: build(AhoCorasick::builder().ascii_case_insensitive(true), OPENER_WORDS)?,
            dot: [memmem::Finder::new(" dot "), memmem::Finder::new(" DOT ")],
            po_box: [memmem::Finder::new("box"), memmem::Finder::new("Box"), memmem::Finder::new("BOX")],
            forces_post: [memmem::Finder::new("PO A"), memmem::Finder::new("po a")],
        })
    }

    pub(super) fn read(&self, text: &str) -> Signals {
        let bytes = text.as_bytes();
        let digits = count_digits(bytes) - entity_digits(bytes);
        let mut signals = Signals {
            digits,
            longest: if digits >= 6 { longest_stretch(bytes) } else { digits },
            at_sign: memchr::memchr(b'@', bytes).is_some(),
            spelled_email: self.dot.iter().any(|f| f.find(bytes).is_some()) || bracketed_at(bytes),
            streets: self.streets.find_iter(text).map(|m| (m.start(), m.end())).collect(),
            ..Signals::default()
        };
        // A PO box has a number; a passport number has six digits or more, a sort code and account
        // fourteen.
        if digits > 0 {
            signals.po_box = self.po_box.iter().any(|f| f.find(bytes).is_some());
        }
        if digits >= 5 {
            signals.forces_post = self.forces_post.iter().any(|f| f.find(bytes).is_some());
        }
        if signals.longest >= 6 {
            for m in self.openers.find_iter(text) {
                match OPENERS[m.pattern().as_usize()] {
                    Opener::Passport => signals.passport = true,
                    Opener::SortCode => signals.sort_code = true,
                }
            }
        }
        signals
    }
}

/// "[at]", "(at)", "{at}", "<at>", with or without spaces inside, in any case.
fn bracketed_at(bytes: &[u8]) -> bool {
    let skip_spaces = |s: &[u8]| s.iter().take_while(|b| **b == b' ').count();
    let mut opens = memchr::memchr3_iter(b'[', b'(', b'{', bytes).chain(memchr::memchr_iter(b'<', bytes));
    opens.any(|i| {
        let rest = &bytes[i + 1..];
        let rest = &rest[skip_spaces(rest)..];
        if rest.len() < 3 || !rest[..2].eq_ignore_ascii_case(b"at") {
            return false;
        }
        let rest = &rest[2..];
        rest.get(skip_spaces(rest)).is_some_and(|b| matches!(b, b']' | b')' | b'}' | b'>'))
    })
}

/// The digits of numeric HTML entities (`&#128514;`), which platforms write for emoji and quotes:
/// they are never anyone's phone number or house number, and a fifth of the tweets in davidson.jsonl
/// have them, which sent each through every detector of numbers.
fn entity_digits(bytes: &[u8]) -> usize {
    memmem::find_iter(bytes, b"&#").map(|at| entity_len(&bytes[at..]).map_or(0, |len| len - 3)).sum()
}

/// The length of the numeric entity `&#…;` that `bytes` starts with, if it is one.
fn entity_len(bytes: &[u8]) -> Option<usize> {
    let digits = bytes.get(2..)?.iter().take_while(|b| b.is_ascii_digit()).count();
    (digits > 0 && bytes.get(2 + digits) == Some(&b';')).then_some(digits + 3)
}

fn longest_stretch(bytes: &[u8]) -> usize {
    let (mut longest, mut current, mut gap) = (0, 0, 0);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        i += 1;
        if b == b'&' {
            // An entity's digits are no part of a number, and it breaks the stretch.
            if let Some(len) = entity_len(&bytes[i - 1..]) {
                i += len - 1;
                current = 0;
                gap = 0;
                continue;
            }
        }
        if b.is_ascii_digit() {
            current += 1;
            gap = 0;
            longest = longest.max(current);
        } else if current > 0 && gap < 4 && matches!(b, b' ' | b'-' | b'.' | b'(' | b')' | 0x80..) {
            // Spaces, dashes, dots, brackets and the bytes of no-break spaces and en dashes join.
            gap += 1;
        } else {
            current = 0;
            gap = 0;
        }
    }
    longest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_look_finds_what_to_look_for() {
        let marks = Marks::new(vec!["Road".into(), "St".into(), "Street".into()]).unwrap();
        let s = marks.read("Mill Road, PO Box 12, zoe [at] x dot com, passport 123456, sort code; Stop St Street");
        assert_eq!((s.digits, s.longest), (8, 6));
        assert!(!s.at_sign && s.po_box && s.spelled_email && s.passport && s.sort_code);
        assert_eq!(s.streets.len(), 4, "Road, the St of Stop, St, Street: {:?}", s.streets);
        let s = marks.read("&#8220;hi&#8221; 0161 496-0628 x");
        assert_eq!((s.digits, s.longest), (11, 11), "entities' digits are not counted");
        assert_eq!(marks.read("&#128514;&#128514; 12 &#; &#12").digits, 4, "an unfinished entity counts");
        assert!(marks.read("zoe( AT )x.com").spelled_email);
        let s = marks.read("nothing to see here, no box (at all)");
        assert!(s.streets.is_empty() && !s.po_box && !s.spelled_email && s.digits == 0);
    }
}
