//! Hate predicates misspelt by one slip of the keyboard: a letter dropped ("vrmin") or two letters
//! swapped ("disugsting", "I haet"). People type fast, and some misspell on purpose to get past a
//! filter; the lexicon holds each word once.
//!
//! Only the words a hate pattern is made of are read this way, and only near a group the text names:
//! a misspelling read alone would turn ordinary words into insults ("moon" is "moron" less a
//! letter), where beside a group and a copula ("women are moon") no ordinary sentence is lost.
//!
//! Our own code rather than a spelling crate: the variants needed are those of our lexicon only,
//! made once into one hash map, and looking words up in it is what the hot path can afford.

use rustc_hash::{FxHashMap, FxHashSet};

use super::context::Words;
use crate::Label;
use crate::fold::word_hash;
use crate::label::kind;
use crate::lexicon::{Hit, Lexicon};

/// The shortest word varied alone: shorter ones ("witch", "moron") have real words one slip away
/// ("with", "moon").
const SHORTEST_ALONE: usize = 6;
/// The shortest word varied inside a phrase, whose other words vouch for it ("i hate", not "hat").
const SHORTEST_IN_PHRASE: usize = 4;
/// Everyday words one slip from a predicate of six letters or more ("weird" is "weirdo" less a
/// letter). Found by making every variant and looking for it among the words of the texts in
/// ../shared/data; a variant that is the same word in the singular ("animal") is left in.
const EVERYDAY: &[&str] = &["batch", "blood", "depot", "garage", "loses", "picks", "sells", "sneak", "weird"];
/// The most words of a phrase read as one misspelt term.
const LONGEST_PHRASE: usize = 3;
/// How far from a group's word a misspelt predicate is looked for, in words.
const REACH: usize = 6;

/// Every one-slip variant of the terms hate patterns are made of, with the terms it stands for.
pub(super) struct Misspellings {
    /// By [`phrase_hash`] of the variant's words, which fold already hashed: the variant's text
    /// (to rule out a collision) and the terms.
    variants: FxHashMap<u64, (String, Vec<usize>)>,
}

impl Misspellings {
    pub fn new(lexicon: &Lexicon) -> Misspellings {
        let terms = lexicon.terms();
        // A variant that is itself a term is that term, not a slip.
        let known: FxHashSet<&str> = terms.iter().map(|t| t.text.as_str()).collect();
        let mut variants: FxHashMap<u64, (String, Vec<usize>)> = FxHashMap::default();
        for (i, term) in terms.iter().enumerate() {
            let predicate = term.kind == "dehumanise" || (term.kind == kind::INSULT && term.score > 0.0);
            if term.label != Label::Abuse
                || !predicate
                || !term.text.bytes().all(|b| b.is_ascii_lowercase() || b == b' ')
            {
                continue;
            }
            for variant in slips(&term.text) {
                if known.contains(variant.as_str()) || EVERYDAY.contains(&variant.as_str()) {
                    continue;
                }
                let key = phrase_hash(variant.split(' ').map(|w| word_hash(w.as_bytes())));
                let (_, at) = variants.entry(key).or_insert_with(|| (variant, Vec::new()));
                if !at.contains(&i) {
                    at.push(i);
                }
            }
        }
        Misspellings { variants }
    }

    /// The misspelt predicates within [`REACH`] words of the words `groups` (in order), as hits
    /// of the terms they stand for.
    pub fn near(&self, words: &Words, groups: impl Iterator<Item = (usize, usize)>) -> Vec<Hit> {
        let mut out: Vec<Hit> = Vec::new();
        // Where the windows looked at so far end: overlapping windows are read once.
        let mut done = 0;
        for (first, last) in groups {
            let to = (last + REACH + 1).min(words.len());
            for i in first.saturating_sub(REACH).max(done)..to {
                let mut key = 0;
                for j in i..(i + LONGEST_PHRASE).min(words.len()) {
                    key = phrase_step(key, words.hash(j).unwrap_or_default());
                    if (first..=last).contains(&j) || (i..=j).contains(&first) {
                        break;
                    }
                    let Some((variant, terms)) = self.variants.get(&key) else { continue };
                    let (fs, fe) = (words.folded_span(i).0, words.folded_span(j).1);
                    if words.folded_text(fs, fe) == variant {
                        let (start, end) = (words.origin(i).0, words.origin(j).1);
                        out.extend(terms.iter().map(|&term| Hit { term, folded: (fs, fe), start, end }));
                    }
                }
            }
            done = done.max(to);
        }
        out
    }
}

/// A phrase's hash from its words' [`word_hash`]es.
fn phrase_hash(words: impl Iterator<Item = u64>) -> u64 {
    words.fold(0, phrase_step)
}

fn phrase_step(h: u64, word: u64) -> u64 {
    (h.rotate_left(23) ^ word).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// The term with one letter dropped or two neighbours swapped, in one of its words long enough to
/// vary, never its first letter (which people seldom get wrong).
fn slips(term: &str) -> Vec<String> {
    let words: Vec<&str> = term.split(' ').collect();
    let shortest = if words.len() == 1 { SHORTEST_ALONE } else { SHORTEST_IN_PHRASE };
    let mut out = Vec::new();
    for (k, word) in words.iter().enumerate() {
        let w = word.as_bytes();
        if w.len() < shortest {
            continue;
        }
        let mut push = |varied: Vec<u8>| {
            let mut phrase = words.clone();
            let varied = String::from_utf8(varied).expect("ASCII letters stay ASCII");
            phrase[k] = &varied;
            out.push(phrase.join(" "));
        };
        for at in 1..w.len() {
            let mut dropped = w.to_vec();
            dropped.remove(at);
            push(dropped);
            if at + 1 < w.len() && w[at] != w[at + 1] {
                let mut swapped = w.to_vec();
                swapped.swap(at, at + 1);
                push(swapped);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slips_drop_or_swap_one_letter_after_the_first() {
        let v = slips("vermin");
        assert!(v.contains(&"vrmin".to_string()) && v.contains(&"vemrin".to_string()), "{v:?}");
        assert!(!v.iter().any(|s| !s.starts_with('v')), "the first letter stays: {v:?}");
        // Short words vary only inside a phrase.
        assert!(slips("witch").is_empty());
        assert!(slips("i hate").contains(&"i haet".to_string()));
    }
}
