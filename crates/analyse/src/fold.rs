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

use std::cell::Cell;

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

impl Runs {
    /// The longest run of one letter that folding keeps.
    fn longest(self) -> usize {
        match self {
            Runs::KeepDouble => 2,
            Runs::Single => 1,
        }
    }
}

/// Text after folding, with a map back to the original.
#[derive(Clone, Debug, Default)]
pub struct Folded {
    text: String,
    /// Whether any run of three or more identical letters was shortened.
    had_long_run: bool,
    /// Every word of `text`, in order: matchers look words up instead of scanning bytes.
    words: Vec<Word>,
    /// Where each word of `words` came from.
    sources: Vec<Source>,
    /// For each byte of a word that was not copied plainly, the original byte range of the
    /// character it came from.
    origin: Vec<(u32, u32)>,
}

/// Where a word of the folded text came from: the original byte range it was folded from, and how
/// its bytes map into it. Most words are copied plainly, byte for byte, and need no map of their
/// own: keeping one for every byte cost as much as copying the text.
#[derive(Clone, Copy, Debug)]
struct Source {
    start: u32,
    end: u32,
    /// [`PLAIN`], or where the word's byte-by-byte origins start in [`Folded::origin`].
    bytes: u32,
}

/// [`Source::bytes`] of a word copied byte for byte.
const PLAIN: u32 = u32::MAX;

/// One word of the folded text: its byte span there and [`word_hash`] of its bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Word {
    pub start: u32,
    pub end: u32,
    pub hash: u64,
}

/// The hash of a folded word, eight bytes at a time (FxHash's mixing): the words are short and
/// ours, so a keyed hash would only cost time. The models' features are built on it, so it must not
/// change without retraining them and bumping `model::features::VERSION`.
#[inline]
pub fn word_hash(bytes: &[u8]) -> u64 {
    hash_of(bytes, (0, bytes.len()), 0, |_| {})
}

