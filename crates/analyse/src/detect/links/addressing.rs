//! Salutations (P2.8): text that speaks to one person by name.
//!
//! - A greeting followed by a name: "Dear Mrs Smith", "Hi Sarah,", "Thanks Mr Khan", "Happy birthday
//!   Ahmed". The greeting words come from the shared lexicon (`addressing/greeting` opening a
//!   sentence, `addressing/thanks` anywhere; their weight is the score); "Dear" is the strongest. A
//!   name is a capitalised word (not one in capitals: "HI DARLIN"), or any word after a title, or a
//!   lower-case word that ends the phrase ("hi sarah,"); words that address no one in particular ("Hi
//!   all", "Dear Parents", "Thanks everyone", "Well done Year 6") are in `topics-context.tsv`.
//! - A title and name opening a sentence and followed by a comma: "Mr Jones, you said…".
//! - A text opening with a capitalised word, a comma and "you": "Sarah, you were…" (weak: "However,
//!   you…" has the same shape).

use super::super::Scan;
use super::super::topics::context::WordSet;
use super::super::topics::sentence_start;
use super::Words;
use crate::Label;
use crate::analysis::{Detector, Finding};
use crate::lexicon::Hit;

/// Greetings that open a sentence ("Hi", "Dear"): "my dear friend" is no salutation.
const GREETING: &str = "greeting";
/// Thanks and congratulations, which address someone wherever they stand ("…, thank you Mrs Khan").
const THANKS: &str = "thanks";
const TITLE: &str = "title";
/// What a title adds to a greeting's score: "Dear Mrs Smith" is plainly one person.
const TITLE_BONUS: f32 = 0.1;
const VOCATIVE: f32 = 0.7;
const OPENING_NAME: f32 = 0.45;
const MAX: f32 = 0.9;

pub(super) fn salutations(scan: &Scan, words: &Words, out: &mut Vec<Finding>) {
    let not_name = &words.not_name;
    let titles: Vec<&Hit> =
        scan.terms().filter(|(_, t)| t.label == Label::Addressing && t.kind == TITLE).map(|(h, _)| h).collect();
    for (hit, term) in scan.terms() {
        if term.label != Label::Addressing {
            continue;
        }
        let opens = sentence_start(scan.text, hit.start);
        if (term.kind == GREETING && opens) || term.kind == THANKS {
            greeting(scan.text, hit, term.score, &titles, words, out);
        } else if term.kind == TITLE {
            vocative(scan.text, hit, not_name, out);
        }
    }
    opening_name(scan.text, not_name, out);
}

/// "Dear Mrs Smith", "Hi Sarah,", "Thanks Miss!".
fn greeting(text: &str, hit: &Hit, weight: f32, titles: &[&Hit], words: &Words, out: &mut Vec<Finding>) {
    let after = skip_gap(text, hit.end, true);
    let title = titles.iter().find(|t| t.start == after).map(|t| (t.start, t.end));
    let name_from =
        title.map_or(after, |(_, end)| skip_gap(text, end + usize::from(text[end..].starts_with('.')), false));
    let name = word_at(text, name_from).filter(|&(s, e)| {
        let word = &text[s..e];
        !words.not_name.contains(word)
            && !next_word_is(text, e, &words.collective)
            && (title.is_some() || capitalised(word) || ends_phrase(text, e))
    });
    let greeting_words = &text[hit.start..hit.end];
    let (end, score) = match (name, title) {
        (Some((_, end)), Some(_)) => (end, weight + TITLE_BONUS),
        (Some((_, end)), None) => (end, weight),
        (None, Some((ts, te))) => {
            // "Dear Sir/Madam" writes to whoever reads it.
            let generic = ["sir", "madam"].iter().any(|w| text[ts..te].eq_ignore_ascii_case(w));
            if generic && greeting_words.eq_ignore_ascii_case("dear") {
                return;
            }
            (te, weight)
        }
        (None, None) => return,
    };
    let span = (hit.start, end);
    let why = format!(
        "addressing/salutation: '{}' — '{greeting_words}' followed by a person's name or title",
        &text[span.0..span.1]
    );
    out.push(Finding::new(Label::Addressing, "salutation", score.min(MAX), span, Detector::Rule).with_evidence(why));
}

