//! Folding: the one way text is made comparable before any lexicon is matched against it.
//!
//! People who want a word past a filter write `f.u.c.k`, `f u c k`, `fuuuuck`, `f4ck`, `ｆｕｃｋ`, put a
//! zero-width space inside it, or swap a Latin `a` for a Cyrillic `а`. Folding undoes all of these and
//! yields lower-case words separated by single spaces. Lexicon terms are folded by the same function, so
//! a pattern and the text it should match always agree, and every folded byte remembers the span of the
//! original text it came from, so a finding can point at the words the person actually wrote.
//!
//! This is our own code rather than a crate such as `decancer` because it is on the analyser's hot path:
//! one pass over the bytes, no per-term work (STACK.md measured the difference at four orders of
//! magnitude).

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// How runs of one repeated letter are folded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Runs {
    /// Three or more of the same letter become two: `asss` → `ass`, `cooool` → `cool`.
    KeepDouble,
    /// Three or more become one: `fuuuck` → `fuck`. Used as a second pass only on texts that have such
    /// a run, because collapsing doubles everywhere would turn `ass` into the word `as`.
    Single,
}

/// Text after folding, with a map back to the original.
#[derive(Clone, Debug, Default)]
pub struct Folded {
    text: String,
    /// For each byte of `text`, the original byte range of the character it came from.
    origin: Vec<(u32, u32)>,
    /// Whether any run of three or more identical letters was shortened.
    had_long_run: bool,
}

impl Folded {
    /// The folded text: lower-case words of letters and digits separated by single spaces.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether a run of three or more identical letters was folded (so a [`Runs::Single`] pass may
    /// find more).
    pub fn had_long_run(&self) -> bool {
        self.had_long_run
    }

    /// The byte range in the original text that the folded range `start..end` came from. The result
    /// always lies on character boundaries of the original.
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        debug_assert!(start < end && end <= self.text.len());
        (self.origin[start].0 as usize, self.origin[end - 1].1 as usize)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Part of a word.
    Letter,
    /// A digit: a letter if it sits inside a word (`f4ck`), a digit otherwise.
    Digit,
    /// A symbol used for a letter (`sh!t`, `b@stard`) when it sits between letters.
    LeetSymbol,
    /// Anything that separates words.
    Separator,
}

#[derive(Clone, Copy)]
struct Unit {
    ch: char,
    class: Class,
    start: u32,
    end: u32,
}

/// Fold `text` for lexicon matching.
pub fn fold(text: &str, runs: Runs) -> Folded {
    let units = classify(text);
    let units = resolve_leet(units);
    emit(text, &units, runs)
}

/// Fold a lexicon term the same way as text is folded, for building automata.
pub fn fold_term(term: &str) -> String {
    fold(term, Runs::KeepDouble).text
}

fn classify(text: &str) -> Vec<Unit> {
    let mut units = Vec::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        let start = i as u32;
        let end = (i + c.len_utf8()) as u32;
        let push = |units: &mut Vec<Unit>, ch: char, class: Class| units.push(Unit { ch, class, start, end });
        if c.is_ascii() {
            match c {
                'a'..='z' => push(&mut units, c, Class::Letter),
                'A'..='Z' => push(&mut units, c.to_ascii_lowercase(), Class::Letter),
                '0'..='9' => push(&mut units, c, Class::Digit),
                '@' | '$' | '!' | '|' | '*' | '+' => push(&mut units, c, Class::LeetSymbol),
                _ => push(&mut units, ' ', Class::Separator),
            }
            continue;
        }
        if is_invisible(c) || is_combining_mark(c) {
            continue;
        }
        if let Some(latin) = confusable(c) {
            push(&mut units, latin, Class::Letter);
            continue;
        }
        // Compatibility decomposition turns full-width, mathematical and accented letters into plain
        // ones followed by combining marks, which are dropped.
        let mut any = false;
        decompose_compatible(c, |d| {
            if is_combining_mark(d) || is_invisible(d) {
                return;
            }
            for l in d.to_lowercase() {
                any = true;
                let class = if l.is_ascii_digit() {
                    Class::Digit
                } else if l.is_alphanumeric() {
                    Class::Letter
                } else {
                    Class::Separator
                };
                let ch = if class == Class::Separator { ' ' } else { confusable(l).unwrap_or(l) };
                units.push(Unit { ch, class, start, end });
            }
        });
        if !any {
            push(&mut units, ' ', Class::Separator);
        }
    }
    units
}