/// [`word_hash`] of `src[start..end]` with `or` set on every byte: with 0x20, the hash of a word of
/// ASCII letters and digits as folding writes it, read from the original text. Each chunk is one
/// eight-byte load from `src`, masked to the word, where `src` has eight bytes left; only the tail
/// of `src` is read a byte at a time. (Copying a word's last bytes into a zeroed array and loading
/// that instead stalls the processor on every word: a load of bytes just stored one by one waits
/// for the stores.)
///
/// Each chunk, `or` applied, is also handed to `copy` before it is masked: eight bytes where they
/// were loaded whole (the last may run past the word, for the caller to cut off), the word's
/// remaining bytes otherwise. Folding copies a plain word that way, a store per eight bytes.
#[inline]
fn hash_of(src: &[u8], (start, end): (usize, usize), or: u8, mut copy: impl FnMut(&[u8])) -> u64 {
    const K: u64 = 0xf135_7aea_2e62_a9c5;
    let wide = u64::from_ne_bytes([or; 8]);
    let mut h = (end - start) as u64;
    let mut i = start;
    while i < end {
        let n = (end - i).min(8);
        let chunk = match src.get(i..i + 8) {
            Some(eight) => {
                let v = u64::from_le_bytes(eight.try_into().expect("eight bytes")) | wide;
                copy(&v.to_le_bytes());
                if n == 8 { v } else { v & ((1u64 << (8 * n)) - 1) }
            }
            None => {
                let v = src[i..end].iter().rev().fold(0, |v, &b| (v << 8) | u64::from(b | or));
                copy(&v.to_le_bytes()[..n]);
                v
            }
        };
        h = (h.rotate_left(26) ^ chunk).wrapping_mul(K);
        i += 8;
    }
    h ^ (h >> 29)
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

    /// The words of the folded text, in order.
    pub fn words(&self) -> &[Word] {
        &self.words
    }

    /// The folded text of word `k` of [`Folded::words`]; empty past the last word, so that rules
    /// looking a few words ahead or behind need not check the bounds.
    #[inline]
    pub fn word(&self, k: usize) -> &str {
        self.words.get(k).map_or("", |w| &self.text[w.start as usize..w.end as usize])
    }

    /// The byte range in the original text that word `k` of [`Folded::words`] came from: its
    /// [`Folded::original_span`], without looking for the word.
    pub fn word_origin(&self, k: usize) -> (usize, usize) {
        (self.sources[k].start as usize, self.sources[k].end as usize)
    }

    /// The byte range in the original text that the folded range `start..end` came from. The result
    /// always lies on character boundaries of the original.
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        debug_assert!(start < end && end <= self.text.len());
        (self.origin_of(start).0 as usize, self.origin_of(end - 1).1 as usize)
    }

    /// The original byte range of the character each folded byte came from, in order.
    pub fn origins(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.words.iter().enumerate().flat_map(move |(k, word)| {
            let space = (k > 0).then(|| self.space_before(k));
            let bytes = (0..(word.end - word.start) as usize).map(move |j| self.byte_of(k, j));
            space.into_iter().chain(bytes).map(|(s, e)| (s as usize, e as usize))
        })
    }

    /// The original byte range of the character that folded byte `at` came from. A space between
    /// two words came from what lay between them.
    fn origin_of(&self, at: usize) -> (u32, u32) {
        // The first word that ends after `at`: words are about as long as each other, so the
        // proportional guess is a word or two off at most, nearer than a binary search gets.
        let words = &self.words;
        let mut k = (at * words.len() / self.text.len()).min(words.len() - 1);
        while k > 0 && words[k - 1].end as usize > at {
            k -= 1;
        }
        while (words[k].end as usize) <= at {
            k += 1;
        }
        match at.checked_sub(words[k].start as usize) {
            Some(j) => self.byte_of(k, j),
            None => self.space_before(k),
        }
    }

    /// The origin of byte `j` of word `k`.
    fn byte_of(&self, k: usize, j: usize) -> (u32, u32) {
        let source = self.sources[k];
        match source.bytes {
            PLAIN => (source.start + j as u32, source.start + j as u32 + 1),
            from => self.origin[from as usize + j],
        }
    }

    /// The origin of the space before word `k` (not the first): what lay between it and the word
    /// before.
    fn space_before(&self, k: usize) -> (u32, u32) {
        let before = self.sources[k - 1].end;
        (before, self.sources[k].start.max(before))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    /// Part of a word.
    Letter,
    /// A digit: a letter if it sits inside a word (`f4ck`), a digit otherwise.
    Digit,
    /// A symbol used for a letter (`sh!t`, `b@stard`) when it sits between letters.
    LeetSymbol,
    /// Anything that separates words.
    Separator,
    /// A byte of a non-ASCII character, which must be decoded to be classed.
    NonAscii,
}

#[derive(Clone, Copy)]
struct Unit {
    ch: char,
    class: Class,
    start: u32,
    end: u32,
}

thread_local! {
    /// The buffers [`Folder`] gathers units in, kept for the next text on this thread: most texts
    /// need them for a word or two ("a", "well done!"), and allocating and growing them afresh for
    /// each was a tenth of folding's work.
    static UNITS: Cell<(Vec<Unit>, Vec<Unit>)> = const { Cell::new((Vec::new(), Vec::new())) };
}

/// Fold `text` for lexicon matching.
pub fn fold(text: &str, runs: Runs) -> Folded {
    let (word, singles) = UNITS.take();
    let mut folder = Folder {
        text,
        runs,
        out: Written {
            // Plain words are copied eight bytes at a time, the last of them cut off after.
            text: Vec::with_capacity(text.len() + 8),
            origin: Vec::new(),
            had_long_run: false,
            words: Vec::with_capacity(text.len() / 4),
            sources: Vec::with_capacity(text.len() / 4),
        },
        word,
        word_is_letters: true,
        singles,
        single_gap: None,
        last_end: 0,
    };
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let class = BYTE_CLASS[b as usize];
        // Tested in order of how often they are true, as branches rather than a jump table: the
        // processor predicts these better.
        if folder.word.is_empty() {
            if class == Class::Letter || class == Class::Digit {
                if let Some(end) = folder.plain_word(i, class) {
                    // The byte after a plain word is a separator (or the end): skip it too.
                    i = end + 1;
                    continue;
                }
            } else if class == Class::Separator {
                i += 1;
                continue;
            }
        }
        if class == Class::NonAscii {
            let c = text[i..].chars().next().expect("i is on a character boundary");
            let end = i + c.len_utf8();
            folder.non_ascii(c, i as u32, end as u32);
            i = end;
            continue;
        }
        folder.unit(ascii_unit(b, i as u32, i as u32 + 1));
        i += 1;
    }
    folder.end_word();
    folder.end_singles();
    let (mut word, mut singles) = (folder.word, folder.singles);
    word.clear();
    singles.clear();
    UNITS.set((word, singles));
    folder.out.finish()
}