/// "Mr Jones, you said…": a title and name opening a sentence, then a comma.
fn vocative(text: &str, hit: &Hit, not_name: &WordSet, out: &mut Vec<Finding>) {
    if !sentence_start(text, hit.start) {
        return;
    }
    let from = skip_gap(text, hit.end + usize::from(text[hit.end..].starts_with('.')), false);
    let Some((s, mut e)) = word_at(text, from) else { return };
    if !capitalised(&text[s..e]) || not_name.contains(&text[s..e]) {
        return;
    }
    // A second name: "Mrs Sarah Khan,".
    if let Some((s2, e2)) = word_at(text, skip_gap(text, e, false))
        && capitalised(&text[s2..e2])
        && text[e2..].starts_with(',')
    {
        e = e2;
    }
    if !text[e..].starts_with(',') {
        return;
    }
    let span = (hit.start, e);
    let why = format!("addressing/salutation: '{}' — a title and name spoken to at the start", &text[span.0..span.1]);
    out.push(Finding::new(Label::Addressing, "salutation", VOCATIVE, span, Detector::Rule).with_evidence(why));
}

/// "Sarah, you were brilliant": weak, because "However, you…" looks the same.
fn opening_name(text: &str, not_name: &WordSet, out: &mut Vec<Finding>) {
    let start = text.len() - text.trim_start().len();
    let Some((s, e)) = word_at(text, start) else { return };
    let word = &text[s..e];
    if !capitalised(word) || !text[e..].starts_with(',') || not_name.contains(word) {
        return;
    }
    let next = text[e + 1..].trim_start().as_bytes();
    let starts = |y: &str| next.get(..y.len()).is_some_and(|n| n.eq_ignore_ascii_case(y.as_bytes()));
    if !["you ", "you,", "your ", "you're ", "youre "].iter().any(|y| starts(y)) {
        return;
    }
    let why = format!("addressing/salutation: '{word}' — the text opens by speaking to someone by name");
    out.push(Finding::new(Label::Addressing, "salutation", OPENING_NAME, (s, e), Detector::Rule).with_evidence(why));
}

/// Skip spaces (and, right after a greeting, one comma: "Hi, Sarah").
fn skip_gap(text: &str, mut at: usize, comma: bool) -> usize {
    let mut commas = usize::from(!comma);
    for c in text[at..].chars() {
        match c {
            ' ' | '\t' => at += 1,
            ',' if commas == 0 => {
                commas = 1;
                at += 1;
            }
            _ => break,
        }
    }
    at
}

/// The name-like word starting at `at`: letters, joined by a hyphen ("Smith-Jones") or by an
/// apostrophe before a capital ("O'Neill", but not "Harish's" or "U've"), at least two letters.
fn word_at(text: &str, at: usize) -> Option<(usize, usize)> {
    let rest = &text[at..];
    let mut chars = rest.char_indices().peekable();
    let mut end = 0;
    let mut letters = 0;
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        if c.is_alphabetic() {
            letters += 1;
            end = i + c.len_utf8();
        } else if letters > 0
            && ((c == '-' && next.is_some_and(char::is_alphabetic))
                || (matches!(c, '\'' | '’') && next.is_some_and(char::is_uppercase)))
        {
            continue;
        } else {
            break;
        }
    }
    (letters >= 2).then_some((at, at + end))
}

/// A capitalised word, as names are written; a word in capitals says nothing ("HI DARLIN").
fn capitalised(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.any(char::is_lowercase)
}

/// Whether the word ending at `end` ends its phrase (a lower-case name must: "hi sarah," but not
/// "hi just wanted to…").
fn ends_phrase(text: &str, end: usize) -> bool {
    text[end..].chars().next().is_none_or(|c| matches!(c, ',' | '!' | '.' | ':' | '\n' | '?'))
}

/// Whether the next word is a collective ("Well done Eagles class", "Thanks Khan family").
fn next_word_is(text: &str, end: usize, words: &WordSet) -> bool {
    let from = skip_gap(text, end, false);
    word_at(text, from).is_some_and(|(s, e)| from > end && words.contains(&text[s..e]))
}
