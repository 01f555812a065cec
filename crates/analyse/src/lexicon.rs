//! Lexicons: word lists kept as data files with their provenance, compiled into one matcher.
//!
//! Every built-in list lives in `crates/analyse/lexicons/*.tsv`; a school adds its own through the
//! policy file. All terms, whatever their label, go into a single matcher (`crate::matcher`) over
//! folded text, so the text's words are looked up once however many lists there are.
//!
//! File format, one term a line, tab-separated, `#` starts a comment:
//!
//! ```text
//! term    label    kind    score    [target]
//! ```
//!
//! A term matches whole words of the folded text. `term*` also matches words that begin with it
//! (`fuck*` finds `fucking`), `*term` words that end with it (`*fucker` finds `motherfucker`), and
//! `*term*` matches anywhere inside a word. Terms are folded
//! exactly as the text is (see [`crate::fold`]). A row may not repeat an earlier one's term, label,
//! kind and target: [`parse_tsv`] refuses it, naming both lines.

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use crate::Label;
use crate::fold::{Folded, Runs, fold, fold_term};
use crate::matcher::Matcher;

/// Where a term may match within the words of the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// Whole words only.
    Word,
    /// The start of a word.
    Prefix,
    /// The end of a word.
    Suffix,
    /// Anywhere inside a word.
    Infix,
}

/// One lexicon entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Term {
    /// The term as written in the list.
    pub text: String,
    pub label: Label,
    pub kind: Cow<'static, str>,
    /// How strongly a match alone indicates the label, 0–1.
    pub score: f32,
    /// For hateful terms: who they target.
    pub target: Option<Cow<'static, str>>,
    pub anchor: Anchor,
    /// Which list it came from, for the explanation.
    pub source: Cow<'static, str>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum LexiconError {
    #[error("{file}:{line}: {problem}")]
    Line { file: String, line: usize, problem: String },
    #[error("building the lexicon matcher: {0}")]
    Build(String),
}

/// Parse a lexicon file in the format described in the module documentation.
pub fn parse_tsv(source: &'static str, text: &str) -> Result<Vec<Term>, LexiconError> {
    let mut terms = Vec::new();
    // A row repeated is a mistake in the file (and one of two differing scores silently wins), so
    // it is refused; one term may still appear in several kinds, and a sense word once per target.
    // FxHash: the keys are the file's own words, and SipHash made this check cost more at start-up
    // than reading the rows (callgrind: 9.7M instructions for the built-in lexicons).
    let mut seen: FxHashMap<(&str, &str, &str, Option<&str>), usize> = FxHashMap::default();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("").trim_end();
        if line.trim().is_empty() {
            continue;
        }
        let err = |problem: String| LexiconError::Line { file: source.to_string(), line: n + 1, problem };
        let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
        if cols.len() < 4 {
            return Err(err(format!("expected term, label, kind, score[, target]; found {} column(s)", cols.len())));
        }
        let label = cols[1].parse::<Label>().map_err(|e| err(e.to_string()))?;
        let score = cols[3]
            .parse::<f32>()
            .ok()
            .filter(|s| (0.0..=1.0).contains(s))
            .ok_or_else(|| err(format!("score {:?} is not a number from 0 to 1", cols[3])))?;
        let target = cols.get(4).filter(|t| !t.is_empty()).copied();
        if let Some(first) = seen.insert((cols[0], cols[1], cols[2], target), n + 1) {
            return Err(err(format!("repeats line {first} (same term, label, kind and target)")));
        }
        let target = target.map(|t| Cow::Owned(t.to_string()));
        terms.push(term(cols[0], label, Cow::Owned(cols[2].to_string()), score, target, Cow::Borrowed(source)));
    }
    Ok(terms)
}

/// Build one term, reading the `*` anchors off its text.
pub fn term(
    text: &str,
    label: Label,
    kind: Cow<'static, str>,
    score: f32,
    target: Option<Cow<'static, str>>,
    source: Cow<'static, str>,
) -> Term {
    let anchor = match (text.starts_with('*') && text.len() > 1, text.ends_with('*')) {
        (true, true) => Anchor::Infix,
        (false, true) => Anchor::Prefix,
        (true, false) => Anchor::Suffix,
        _ => Anchor::Word,
    };
    Term { text: text.trim_matches('*').to_string(), label, kind, score, target, anchor, source }
}

/// A match of a term in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    /// Index into [`Lexicon::terms`].
    pub term: usize,
    /// Byte span in the folded text that was searched.
    pub folded: (usize, usize),
    /// Byte span in the original text.
    pub start: usize,
    pub end: usize,
}

/// All terms compiled into one matcher.
#[derive(Clone, Debug)]
pub struct Lexicon {
    terms: Vec<Term>,
    matcher: Matcher,
}