/// Fold a lexicon term the same way as text is folded, for building automata.
pub fn fold_term(term: &str) -> String {
    fold(term, Runs::KeepDouble).text
}

fn ascii_unit(b: u8, start: u32, end: u32) -> Unit {
    let class = BYTE_CLASS[b as usize];
    let ch = match class {
        Class::Separator => ' ',
        _ => b.to_ascii_lowercase() as char,
    };
    Unit { ch, class, start, end }
}

/// The class of every byte, looked up rather than matched: folding asks it of every byte. Bytes
/// of non-ASCII characters are [`Class::NonAscii`], which the caller decodes.
const BYTE_CLASS: [Class; 256] = {
    let mut table = [Class::NonAscii; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = match b as u8 {
            b'a'..=b'z' | b'A'..=b'Z' => Class::Letter,
            b'0'..=b'9' => Class::Digit,
            b'@' | b'$' | b'!' | b'|' | b'*' | b'+' => Class::LeetSymbol,
            _ => Class::Separator,
        };
        b += 1;
    }
    table
};

/// Where the run of `class` bytes (ASCII letters or ASCII digits) from `start` ends. Asked of
/// nearly every word, so eight bytes are classed at once and the run's end found from their bits,
/// rather than byte by byte with a branch the processor cannot predict at each word's end.
fn run_end(bytes: &[u8], start: usize, class: Class) -> usize {
    let mut i = start;
    while let Some(eight) = bytes.get(i..i + 8) {
        let v = u64::from_le_bytes(eight.try_into().expect("eight bytes"));
        let outside = !in_class(v, class) & HIGH;
        if outside != 0 {
            return i + (outside.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i + bytes[i..].iter().take_while(|&&b| BYTE_CLASS[b as usize] == class).count()
}

const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `v` set where that byte is of `class` (a letter or a digit).
#[inline]
fn in_class(v: u64, class: Class) -> u64 {
    let ascii = !v & HIGH;
    // `lo` is each byte's low seven bits: adding to it never carries into the next byte, and the
    // high bit of `lo + 0x80 - x` is set where the byte is at least `x`.
    let (lo, first, past) = match class {
        // Setting bit 5 maps the capitals onto the small letters and nothing else onto them.
        Class::Letter => ((v | 0x2020_2020_2020_2020) & !HIGH, b'a', b'z' + 1),
        _ => (v & !HIGH, b'0', b'9' + 1),
    };
    let at_least = |x: u8| lo + u64::from_ne_bytes([0x80 - x; 8]);
    at_least(first) & !at_least(past) & ascii
}

/// Whether the word of ASCII letters at `bytes[start..end]` has a run that `runs` shortens: three
/// of a letter in a row, or two for [`Runs::Single`]. Asked of nearly every word, so a word of up
/// to eight letters is compared with itself shifted by one letter, all eight at once.
fn has_run(bytes: &[u8], (start, end): (usize, usize), runs: Runs) -> bool {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let len = end - start;
    let Some(eight) = bytes.get(start..start + 8).filter(|_| len <= 8) else {
        return has_run_slowly(&bytes[start..end], runs);
    };
    let x = u64::from_le_bytes(eight.try_into().expect("eight bytes")) | 0x2020_2020_2020_2020;
    // Byte k of `diff` is zero where letters k and k+1 are the same; `same` marks those bytes.
    let diff = x ^ (x >> 8);
    let same = !(((diff & LOW7) + LOW7) | diff | LOW7);
    let pairs = same & ((1u64 << (8 * (len - 1))) - 1);
    match runs {
        Runs::KeepDouble => pairs & (pairs >> 8) != 0,
        Runs::Single => pairs != 0,
    }
}

fn has_run_slowly(word: &[u8], runs: Runs) -> bool {
    let limit = runs.longest();
    let mut run = 1;
    for pair in word.windows(2) {
        if pair[0] | 0x20 == pair[1] | 0x20 {
            run += 1;
            if run > limit {
                return true;
            }
        } else {
            run = 1;
        }
    }
    false
}

/// One pass over the text: units gather into a word until a separator; each finished word has its
/// leetspeak resolved and is written out, except one-letter words, which wait in `singles` in case
/// they spell a word out (`f.u.c.k`).
struct Folder<'a> {
    text: &'a str,
    runs: Runs,
    out: Written,
    /// The word being read.
    word: Vec<Unit>,
    /// Whether every unit of `word` is a letter, so there is no leetspeak to resolve.
    word_is_letters: bool,
    /// One-letter words in a row, not yet written.
    singles: Vec<Unit>,
    /// The original text between the first two of `singles`: all gaps in a spelled-out word match.
    single_gap: Option<(u32, u32)>,
    /// Where the last word read ended in the original.
    last_end: u32,
}

impl Folder<'_> {
    fn unit(&mut self, unit: Unit) {
        if unit.class == Class::Separator {
            self.end_word();
        } else {
            self.word_is_letters &= unit.class == Class::Letter;
            self.word.push(unit);
        }
    }

    fn non_ascii(&mut self, c: char, start: u32, end: u32) {
        if is_invisible(c) || is_combining_mark(c) {
            return;
        }
        if let Some(latin) = confusable(c) {
            self.unit(Unit { ch: latin, class: Class::Letter, start, end });
            return;
        }
        if let Some(word) = emoji_word(c) {
            self.end_word();
            for ch in word.chars() {
                self.unit(Unit { ch, class: Class::Letter, start, end });
            }
            self.end_word();
            return;
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
                let unit = if l.is_ascii() {
                    ascii_unit(l as u8, start, end)
                } else if l.is_alphanumeric() {
                    Unit { ch: confusable(l).unwrap_or(l), class: Class::Letter, start, end }
                } else {
                    Unit { ch: ' ', class: Class::Separator, start, end }
                };
                self.unit(unit);
            }
        });
        if !any {
            self.unit(Unit { ch: ' ', class: Class::Separator, start, end });
        }
    }

    fn end_word(&mut self) {
        if self.word.is_empty() {
            return;
        }
        let mut word = std::mem::take(&mut self.word);
        if std::mem::replace(&mut self.word_is_letters, true) {
            self.finish_word(&word);
            word.clear();
            self.word = word;
            return;
        }
        resolve_leet(&mut word);
        // Symbols that turned out not to be letters split the word.
        let mut from = 0;
        for i in 0..=word.len() {
            if i == word.len() || word[i].class == Class::Separator {
                if i > from {
                    self.finish_word(&word[from..i]);
                }
                from = i + 1;
            }
        }
        word.clear();
        self.word = word;
    }

    /// Most words are two or more ASCII letters, or any ASCII digits, between ASCII separators, with
    /// no run of letters to shorten: such a word is copied across whole, without units, which are
    /// several times the work a byte. Returns where the word ended, or None, having done nothing,
    /// for any other word.
    fn plain_word(&mut self, start: usize, class: Class) -> Option<usize> {
        let text = self.text;
        let bytes = text.as_bytes();
        let end = run_end(bytes, start, class);
        let ends_plainly = bytes.get(end).is_none_or(|&b| BYTE_CLASS[b as usize] == Class::Separator);
        let letters = class == Class::Letter;
        if !ends_plainly || (letters && (end - start < 2 || has_run(bytes, (start, end), self.runs))) {
            return None;
        }
        self.last_end = end as u32;
        self.end_singles();
        let out = &mut self.out;
        let at = out.open_word();
        // Setting bit 5 lower-cases an ASCII letter and leaves a digit as it is. Done while copying:
        // changing the bytes after a copy reads them back before the copy's stores have landed.
        let hash = hash_of(bytes, (start, end), 0x20, |chunk| out.text.extend_from_slice(chunk));
        out.text.truncate(at + (end - start));
        out.close_word_hashed(at, hash, Source { start: start as u32, end: end as u32, bytes: PLAIN });
        Some(end)
    }

    fn finish_word(&mut self, word: &[Unit]) {
        // A character that decomposes into several (`℆` → `c/u`) gives words that share its span, so
        // the gap between them can be empty but never reversed.
        let gap = (self.last_end.min(word[0].start), word[0].start);
        self.last_end = word[word.len() - 1].end;
        if word.len() == 1 && word[0].class == Class::Letter {
            let same_gap = match self.single_gap {
                None => true,
                Some((s, e)) => self.text[s as usize..e as usize] == self.text[gap.0 as usize..gap.1 as usize],
            };
            if !same_gap {
                if self.singles.len() >= 3 {
                    // A spelled-out word is complete (`B.U.Y N.O.W`).
                    self.end_singles();
                } else {
                    // The last one-letter word may start a new spelled-out word with this one
                    // (`a f.u.c.k`); the ones before it stand alone.
                    let last = self.singles.pop();
                    self.end_singles();
                    self.singles.extend(last);
                }
            }
            if self.singles.len() == 1 {
                self.single_gap = Some(gap);
            }
            self.singles.push(word[0]);
            return;
        }
        self.end_singles();
        self.write_word(word);
    }

    /// Write waiting one-letter words: as one word if three or more, else each on its own.
    #[inline]
    fn end_singles(&mut self) {
        if self.singles.is_empty() {
            return;
        }
        let singles = std::mem::take(&mut self.singles);
        if singles.len() >= 3 {
            self.write_word(&singles);
        } else {
            for s in &singles {
                self.write_word(std::slice::from_ref(s));
            }
        }
        self.singles = singles;
        self.singles.clear();
        self.single_gap = None;
    }

    fn write_word(&mut self, word: &[Unit]) {
        let out = &mut self.out;
        let start = out.open_word();
        let bytes = out.origin.len() as u32;
        let limit = self.runs.longest();
        let mut last = '\0';
        let mut run = 0;
        for u in word {
            if u.ch == last {
                run += 1;
            } else {
                last = u.ch;
                run = 1;
            }
            if run > 2 && u.ch.is_alphabetic() {
                out.had_long_run = true;
            }
            if run > limit && u.ch.is_alphabetic() {
                // Widen the span of the kept letter to cover the dropped one.
                if let Some(o) = out.origin.last_mut() {
                    o.1 = u.end;
                }
                continue;
            }
            out.push_char(u.ch, (u.start, u.end));
        }
        let end = out.origin.last().map_or(word[0].end, |o| o.1);
        out.close_word(start, Source { start: word[0].start, end, bytes });
    }
}

