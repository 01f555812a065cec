//! The words before a number that say what it is: "Tel:", "card no.", "Order ref", "NHS number is".
//!
//! A checksum alone leaves doubt (one in ten random numbers passes Luhn), and some formats have no
//! check at all; a label right before the number settles it, either way. A cue only counts when
//! nothing but spaces, punctuation and filler words stand between it and the number, so "card" three
//! clauses back says nothing about a number here.

use super::text::floor_boundary;

const CUES: &str = include_str!("../../../lexicons/pii-cues.txt");

/// How far before a number a cue is looked for, in bytes.
const WINDOW: usize = 48;

/// Words that may stand between a cue and its number: "card no. is", "call me on", "SSN: ".
const FILLER: &[&str] =
    &["no", "nr", "num", "number", "numbers", "is", "was", "on", "at", "me", "us", "my", "the", "s"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Cue {
    Phone,
    Card,
    Ref,
    Nino,
    Nhs,
    Ssn,
    Passport,
    SortCode,
    Account,
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
            "passport" => Cue::Passport,
            "sortcode" => Cue::SortCode,
            "account" => Cue::Account,
            "postcode" => Cue::Postcode,
            _ => return None,
        })
    }
}

struct Word {
    cue: Cue,
    text: String,
    /// Also matches longer words that start with `text`.
    stem: bool,
}

pub(super) struct Cues {
    words: Vec<Word>,
}

impl Cues {
    pub(super) fn new() -> Result<Cues, String> {
        let mut words = Vec::new();
        for (n, line) in CUES.lines().enumerate() {
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (class, word) =
                line.split_once('\t').ok_or(format!("pii-cues.txt:{}: expected class<TAB>cue", n + 1))?;
            let cue = Cue::parse(class).ok_or(format!("pii-cues.txt:{}: unknown class {class:?}", n + 1))?;
            let (text, stem) = match word.strip_suffix('*') {
                Some(w) => (w, true),
                None => (word, false),
            };
            words.push(Word { cue, text: text.to_ascii_lowercase(), stem });
        }
        Ok(Cues { words })
    }

    /// Whether a cue of this class stands right before `pos`.
    pub(super) fn precedes(&self, cue: Cue, text: &str, pos: usize) -> bool {
        let start = floor_boundary(text, pos.saturating_sub(WINDOW));
        let window = text[start..pos].to_ascii_lowercase();
        self.words.iter().filter(|w| w.cue == cue).any(|w| ends_with_cue(&window, w))
    }
}

/// Whether the last occurrence of the cue in `window` is a whole word followed only by filler.
fn ends_with_cue(window: &str, word: &Word) -> bool {
    let Some(at) = window.rfind(word.text.as_str()) else {
        return false;
    };
    if window[..at].chars().next_back().is_some_and(|c| c.is_ascii_alphanumeric()) {
        return false;
    }
    let mut rest = &window[at + word.text.len()..];
    if word.stem {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    } else if let Some(r) = rest.strip_prefix('s') {
        rest = r;
    }
    if rest.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return false;
    }
    rest.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).all(|w| FILLER.contains(&w))
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
        assert!(before(Cue::Card, "my credit card. Number is "));
        assert!(before(Cue::Card, "Please block card no "));
        assert!(before(Cue::Ref, "Order reference: "));
        assert!(before(Cue::Nino, "my national insurance number is "));
        assert!(!before(Cue::Card, "the card arrived and I paid "));
        assert!(!before(Cue::Card, "I live in Cardiff, "));
        assert!(!before(Cue::Phone, "hotel "));
        assert!(!before(Cue::Ref, "preferred "), "a cue starts a word");
    }
}
