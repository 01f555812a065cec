//! The words before a number that say what it is: "Tel:", "card no.", "Order ref", "NHS number is".
//!
//! A checksum alone leaves doubt (one in ten random numbers passes Luhn), and some formats have no
//! check at all; a label right before the number settles it, either way. A cue only counts when
//! nothing but spaces, punctuation and filler words stand between it and the number, so "card" three
//! clauses back says nothing about a number here.
//!
//! Asked for every candidate number, so it reads only the few words before the number, backwards,
//! and looks each phrase up in a table; no allocation.

use std::collections::HashMap;

use super::text::floor_boundary;

const CUES: &str = include_str!("../../../lexicons/pii-cues.txt");

/// How far before a number a cue is looked for, in bytes.
const WINDOW: usize = 48;

/// Words that may stand between a cue and its number: "card no. is", "call me on", "SSN: ".
const FILLER: &[&str] =
    &["no", "nr", "num", "number", "numbers", "is", "was", "on", "at", "me", "us", "my", "the", "s"];

/// The most words a cue has, and the most filler words looked past.
const CUE_WORDS: usize = 3;
const WORDS: usize = 7;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Cue {
    Phone,
    Card,
    Ref,
    Nino,
    Nhs,
    Ssn,
    Postcode,
}

impl Cue {
    fn parse(name: &str) -> Option<Cue> {
        Some(match name {
            "phone" => Cue::Phone,
            "card" => Cue::Card,
            "ref" => Cue::Ref,
            "nino" => Cue::Nino,
            "nhs" => Cue::Nhs,
            "ssn" => Cue::Ssn,
            "postcode" => Cue::Postcode,
            _ => return None,
        })
    }

    fn bit(self) -> u16 {
        1 << self as u16
    }
}

pub(super) struct Cues {
    /// Cue phrases in lower case, words joined by one space, with the classes they cue as bits.
    phrases: HashMap<String, u16>,
    /// Cues that also match longer words ("ref*": "reference").
    stems: Vec<(String, u16)>,
}

impl Cues {
    pub(super) fn new() -> Result<Cues, String> {
        let mut phrases: HashMap<String, u16> = HashMap::new();
        let mut stems = Vec::new();
        for (n, line) in CUES.lines().enumerate() {
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (class, word) =
                line.split_once('\t').ok_or(format!("pii-cues.txt:{}: expected class<TAB>cue", n + 1))?;
            let cue = Cue::parse(class).ok_or(format!("pii-cues.txt:{}: unknown class {class:?}", n + 1))?;
            let word = word.to_ascii_lowercase();
            if word.split(' ').count() > CUE_WORDS || word.len() > 40 {
                return Err(format!("pii-cues.txt:{}: a cue has at most {CUE_WORDS} words", n + 1));
            }
            match word.strip_suffix('*') {
                Some(stem) => stems.push((stem.to_string(), cue.bit())),
                None => *phrases.entry(word).or_default() |= cue.bit(),
            }
        }
        Ok(Cues { phrases, stems })
    }

    /// Whether a cue of this class stands right before `pos`.
    pub(super) fn precedes(&self, cue: Cue, text: &str, pos: usize) -> bool {
        let start = floor_boundary(text, pos.saturating_sub(WINDOW));
        let window = &text.as_bytes()[start..pos];
        let (words, count) = last_words(window);
        let words = &words[..count];
        let fillers = words.iter().take_while(|w| FILLER.iter().any(|f| w.eq_ignore_ascii_case(f.as_bytes()))).count();
        // After skipping none, some or all of the filler nearest the number, the next words may be a cue.
        (0..=fillers.min(words.len().saturating_sub(1))).any(|skip| self.cue_at(cue, &words[skip..]))
    }

    /// Whether the words (nearest first) end in a cue of this class: one, two or three of them.
    fn cue_at(&self, cue: Cue, words: &[&[u8]]) -> bool {
        let Some(nearest) = words.first() else { return false };
        let mut buf = [0u8; 48];
        for n in 1..=CUE_WORDS.min(words.len()) {
            let Some(phrase) = join_lower(&words[..n], &mut buf) else { break };
            let singular = phrase.strip_suffix('s');
            if [Some(phrase), singular]
                .into_iter()
                .flatten()
                .any(|p| self.phrases.get(p).is_some_and(|b| b & cue.bit() != 0))
            {
                return true;
            }
        }
        self.stems.iter().any(|(stem, bits)| bits & cue.bit() != 0 && starts_with_ignore_case(nearest, stem.as_bytes()))
    }
}

/// The last words of `window`, nearest first, and how many there are: runs of ASCII letters and
/// digits. Anything else separates words ("Tel/Mob:"), the no-break space after "Tel:" included.
fn last_words(window: &[u8]) -> ([&[u8]; WORDS], usize) {
    let mut words: [&[u8]; WORDS] = [&[]; WORDS];
    let mut count = 0;
    let mut end = window.len();
    while count < WORDS {
        while end > 0 && !is_word_byte(window[end - 1]) {
            end -= 1;
        }
        let mut start = end;
        while start > 0 && is_word_byte(window[start - 1]) {
            start -= 1;
        }
        if start == end {
            break;
        }
        words[count] = &window[start..end];
        count += 1;
        end = start;
    }
    (words, count)
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// The words (nearest first) in reading order, lower-cased and joined by spaces, in `buf`.
fn join_lower<'b>(words: &[&[u8]], buf: &'b mut [u8; 48]) -> Option<&'b str> {
    let mut len = 0;
    for (k, word) in words.iter().rev().enumerate() {
        if k > 0 {
            *buf.get_mut(len)? = b' ';
            len += 1;
        }
        for &b in word.iter() {
            *buf.get_mut(len)? = b.to_ascii_lowercase();
            len += 1;
        }
    }
    std::str::from_utf8(&buf[..len]).ok()
}

fn starts_with_ignore_case(word: &[u8], stem: &[u8]) -> bool {
    word.len() >= stem.len() && word[..stem.len()].eq_ignore_ascii_case(stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cue_counts_only_right_before_the_number() {
        let cues = Cues::new().unwrap();
        let before = |cue, text: &str| cues.precedes(cue, text, text.len());
        assert!(before(Cue::Phone, "Tel: "));
        assert!(before(Cue::Phone, "you can call me on "));
        assert!(before(Cue::Phone, "Phones: "));
        assert!(before(Cue::Phone, "Tel/Mob:\u{00A0}"));
        assert!(before(Cue::Card, "my credit card. Number is "));
        assert!(before(Cue::Card, "Please block card no "));
        assert!(before(Cue::Ref, "Order reference: "));
        assert!(before(Cue::Postcode, "post code: "));
        assert!(before(Cue::Nino, "my national insurance number is "));
        assert!(before(Cue::Nino, "NI number: "));
        assert!(!before(Cue::Card, "the card arrived and I paid "));
        assert!(!before(Cue::Card, "I live in Cardiff, "));
        assert!(!before(Cue::Phone, "hotel "));
        assert!(before(Cue::Phone, "They're not answering at "));
        assert!(before(Cue::Phone, "stop receiving messages to "));
        assert!(!before(Cue::Phone, "recall "), "a cue starts a word");
        assert!(!before(Cue::Phone, "messages about "));
        assert!(!before(Cue::Ref, "preferred "), "a cue starts a word");
        assert!(!before(Cue::Phone, ""));
    }
}