/// The folded text while it is written. Its text is bytes, so that a word of ASCII letters is
/// copied and lower-cased in place without a `String`'s checks on every character; it is checked as
/// UTF-8 once, at the end.
struct Written {
    text: Vec<u8>,
    had_long_run: bool,
    words: Vec<Word>,
    sources: Vec<Source>,
    /// Byte-by-byte origins of the words not copied plainly.
    origin: Vec<(u32, u32)>,
}

impl Written {
    /// Start writing a word: the space before it, unless it is the first. Returns where the word
    /// starts in the folded text.
    fn open_word(&mut self) -> usize {
        if !self.text.is_empty() {
            self.text.push(b' ');
        }
        self.text.len()
    }

    /// Record the word written since `start`.
    fn close_word(&mut self, start: usize, source: Source) {
        let hash = word_hash(&self.text[start..]);
        self.close_word_hashed(start, hash, source);
    }

    fn close_word_hashed(&mut self, start: usize, hash: u64, source: Source) {
        self.words.push(Word { start: start as u32, end: self.text.len() as u32, hash });
        self.sources.push(source);
    }

    /// Write one character of a word that is not copied plainly, with its origin for each byte.
    fn push_char(&mut self, c: char, origin: (u32, u32)) {
        if c.is_ascii() {
            self.text.push(c as u8);
            self.origin.push(origin);
            return;
        }
        let mut buf = [0; 4];
        let encoded = c.encode_utf8(&mut buf).as_bytes();
        self.text.extend_from_slice(encoded);
        self.origin.extend(std::iter::repeat_n(origin, encoded.len()));
    }