impl Lexicon {
    pub fn new(terms: Vec<Term>) -> Result<Lexicon, LexiconError> {
        let folded: Vec<String> = terms.iter().map(|t| fold_term(&t.text)).collect();
        let matcher = Matcher::new(folded.iter().zip(&terms).map(|(f, t)| (f.as_str(), t.anchor)))
            .map_err(LexiconError::Build)?;
        Ok(Lexicon { terms, matcher })
    }

    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    pub fn term(&self, hit: &Hit) -> &Term {
        &self.terms[hit.term]
    }

    /// Every match in `folded` that respects its term's anchor, in order of start.
    pub fn find(&self, folded: &Folded) -> Vec<Hit> {
        let mut hits = Vec::new();
        self.matcher.for_each(folded, (0, folded.as_str().len()), |term, s, e| {
            let (start, end) = folded.original_span(s, e);
            hits.push(Hit { term, folded: (s, e), start, end });
        });
        hits.sort_by_key(|h| (h.folded.0, h.folded.1));
        hits
    }

    /// Fold `text` and find every term, also trying a fold with repeated letters collapsed to one
    /// when the text has such runs (`fuuuck`). Returns the main fold, which detectors use for context.
    pub fn scan(&self, text: &str) -> (Folded, Vec<Hit>) {
        let folded = fold(text, Runs::KeepDouble);
        let mut hits = self.find(&folded);
        if folded.had_long_run() {
            let single = fold(text, Runs::Single);
            for hit in self.find(&single) {
                if !hits.iter().any(|h| h.term == hit.term && h.start == hit.start) {
                    // Folded offsets of this hit belong to the other fold; map them onto the main one
                    // by original position so detectors can look around it.
                    hits.push(Hit { folded: folded_span_of(&folded, hit.start, hit.end), ..hit });
                }
            }
            hits.sort_by_key(|h| (h.start, h.end));
        }
        (folded, hits)
    }
}

/// The folded span of `folded` covering the original range `start..end`.
fn folded_span_of(folded: &Folded, start: usize, end: usize) -> (usize, usize) {
    let text = folded.as_str();
    let mut s = text.len();
    let mut e = 0;
    for (i, (os, oe)) in folded.origins().enumerate() {
        if os >= start && oe <= end {
            s = s.min(i);
            e = e.max(i + 1);
        }
    }
    if s >= e { (0, 0) } else { (s, e) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon(lines: &str) -> Lexicon {
        Lexicon::new(parse_tsv("test", lines).unwrap()).unwrap()
    }

    #[test]
    fn anchors() {
        let lex = lexicon("cunt\tabuse\tprofanity\t0.9\nfuck*\tabuse\tprofanity\t0.8\n*fucker\tabuse\tinsult\t0.9\n");
        let texts = |t: &str| {
            let (_, hits) = lex.scan(t);
            hits.iter().map(|h| lex.term(h).text.clone()).collect::<Vec<_>>()
        };
        assert!(texts("Scunthorpe United").is_empty());
        assert_eq!(texts("what a c.u.n.t"), ["cunt"]);
        assert_eq!(texts("fucking hell"), ["fuck"]);
        assert_eq!(texts("motherfucker"), ["fucker"]);
        assert_eq!(texts("fuuuuuck off"), ["fuck"]);
    }

    #[test]
    fn hits_point_into_original() {
        let lex = lexicon("beef curtains\tabuse\tsexual\t0.7\n");
        let text = "Nice BEEF   Curtains!";
        let (_, hits) = lex.scan(text);
        assert_eq!(hits.len(), 1);
        assert_eq!(&text[hits[0].start..hits[0].end], "BEEF   Curtains");
    }

    #[test]
    fn bad_lines_name_the_line() {
        let err = parse_tsv("x.tsv", "ok\tabuse\tinsult\t0.5\nbad\tnolabel\tk\t0.5\n").unwrap_err();
        assert!(err.to_string().starts_with("x.tsv:2: unknown label"), "{err}");
        let err = parse_tsv("x.tsv", "bad\tabuse\tk\t7\n").unwrap_err();
        assert!(err.to_string().contains("not a number from 0 to 1"), "{err}");
    }

    #[test]
    fn a_repeated_row_is_refused_and_one_term_may_have_several_kinds() {
        let err = parse_tsv("x.tsv", "twit\tabuse\tinsult\t0.5\n\ntwit\tabuse\tinsult\t0.4\n").unwrap_err();
        assert_eq!(err.to_string(), "x.tsv:3: repeats line 1 (same term, label, kind and target)");
        assert!(parse_tsv("x.tsv", "scum\tabuse\tinsult\t0.5\nscum\tabuse\tdehumanise\t0\tpost\n").is_ok());
        assert!(parse_tsv("x.tsv", "farm\tabuse\tsense\t0\tcow\nfarm\tabuse\tsense\t0\tpig\n").is_ok());
    }
}