/// Decide, word by word, whether digits and symbols stand for letters.
fn resolve_leet(mut units: Vec<Unit>) -> Vec<Unit> {
    let mut i = 0;
    while i < units.len() {
        if units[i].class == Class::Separator {
            i += 1;
            continue;
        }
        let start = i;
        while i < units.len() && units[i].class != Class::Separator {
            i += 1;
        }
        let word = start..i;
        let has_letter = units[word.clone()].iter().any(|u| u.class == Class::Letter);
        for j in word.clone() {
            let is_letter = |k: usize| word.contains(&k) && units[k].class == Class::Letter;
            let before = j > 0 && is_letter(j - 1);
            let after = is_letter(j + 1);
            let unit = &mut units[j];
            match unit.class {
                Class::Digit if has_letter => {
                    if let Some(l) = leet_digit(unit.ch) {
                        unit.ch = l;
                        unit.class = Class::Letter;
                    }
                }
                Class::LeetSymbol => {
                    let letter = match unit.ch {
                        // `$hit`: a dollar opening a word is an s.
                        '$' if after => Some('s'),
                        // `*` stays `*` so that `f*ck` can match the masked forms in the lexicons.
                        '@' | '!' | '|' | '*' | '+' if before && after => Some(leet_symbol(unit.ch)),
                        _ => None,
                    };
                    match letter {
                        Some(l) => {
                            unit.ch = l;
                            unit.class = Class::Letter;
                        }
                        None => {
                            unit.ch = ' ';
                            unit.class = Class::Separator;
                        }
                    }
                }
                _ => {}
            }
        }
    }
    units
}

fn leet_digit(d: char) -> Option<char> {
    Some(match d {
        '0' => 'o',
        '1' => 'i',
        '3' => 'e',
        '4' => 'a',
        '5' => 's',
        '7' => 't',
        '8' => 'b',
        _ => return None,
    })
}

fn leet_symbol(s: char) -> char {
    match s {
        '@' => 'a',
        '!' | '|' => 'i',
        '+' => 't',
        other => other,
    }
}

/// Write words separated by single spaces, joining spelled-out words (`f.u.c.k`) and shortening
/// repeated letters.
fn emit(text: &str, units: &[Unit], runs: Runs) -> Folded {
    let words = words(units);
    let mut out = Folded {
        text: String::with_capacity(units.len()),
        origin: Vec::with_capacity(units.len()),
        had_long_run: false,
    };
    let mut k = 0;
    while k < words.len() {
        // A run of three or more one-letter words, all split by the same separator, is one word
        // spelled out: `f.u.c.k`, `f u c k`, but not the `a` in `a f.u.c.k`.
        let single = |w: usize| words[w].len() == 1 && units[words[w].start].class == Class::Letter;
        let gap = |w: usize| &text[units[words[w].end - 1].end as usize..units[words[w + 1].start].start as usize];
        let mut end = k;
        if single(k) {
            end = k + 1;
            while end < words.len() && single(end) && (end == k + 1 || gap(end - 1) == gap(k)) {
                end += 1;
            }
        }
        let group = if end - k >= 3 { k..end } else { k..k + 1 };
        if !out.text.is_empty() {
            let prev_end = out.origin.last().map_or(0, |o| o.1);
            let next_start = units[words[group.start].start].start;
            push_char(&mut out, ' ', (prev_end, next_start.max(prev_end)));
        }
        let mut last: Option<char> = None;
        let mut run = 0;
        for w in &words[group.clone()] {
            for u in &units[w.clone()] {
                if Some(u.ch) == last {
                    run += 1;
                } else {
                    last = Some(u.ch);
                    run = 1;
                }
                let limit = match runs {
                    Runs::KeepDouble => 2,
                    Runs::Single => 1,
                };
                if run > limit && u.ch.is_alphabetic() {
                    if run == 3 {
                        out.had_long_run = true;
                    }
                    // Widen the span of the kept letter to cover the dropped one.
                    if let Some(o) = out.origin.last_mut() {
                        o.1 = u.end;
                    }
                    continue;
                }
                if run > 2 && u.ch.is_alphabetic() {
                    out.had_long_run = true;
                }
                push_char(&mut out, u.ch, (u.start, u.end));
            }
        }
        k = group.end;
    }
    out
}

fn words(units: &[Unit]) -> Vec<std::ops::Range<usize>> {
    let mut words = Vec::new();
    let mut i = 0;
    while i < units.len() {
        if units[i].class == Class::Separator {
            i += 1;
            continue;
        }
        let start = i;
        while i < units.len() && units[i].class != Class::Separator {
            i += 1;
        }
        words.push(start..i);
    }
    words
}

fn push_char(out: &mut Folded, c: char, origin: (u32, u32)) {
    let before = out.text.len();
    out.text.push(c);
    for _ in before..out.text.len() {
        out.origin.push(origin);
    }
}

/// Characters that render as nothing and are used to break up words.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}'
        | '\u{1BCA0}'..='\u{1BCA3}' | '\u{E0000}'..='\u{E007F}' | '\u{E0100}'..='\u{E01EF}')
}

