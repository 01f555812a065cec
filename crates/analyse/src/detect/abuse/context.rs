//! Context for the abuse rules: the cue words of `abuse.tsv`'s `#ctx` rows, where words are, and
//! whether two places are in one sentence or inside quotation marks.
//!
//! The cue words ("you", "not", "said", "peas"…) are common, so they are kept out of the analyser's
//! shared lexicon, where every match costs every text. They get a matcher of their own that runs
//! only on texts with something abusive-looking in them.

use std::borrow::Cow;

use crate::fold::{Folded, Word, fold_term};
use crate::lexicon::{self, Anchor, Hit, Term};
use crate::matcher::Matcher;
use crate::{Error, Label};

const LEXICON: &str = include_str!("../../../lexicons/abuse.tsv");
const PREFIX: &str = "#ctx ";

/// What a cue word does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum CueKind {
    Intent,
    Person,
    /// A verb of receiving after the one to receive ("you'll get", "he needs"), or "give" before
    /// them: before a harm, a threat.
    Sufferer,
    /// A wish or hope: before a person and a word of dying, a death wish.
    Wish,
    Negator,
    Report,
    /// Supposing a view for the sake of answering it ("if you think X are …"): reports a view of a
    /// group, not an insult ("if you think you can be a bitch" is still one).
    Supposition,
    Condemn,
    /// Aims an insult at someone; `nouns_only` when it cannot precede an adjective ("what a");
    /// `send_off` when it sends them off ("go away"), so that a weak insult ending the sentence
    /// after it is a name for them.
    Address {
        nouns_only: bool,
        send_off: bool,
    },
    Sense,
    /// The abusive word also works as a proper name.
    Name,
}

/// Where a sense word must stand relative to the word it rescues.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Place {
    JustBefore,
    JustAfter,
    Near,
}

/// A cue found in a text, with its words.
#[derive(Clone, Copy, Debug)]
pub(super) struct Cue {
    pub kind: CueKind,
    pub term: usize,
    pub hit: Hit,
    pub first: usize,
    pub last: usize,
}

/// The cue lexicon, with each sense word's rescued terms parsed once.
pub(super) struct Cues {
    /// Each cue folded, matching whole words only: common short cues ("u", "no") would otherwise
    /// match inside every other word.
    matcher: Matcher,
    terms: Vec<Term>,
    kinds: Vec<CueKind>,
    senses: Vec<Vec<(String, Place)>>,
}

impl Cues {
    pub fn new() -> Result<Cues, Error> {
        // Keep every line (blank where it is not a cue row) so errors name the file's own lines.
        let rows: String = LEXICON.lines().map(|l| l.strip_prefix(PREFIX).unwrap_or("")).collect::<Vec<_>>().join("\n");
        let terms = lexicon::parse_tsv("abuse.tsv", &rows)?;
        let mut kinds = Vec::with_capacity(terms.len());
        let mut senses = Vec::with_capacity(terms.len());
        for (i, t) in terms.iter().enumerate() {
            kinds.push(cue_kind(t).ok_or_else(|| bad_row(i, t))?);
            senses.push(if kinds[i] == CueKind::Sense { rescued(t) } else { Vec::new() });
        }
        let patterns: Vec<String> = terms.iter().map(|t| fold_term(&t.text)).collect();
        let matcher = Matcher::new(patterns.iter().map(|p| (p.as_str(), Anchor::Word)))
            .map_err(|e| lexicon::LexiconError::Build(format!("abuse.tsv context words: {e}")))?;
        Ok(Cues { matcher, terms, kinds, senses })
    }

    /// Every cue in the folded text.
    pub fn find(&self, folded: &Folded, words: &Words) -> Vec<Cue> {
        let text = folded.as_str();
        let mut cues = Vec::new();
        self.matcher.for_each(folded, (0, text.len()), |term, start, end| {
            let (first, last) = words.span(start, end);
            let (os, oe) = folded.original_span(start, end);
            let hit = Hit { term, folded: (start, end), start: os, end: oe };
            cues.push(Cue { kind: self.kinds[term], term, hit, first, last });
        });
        cues
    }

    pub fn text(&self, cue: &Cue) -> &str {
        &self.terms[cue.term].text
    }

    /// The cue's row target, if it has one.
    pub fn target(&self, cue: &Cue) -> Option<&str> {
        self.terms[cue.term].target.as_deref()
    }

    /// The terms a sense cue rescues, and where it must stand.
    pub fn rescues(&self, cue: &Cue) -> &[(String, Place)] {
        &self.senses[cue.term]
    }
}

fn cue_kind(t: &Term) -> Option<CueKind> {
    if t.label != Label::Abuse {
        return None;
    }
    Some(match t.kind.as_ref() {
        "intent" => CueKind::Intent,
        "person" => CueKind::Person,
        "sufferer" => CueKind::Sufferer,
        "wish" => CueKind::Wish,
        "negator" => CueKind::Negator,
        "report" => CueKind::Report,
        "supposition" => CueKind::Supposition,
        "condemn" => CueKind::Condemn,
        "address" => {
            let target = t.target.as_deref();
            CueKind::Address {
                nouns_only: matches!(target, Some("noun" | "send_off")),
                send_off: target == Some("send_off"),
            }
        }
        "sense" => CueKind::Sense,
        "homonym" if t.target.as_deref() == Some("name") => CueKind::Name,
        _ => return None,
    })
}

fn bad_row(i: usize, t: &Term) -> Error {
    Error::Lexicon(lexicon::LexiconError::Line {
        file: "abuse.tsv".into(),
        line: 0,
        problem: format!("context row {} ({:?}): unknown cue kind {:?} or label {}", i + 1, t.text, t.kind, t.label),
    })
}

