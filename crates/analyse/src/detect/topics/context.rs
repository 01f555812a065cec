//! Context words: what the words around a topic term say about it.
//!
//! "Labour" is a party after "vote" and childbirth after "went into"; "alcohol" breaks a religious ethos
//! unless it reads "no alcohol" or "alcohol-free"; "£5 each" is selling unless the text is about the
//! school fair. These context words are common ("in", "no", "are", "school"), so they are kept out of
//! the shared lexicon, which every text pays for: they live in
//! `lexicons/topics-context.tsv` and get a matcher of their own, run only over the few words around
//! a candidate term (or over the whole text when a commercial rule needs it).
//!
//! Distances are counted in words of the folded text: adjacent words are at distance 1. A context word
//! never reaches across a sentence break (`.`, `!`, `?`, `;` or a line break in the original text), so
//! "No parking. Beer festival on Sunday" does not negate the beer.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

use crate::detect::Scan;
use crate::fold::{Folded, fold_term};
use crate::lexicon::{self, Anchor, LexiconError};
use crate::matcher::Matcher;
use crate::{Error, Label};

const SOURCE: &str = "topics-context.tsv";
const FILE: &str = include_str!("../../../lexicons/topics-context.tsv");

/// What a context word does to the term near it (see the header of `topics-context.tsv`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// Supports the label's reading of an ambiguous term.
    Cue,
    /// Marks an ambiguous term as its everyday sense.
    Counter,
    /// Right after a capitalised party name: "Labour are".
    VerbAfter,
    /// Before a term, negates it: "no alcohol".
    Negator,
    /// Right after a term, negates it: "alcohol-free".
    NegatorAfter,
    /// Right before a term, makes it harmless: "halal bacon".
    Qualifier,
    /// Near a term, shows it offered rather than mentioned: "free beer".
    Promotion,
    /// Near a faith word, mocks it.
    Mock,
    /// Right after a faith word, makes a following mocking word a statement about it.
    Copula,
    /// Anywhere in the text, marks the school's own events.
    School,
    /// Before a price, shows it being sold ("only £5").
    PriceCue,
    /// Before or right after a price, shows it being sold ("£5 each").
    PriceEither,
    /// Before a link, shows it being promoted.
    UrlCue,
    /// Before a donation word, shows the giving is over and being thanked for.
    Thanks,
    /// Near a term, shows the school teaching about it.
    Educational,
    /// After a greeting, a word that is no one's name.
    NotName,
    /// After a name, a word that makes it a group's name ("Eagles class").
    Collective,
    /// After an `@`, a word that shows the `@` means "at".
    NotHandle,
    /// Between a share phrase and the handle it introduces.
    Skip,
}

impl Role {
    /// The role a lexicon kind names, for the kinds reserved as context.
    pub(crate) fn parse(kind: &str) -> Option<Role> {
        Some(match kind {
            "cue" => Role::Cue,
            "counter" => Role::Counter,
            "verb_after" => Role::VerbAfter,
            "negator" => Role::Negator,
            "negator_after" => Role::NegatorAfter,
            "qualifier" => Role::Qualifier,
            "promotion" => Role::Promotion,
            "mock" => Role::Mock,
            "copula" => Role::Copula,
            "school" => Role::School,
            "price_cue" => Role::PriceCue,
            "price_either" => Role::PriceEither,
            "url_cue" => Role::UrlCue,
            "thanks" => Role::Thanks,
            "educational" => Role::Educational,
            "not_name" => Role::NotName,
            "collective" => Role::Collective,
            "not_handle" => Role::NotHandle,
            "skip" => Role::Skip,
            _ => return None,
        })
    }
}

/// One context word found in a text.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cue {
    pub label: Label,
    pub role: Role,
    pub weight: f32,
    /// Byte span in the folded text.
    pub folded: (usize, usize),
}

/// A context word found near a term, with how far away it is.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Near {
    pub cue: Cue,
    pub distance: usize,
}

struct Entry {
    label: Label,
    role: Role,
    weight: f32,
    anchor: Anchor,
    folded: String,
}

fn entries() -> Result<Vec<Entry>, Error> {
    let mut entries = Vec::new();
    for term in lexicon::parse_tsv(SOURCE, FILE)? {
        let role = Role::parse(&term.kind).ok_or_else(|| {
            LexiconError::Build(format!("{SOURCE}: {:?} has kind {:?}, which is no context role", term.text, term.kind))
        })?;
        let folded = fold_term(&term.text);
        if !folded.is_empty() {
            entries.push(Entry { label: term.label, role, weight: term.score, anchor: term.anchor, folded });
        }
    }
    Ok(entries)
}

/// The folded context words with this label and role, for rules that look single words up.
pub(crate) fn words(label: Label, role: Role) -> Result<WordSet, Error> {
    Ok(WordSet(entries()?.into_iter().filter(|e| e.label == label && e.role == role).map(|e| e.folded).collect()))
}