/// Letters from other scripts that look like Latin ones (a subset of Unicode's confusables.txt: the
/// Cyrillic, Greek and IPA letters that pass for Latin in ordinary fonts).
fn confusable(c: char) -> Option<char> {
    Some(match c {
        'а' | 'А' | 'α' | 'Α' | 'ɑ' => 'a',
        'в' | 'В' | 'β' | 'Β' | 'ь' | 'Ь' => 'b',
        'с' | 'С' | 'ϲ' | 'Ϲ' => 'c',
        'ԁ' => 'd',
        'е' | 'Е' | 'ё' | 'Ё' | 'ε' | 'Ε' => 'e',
        'ɡ' => 'g',
        'һ' | 'Һ' | 'н' | 'Н' | 'Η' => 'h',
        'і' | 'І' | 'ї' | 'Ї' | 'ι' | 'Ι' | 'ı' => 'i',
        'ј' | 'Ј' => 'j',
        'к' | 'К' | 'κ' | 'Κ' => 'k',
        'ӏ' | 'Ӏ' => 'l',
        'м' | 'М' | 'Μ' => 'm',
        'η' | 'Ν' | 'п' => 'n',
        'о' | 'О' | 'ο' | 'Ο' | 'σ' => 'o',
        'р' | 'Р' | 'ρ' | 'Ρ' => 'p',
        'ԛ' | 'Ԛ' => 'q',
        'г' => 'r',
        'ѕ' | 'Ѕ' => 's',
        'т' | 'Т' | 'τ' | 'Τ' => 't',
        'υ' | 'μ' => 'u',
        'ν' | 'ѵ' => 'v',
        'ԝ' | 'Ԝ' | 'ω' | 'ш' => 'w',
        'х' | 'Х' | 'χ' | 'Χ' => 'x',
        'у' | 'У' | 'γ' | 'Υ' | 'ү' => 'y',
        'Ζ' => 'z',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(s: &str) -> String {
        fold(s, Runs::KeepDouble).text
    }

    #[test]
    fn folds_case_punctuation_and_spacing() {
        assert_eq!(f("  Hello,   World!! "), "hello world");
        assert_eq!(f("don't"), "don t");
    }

    #[test]
    fn folds_evasions() {
        assert_eq!(f("f.u.c.k"), "fuck");
        assert_eq!(f("f u c k off"), "fuck off");
        assert_eq!(f("F-U-C-K"), "fuck");
        assert_eq!(f("f4ck"), "fack");
        assert_eq!(f("sh!t"), "shit");
        assert_eq!(f("$hit"), "shit");
        assert_eq!(f("b1tch"), "bitch");
        assert_eq!(f("f\u{200B}uck"), "fuck");
        assert_eq!(f("fu\u{00AD}ck"), "fuck");
        assert_eq!(f("ｆｕｃｋ"), "fuck");
        assert_eq!(f("𝐟𝐮𝐜𝐤"), "fuck");
        assert_eq!(f("fuсk"), "fuck", "Cyrillic es");
        assert_eq!(f("Ĉafé"), "cafe");
        assert_eq!(f("f*ck"), "f*ck");
        assert_eq!(f("asss"), "ass");
        assert_eq!(fold("fuuuuck", Runs::Single).text, "fuck");
        assert!(fold("fuuuuck", Runs::KeepDouble).had_long_run());
        assert!(!fold("fuck", Runs::KeepDouble).had_long_run());
    }

    #[test]
    fn leaves_numbers_and_mentions_alone() {
        assert_eq!(f("call 07700 900123"), "call 07700 900123");
        assert_eq!(f("@john hi!"), "john hi");
        assert_eq!(f("wow!"), "wow");
    }

    #[test]
    fn spans_point_into_the_original() {
        let text = "You are a f.u.c.k-ing 𝐢𝐝𝐢𝐨𝐭!";
        let folded = fold(text, Runs::KeepDouble);
        assert_eq!(folded.as_str(), "you are a fuck ing idiot");
        let at = folded.as_str().find("fuck").unwrap();
        let (s, e) = folded.original_span(at, at + 4);
        assert_eq!(&text[s..e], "f.u.c.k");
        let at = folded.as_str().find("idiot").unwrap();
        let (s, e) = folded.original_span(at, at + 5);
        assert_eq!(&text[s..e], "𝐢𝐝𝐢𝐨𝐭");
    }

    #[test]
    fn spans_cover_dropped_repeats() {
        let text = "fuuuuck";
        let folded = fold(text, Runs::Single);
        let (s, e) = folded.original_span(0, folded.as_str().len());
        assert_eq!(&text[s..e], text);
    }
}