/// `faggot,faggots/-1` → [("faggot", Near), ("faggots", JustBefore)].
fn rescued(t: &Term) -> Vec<(String, Place)> {
    let list: &str = t.target.as_ref().map_or("", Cow::as_ref);
    list.split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            let s = s.trim();
            if let Some(w) = s.strip_suffix("/-1") {
                (w.to_string(), Place::JustBefore)
            } else if let Some(w) = s.strip_suffix("/+1") {
                (w.to_string(), Place::JustAfter)
            } else {
                (s.to_string(), Place::Near)
            }
        })
        .collect()
}

/// Where the words of a folded text are.
pub(super) struct Words<'a> {
    folded: &'a Folded,
    /// Fold's own record of the words: folding yields words separated by single spaces, so these
    /// are the text's words without splitting it again.
    words: &'a [Word],
}

impl<'a> Words<'a> {
    pub fn new(folded: &'a Folded) -> Words<'a> {
        Words { folded, words: folded.words() }
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// The first and last word of a folded byte range.
    pub fn span(&self, start: usize, end: usize) -> (usize, usize) {
        let max = self.words.len().saturating_sub(1);
        let first = self.words.partition_point(|w| w.end as usize <= start).min(max);
        let last = self.words.partition_point(|w| (w.start as usize) < end).saturating_sub(1);
        (first, last.max(first))
    }

    pub fn word(&self, i: usize) -> &'a str {
        self.folded.word(i)
    }

    /// The [`crate::fold::word_hash`] of word `i`, if there is one.
    pub fn hash(&self, i: usize) -> Option<u64> {
        self.words.get(i).map(|w| w.hash)
    }

    /// The byte span in the original text that word `i` came from.
    pub fn origin(&self, i: usize) -> (usize, usize) {
        self.folded.word_origin(i)
    }

    /// The folded text from byte `start` to byte `end`.
    pub fn folded_text(&self, start: usize, end: usize) -> &'a str {
        &self.folded.as_str()[start..end]
    }

    /// Folded byte span of word `i`.
    pub fn folded_span(&self, i: usize) -> (usize, usize) {
        let w = &self.words[i];
        (w.start as usize, w.end as usize)
    }
}

const QUOTE_REACH: usize = 300;

/// Whether nothing ends a sentence between two places of the original text.
pub(super) fn same_sentence(text: &str, a: usize, b: usize) -> bool {
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    !text.as_bytes()[lo..hi].iter().any(|c| matches!(c, b'.' | b'!' | b'?' | b'\n' | b';'))
}

/// The quotation the original span `start..end` sits in, from its opening mark to the end of its
/// closing one, looking no further than a few hundred bytes either side (a quotation is a phrase,
/// and a long text must not make every candidate rescan it).
pub(super) fn quotation(text: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    let mut from = start.saturating_sub(QUOTE_REACH);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let mut to = (end + QUOTE_REACH).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let (before, after) = (&text[from..start], &text[end..to]);
    let straight = || {
        let open = before.rfind('"').filter(|_| before.matches('"').count() % 2 == 1)?;
        Some((open, after.find('"')? + 1))
    };
    let curly = || {
        let open = before.rfind('“').filter(|&o| before[o..].find('”').is_none())?;
        Some((open, after.find('”')? + '”'.len_utf8()))
    };
    let (open, close) = straight().or_else(curly).or_else(|| single_quoted(before, after))?;
    Some((from + open, end + close))
}

/// Single quotes double as apostrophes, so only a quote at a word's edge counts: an opening one after
/// a space (or at the start) and a closing one before a space, punctuation or the end. Where they
/// are in `before` and just past the closing one in `after`.
fn single_quoted(before: &str, after: &str) -> Option<(usize, usize)> {
    let is_quote = |c: char| c == '\'' || c == '‘' || c == '’';
    let (open, _) = before.char_indices().rev().find(|&(i, c)| {
        is_quote(c) && before[..i].chars().next_back().is_none_or(|p| p.is_whitespace() || p == '(' || p == ':')
    })?;
    let close = after
        .char_indices()
        .find(|&(i, c)| is_quote(c) && after[i + c.len_utf8()..].chars().next().is_none_or(|n| !n.is_alphanumeric()))?;
    Some((open, close.0 + close.1.len_utf8()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cue_rows_parse() {
        let cues = Cues::new().unwrap();
        assert!(cues.kinds.contains(&CueKind::Sense));
        assert!(cues.kinds.contains(&CueKind::Address { nouns_only: true, send_off: false }));
    }

    #[test]
    fn words_and_spans() {
        let folded = crate::fold::fold("you are a twat", crate::fold::Runs::KeepDouble);
        let w = Words::new(&folded);
        assert_eq!(w.len(), 4);
        assert_eq!(w.span(0, 7), (0, 1));
        assert_eq!(w.span(10, 14), (3, 3));
        assert_eq!(w.word(2), "a");
    }

    #[test]
    fn quotes() {
        let t = "saying 'they are scum' is wrong";
        let at = t.find("scum").unwrap();
        assert!(quotation(t, at, at + 4).is_some());
        let t = "he said “scum” to me";
        let at = t.find("scum").unwrap();
        assert!(quotation(t, at, at + 4).is_some());
        let t = "don't be scum, it's late";
        let at = t.find("scum").unwrap();
        assert!(quotation(t, at, at + 4).is_none());
    }

    #[test]
    fn sentences() {
        let t = "He said hello. You idiot";
        assert!(!same_sentence(t, 3, 18));
        assert!(same_sentence(t, 0, 7));
    }
}