/// A set of lower-case words, looked up case-insensitively without allocating for ASCII words.
#[derive(Debug, Default)]
pub(crate) struct WordSet(HashSet<String, BuildHasherDefault<Fnv>>);

impl WordSet {
    pub(crate) fn contains(&self, word: &str) -> bool {
        let mut buf = [0u8; 32];
        if word.len() <= buf.len() && word.is_ascii() {
            for (b, c) in buf.iter_mut().zip(word.bytes()) {
                *b = c.to_ascii_lowercase();
            }
            // ASCII stays valid UTF-8 when lower-cased.
            return std::str::from_utf8(&buf[..word.len()]).is_ok_and(|w| self.0.contains(w));
        }
        self.0.contains(&word.to_lowercase())
    }
}

/// FNV-1a: the lookups are of short words on the hot path, where SipHash's setup costs more than the
/// hashing; the keys are our own word lists, so hash flooding is no concern.
#[derive(Default)]
pub(crate) struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// The context words of `topics-context.tsv`, compiled once.
pub(crate) struct ContextWords {
    matcher: Matcher,
    entries: Vec<Entry>,
}

impl ContextWords {
    pub(crate) fn load() -> Result<ContextWords, Error> {
        // The addressing and personal-link words are looked up one at a time by detect/links.
        let entries: Vec<Entry> =
            entries()?.into_iter().filter(|e| !matches!(e.label, Label::Addressing | Label::PersonalLink)).collect();
        let matcher = Matcher::new(entries.iter().map(|e| (e.folded.as_str(), e.anchor)))
            .map_err(|e| LexiconError::Build(format!("{SOURCE}: {e}")))?;
        Ok(ContextWords { matcher, entries })
    }

    /// Every context word inside `range` of the folded text, respecting word boundaries.
    fn find(&self, folded: &Folded, range: (usize, usize), out: &mut Vec<Cue>) {
        self.matcher.for_each(folded, range, |i, s, e| {
            let entry = &self.entries[i];
            out.push(Cue { label: entry.label, role: entry.role, weight: entry.weight, folded: (s, e) });
        });
    }

    /// The context of a text around each of `spans` (folded byte spans of candidate terms).
    pub(crate) fn around<'s>(&self, scan: &Scan<'s>, spans: &[(usize, usize)]) -> Around<'s> {
        let mut around = Around { text: scan.text, folded: scan.folded, cues: Vec::new(), covered: None };
        if let (Some(lo), Some(hi)) = (spans.iter().map(|s| s.0).min(), spans.iter().map(|s| s.1).max()) {
            // One window over all candidates: they are few and usually close, and one pass is
            // cheaper than several.
            self.ensure_near(&mut around, (lo, hi));
        }
        around
    }

    /// Make sure the context within a window of words around `span` (folded) has been searched.
    pub(crate) fn ensure_near(&self, around: &mut Around, span: (usize, usize)) {
        let folded = around.folded.as_str();
        let range = (back_words(folded, span.0, WINDOW), forward_words(folded, span.1, WINDOW));
        self.ensure(around, range);
    }

    /// Make sure the whole text has been searched (for rules that ask "anywhere in the text?").
    pub(crate) fn ensure_whole(&self, around: &mut Around) {
        let len = around.folded.as_str().len();
        self.ensure(around, (0, len));
    }

    fn ensure(&self, around: &mut Around, range: (usize, usize)) {
        let range = match around.covered {
            Some(c) if c.0 <= range.0 && range.1 <= c.1 => return,
            // Searching the union again is simpler than merging, and widening is rare.
            Some(c) => (c.0.min(range.0), c.1.max(range.1)),
            None => range,
        };
        around.cues.clear();
        self.find(around.folded, range, &mut around.cues);
        around.covered = Some(range);
    }
}

/// How many words either side of a candidate are searched for context: the widest rule (educational)
/// looks six words away.
const WINDOW: usize = 6;

/// The start of the word `n` words before `at` in the folded text.
fn back_words(folded: &str, at: usize, n: usize) -> usize {
    let bytes = folded.as_bytes();
    let mut spaces = 0;
    let mut i = at.min(bytes.len());
    while i > 0 {
        if bytes[i - 1] == b' ' {
            spaces += 1;
            if spaces > n {
                return i;
            }
        }
        i -= 1;
    }
    0
}

/// The end of the word `n` words after `at` in the folded text.
fn forward_words(folded: &str, at: usize, n: usize) -> usize {
    let bytes = folded.as_bytes();
    let mut spaces = 0;
    for (i, &b) in bytes.iter().enumerate().skip(at) {
        if b == b' ' {
            spaces += 1;
            if spaces > n {
                return i;
            }
        }
    }
    bytes.len()
}

/// The context words found in one text, with the questions the rules ask of them.
pub(crate) struct Around<'s> {
    text: &'s str,
    folded: &'s Folded,
    cues: Vec<Cue>,
    /// The folded range searched so far.
    covered: Option<(usize, usize)>,
}