    fn finish(self) -> Folded {
        Folded {
            text: String::from_utf8(self.text).expect("folding writes whole characters"),
            had_long_run: self.had_long_run,
            words: self.words,
            sources: self.sources,
            origin: self.origin,
        }
    }
}

/// Decide whether digits and symbols in one word stand for letters.
fn resolve_leet(word: &mut [Unit]) {
    let has_letter = word.iter().any(|u| u.class == Class::Letter);
    for j in 0..word.len() {
        let is_letter = |k: usize| word.get(k).is_some_and(|u| u.class == Class::Letter);
        let before = j > 0 && is_letter(j - 1);
        let after = is_letter(j + 1);
        // A run of dollars before a letter is a run of s's (`a$$hole`).
        // Looked for only at a dollar: this runs for every unit of a word with digits or symbols.
        let run_end = (word[j].ch == '$').then(|| word[j..].iter().position(|u| u.ch != '$').map(|k| j + k));
        let dollars_then_letter = run_end.is_some_and(|e| e.is_some_and(is_letter));
        // So is a run of two or more ending a word after a letter (`dumba$$`; not the one of `US$`).
        if run_end == Some(None) && before && word.len() - j >= 2 {
            for unit in &mut word[j..] {
                (unit.ch, unit.class) = ('s', Class::Letter);
            }
            break;
        }
        let unit = &mut word[j];
        match unit.class {
            Class::Digit if has_letter => {
                if let Some(l) = leet_digit(unit.ch) {
                    unit.ch = l;
                    unit.class = Class::Letter;
                }
            }
            Class::LeetSymbol => {
                let letter = match unit.ch {
                    // `$hit`: a dollar opening a word is an s, and so is each of a run (`a$$hole`).
                    '$' if dollars_then_letter => Some('s'),
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

/// Characters that render as nothing and are used to break up words.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}'
        | '\u{1BCA0}'..='\u{1BCA3}' | '\u{E0000}'..='\u{E007F}' | '\u{E0100}'..='\u{E01EF}')
}

/// Emoji that stand for a word of abuse, read as that word so that the lexicons and the model see
/// it ("you 🤡", "🖕"): only those whose abusive use is common under a school's posts. Faces,
/// hearts and the rest stay separators.
fn emoji_word(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{1F595}' => "middlefinger",
        '\u{1F921}' => "clown",
        '\u{1F40D}' => "snake",
        '\u{1F400}' | '\u{1F401}' => "rat",
        '\u{1F437}' | '\u{1F416}' => "pig",
        '\u{1F412}' | '\u{1F435}' => "monkey",
        _ => return None,
    })
}

/// Letters from other scripts that look like Latin ones (a subset of Unicode's confusables.txt: the
/// Cyrillic, Greek and IPA letters that pass for Latin in ordinary fonts).
fn confusable(c: char) -> Option<char> {
    Some(match c {
        'а' | 'А' | 'α' | 'Α' | 'ɑ' => 'a',
        'в' | 'В' | 'β' | 'Β' | 'ь' | 'Ь' => 'b',
        'с' | 'С' | 'ϲ' | 'Ϲ' => 'c',
        'ԁ' => 'd',
        'ƒ' => 'f',
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
        assert_eq!(f("what an a$$hole"), "what an asshole");
        assert_eq!(f("it cost $$$ and 5$"), "it cost and 5");
        assert_eq!(f("dumba$$ and a$$"), "dumbass and ass");
        assert_eq!(f("US$ and A$"), "us and a");
        assert_eq!(f("b1tch"), "bitch");
        assert_eq!(f("f\u{200B}uck"), "fuck");
        assert_eq!(f("fu\u{00AD}ck"), "fuck");
        assert_eq!(f("ｆｕｃｋ"), "fuck");
        assert_eq!(f("𝐟𝐮𝐜𝐤"), "fuck");
        assert_eq!(f("fuсk"), "fuck", "Cyrillic es");
        assert_eq!(f("ƒuck"), "fuck", "f with a hook");
        assert_eq!(f("you\u{1F921}\u{1F921}!"), "you clown clown", "emoji read as words");
        assert_eq!(f("\u{1F595} you \u{1F600}"), "middlefinger you");
        assert_eq!(f("Ĉafé"), "cafe");
        assert_eq!(f("f*ck"), "f*ck");
        assert_eq!(f("B.U.Y N.O.W"), "buy now");
        assert_eq!(f("v.o.t.e L.a.b.o.u.r"), "vote labour");
        assert_eq!(f("E:\u{2106};"), "e c u");
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
    fn runs_of_letters_and_digits_end_where_byte_by_byte_reading_ends_them() {
        // Every byte value after runs of every length up to 19, so that the run ends inside the first
        // eight-byte load, the second or the third; and each run again at the very end of the text.
        for class in [Class::Letter, Class::Digit] {
            let fill = if class == Class::Letter { b"aZqM" } else { b"0957" };
            for len in 0..20 {
                for b in 0..=255u8 {
                    let mut bytes: Vec<u8> = (0..len).map(|k| fill[k % 4]).collect();
                    bytes.extend([b, b'x', b'1', b' ', b'y', b'2', b'z', b'3', b'.']);
                    let slowly = bytes.iter().take_while(|&&c| BYTE_CLASS[c as usize] == class).count();
                    assert_eq!(run_end(&bytes, 0, class), slowly, "{class:?} {len} then {b:#x}");
                    let short = &bytes[..len + 1];
                    assert_eq!(
                        run_end(short, 0, class),
                        slowly.min(len + 1),
                        "{class:?} {len} then {b:#x}, at the end"
                    );
                }
            }
        }
    }

    #[test]
    fn runs_are_found_eight_letters_at_a_time_as_one_at_a_time() {
        // Every word of up to nine letters from {a, A, b}, at the end of a text and inside one.
        let mut words = Vec::new();
        let mut last = vec![String::new()];
        for _ in 0..9 {
            last = last.iter().flat_map(|w| ["a", "A", "b"].map(|l| format!("{w}{l}"))).collect();
            words.extend(last.iter().cloned());
        }
        for word in words.iter().filter(|w| w.len() >= 2) {
            for text in [word.clone(), format!("{word} and more text")] {
                for runs in [Runs::KeepDouble, Runs::Single] {
                    let fast = has_run(text.as_bytes(), (0, word.len()), runs);
                    assert_eq!(fast, has_run_slowly(word.as_bytes(), runs), "{word:?} in {text:?}, {runs:?}");
                }
            }
        }
    }

    /// `word_hash(b"fortnightly")` when the committed weights were trained.
    const PINNED_FORTNIGHTLY: u64 = 0xd4844be2b2e7ca45;

    #[test]
    fn word_hashes_stay_what_the_weights_were_trained_on() {
        // If this fails, the hash changed: retrain both models (see `model`) and bump the feature
        // version, then update the value.
        assert_eq!(word_hash(b"fortnightly"), PINNED_FORTNIGHTLY);
        assert_ne!(word_hash(b"ab"), word_hash(b"ab\0"));
        // Read from the original text, a plain word hashes as its fold does.
        let text = b"Fortnightly SCHOOL trip 2026";
        for (start, end) in [(0, 11), (12, 18), (19, 23), (24, 28)] {
            let folded = text[start..end].to_ascii_lowercase();
            let mut copied = Vec::new();
            assert_eq!(hash_of(text, (start, end), 0x20, |c| copied.extend_from_slice(c)), word_hash(&folded));
            assert_eq!(copied[..end - start], folded, "{start}..{end}");
        }
    }

    #[test]
    fn origins_in_order_and_of_whole_words_are_the_spans_of_their_bytes() {
        for text in ["You are a f.u.c.k-ing 𝐢𝐝𝐢𝐨𝐭!", "fuuuuck   off!!! a b c", "E:\u{2106}; ﬀ x", "plain words only"]
        {
            for runs in [Runs::KeepDouble, Runs::Single] {
                let folded = fold(text, runs);
                let one_by_one: Vec<_> = (0..folded.as_str().len()).map(|i| folded.original_span(i, i + 1)).collect();
                assert_eq!(folded.origins().collect::<Vec<_>>(), one_by_one, "{text:?}");
                for (k, w) in folded.words().iter().enumerate() {
                    assert_eq!(folded.word_origin(k), folded.original_span(w.start as usize, w.end as usize));
                }
            }
        }
    }

    #[test]
    fn spans_cover_dropped_repeats() {
        let text = "fuuuuck";
        let folded = fold(text, Runs::Single);
        let (s, e) = folded.original_span(0, folded.as_str().len());
        assert_eq!(&text[s..e], text);
    }
}