impl Around<'_> {
    /// The nearest context word of this label and role ending before `at`, at most `within` words away.
    pub(crate) fn before(&self, label: Label, role: Role, at: (usize, usize), within: usize) -> Option<Near> {
        self.nearest(label, role, within, |c| (c.folded.1 <= at.0).then_some((c.folded.1, at.0)))
    }

    /// The nearest context word of this label and role starting after `at`, at most `within` words away.
    pub(crate) fn after(&self, label: Label, role: Role, at: (usize, usize), within: usize) -> Option<Near> {
        self.nearest(label, role, within, |c| (c.folded.0 >= at.1).then_some((at.1, c.folded.0)))
    }

    /// The nearest context word on either side.
    pub(crate) fn near(&self, label: Label, role: Role, at: (usize, usize), within: usize) -> Option<Near> {
        match (self.before(label, role, at, within), self.after(label, role, at, within)) {
            (Some(b), Some(a)) => Some(if a.distance < b.distance { a } else { b }),
            (b, a) => b.or(a),
        }
    }

    /// Every context word of this label and role on either side, at most `within` words away.
    pub(crate) fn all_near(
        &self,
        label: Label,
        role: Role,
        at: (usize, usize),
        within: usize,
    ) -> impl Iterator<Item = Near> + '_ {
        self.cues.iter().filter(move |c| c.label == label && c.role == role).filter_map(move |c| {
            let gap = if c.folded.1 <= at.0 {
                (c.folded.1, at.0)
            } else if c.folded.0 >= at.1 {
                (at.1, c.folded.0)
            } else {
                return None;
            };
            self.distance(gap, within).map(|distance| Near { cue: *c, distance })
        })
    }

    /// Any context word of this label and role anywhere in what was searched.
    pub(crate) fn any(&self, label: Label, role: Role) -> Option<Cue> {
        self.cues.iter().find(|c| c.label == label && c.role == role).copied()
    }

    /// The original text a context word came from.
    pub(crate) fn words(&self, cue: &Cue) -> &str {
        let (s, e) = self.original(cue.folded);
        &self.text[s..e]
    }

    /// The original byte span of a folded span.
    pub(crate) fn original(&self, folded: (usize, usize)) -> (usize, usize) {
        self.folded.original_span(folded.0, folded.1)
    }

    fn nearest(
        &self,
        label: Label,
        role: Role,
        within: usize,
        gap: impl Fn(&Cue) -> Option<(usize, usize)>,
    ) -> Option<Near> {
        self.cues
            .iter()
            .filter(|c| c.label == label && c.role == role)
            .filter_map(|c| gap(c).and_then(|g| self.distance(g, within)).map(|distance| Near { cue: *c, distance }))
            .min_by_key(|n| n.distance)
    }

    /// Words from one end to the other start (adjacent words: 1), if at most `within` and no sentence
    /// ends between them.
    fn distance(&self, gap: (usize, usize), within: usize) -> Option<usize> {
        let folded = self.folded.as_str();
        let distance = folded.as_bytes()[gap.0..gap.1].iter().filter(|&&b| b == b' ').count();
        if distance > within {
            return None;
        }
        if gap.0 > 0 && gap.1 > gap.0 && gap.1 < folded.len() && self.sentence_break(gap) {
            return None;
        }
        Some(distance)
    }

    /// Whether the original text between two folded positions ends a sentence.
    fn sentence_break(&self, gap: (usize, usize)) -> bool {
        // `gap.0` ends the earlier word and `gap.1` starts the later one, so both bytes exist.
        let start = self.folded.original_span(gap.0 - 1, gap.0).1;
        let end = self.folded.original_span(gap.1, gap.1 + 1).0;
        start < end && self.text.as_bytes()[start..end].iter().any(|b| matches!(b, b'.' | b'!' | b'?' | b';' | b'\n'))
    }
}

/// The folded position of the original byte `at`: the first folded byte that comes from `at` or later.
pub(crate) fn folded_at(folded: &Folded, at: usize) -> usize {
    let len = folded.as_str().len();
    let (mut lo, mut hi) = (0, len);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if folded.original_span(mid, mid + 1).0 < at {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_context_file_parses_and_every_kind_is_a_role() {
        ContextWords::load().unwrap();
        assert!(words(Label::Political, Role::Counter).unwrap().contains("ward"));
        let not_name = words(Label::Addressing, Role::NotName).unwrap();
        assert!(not_name.contains("Everyone") && not_name.contains("everyone") && !not_name.contains("Sarah"));
    }

    #[test]
    fn windows_count_words() {
        let text = "one two three four five six seven eight";
        assert_eq!(&text[back_words(text, 14, 2)..14], "two three ");
        assert_eq!(&text[14..forward_words(text, 14, 1)], "four five");
        assert_eq!(back_words(text, 4, 5), 0);
        assert_eq!(forward_words(text, 30, 5), text.len());
    }
}
