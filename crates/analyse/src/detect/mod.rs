//! The detectors. Each one reads a [`Scan`] (the original text, its folded form and the lexicon hits
//! already found in it) and appends findings; none of them re-scans what another has computed.

use crate::fold::Folded;
use crate::lexicon::{self, Hit, Lexicon, Term};
use crate::model::features::Token;
use crate::{Error, Finding, Settings};

pub(crate) mod abuse;
pub(crate) mod links;
pub(crate) mod names;
pub(crate) mod pii;
pub(crate) mod spam;
pub(crate) mod topics;

/// One text, prepared once for every detector.
pub(crate) struct Scan<'a> {
    pub text: &'a str,
    pub folded: &'a Folded,
    pub hits: &'a [Hit],
    pub lexicon: &'a Lexicon,
    /// The words as the models read them, shared by both.
    pub tokens: &'a [Token],
}

impl Scan<'_> {
    /// The lexicon hits with their terms.
    pub fn terms(&self) -> impl Iterator<Item = (&Hit, &Term)> {
        self.hits.iter().map(|h| (h, self.lexicon.term(h)))
    }
}

/// The built-in lexicons, each a data file with its provenance at the top.
const BUILTIN: &[(&str, &str)] = &[
    ("abuse.tsv", include_str!("../../lexicons/abuse.tsv")),
    ("spam.tsv", include_str!("../../lexicons/spam.tsv")),
    ("topics.tsv", include_str!("../../lexicons/topics.tsv")),
];

/// How many ASCII digits `bytes` holds: several detectors ask first whether a text has any. Counted
/// in chunks small enough for a byte counter, without a branch per byte, which the compiler turns
/// into SIMD.
pub(crate) fn count_digits(bytes: &[u8]) -> usize {
    bytes.chunks(255).map(|chunk| chunk.iter().fold(0u8, |n, b| n + u8::from(b.wrapping_sub(b'0') < 10)) as usize).sum()
}

pub(crate) fn builtin_terms() -> Result<Vec<Term>, Error> {
    let mut terms = Vec::new();
    for (name, text) in BUILTIN {
        terms.extend(lexicon::parse_tsv(name, text)?);
    }
    Ok(terms)
}

/// Every detector that needs no roster, built once per school.
pub(crate) struct Detectors {
    pii: pii::Pii,
    abuse: abuse::Abuse,
    spam: spam::Spam,
    topics: topics::Topics,
    links: links::Links,
}

impl Detectors {
    pub fn new(settings: &Settings) -> Result<Detectors, Error> {
        Ok(Detectors {
            pii: pii::Pii::new(settings)?,
            abuse: abuse::Abuse::new(settings)?,
            spam: spam::Spam::new(settings)?,
            topics: topics::Topics::new(settings)?,
            links: links::Links::new(settings)?,
        })
    }

    pub fn detect(&self, scan: &Scan, out: &mut Vec<Finding>) {
        self.pii.detect(scan, out);
        self.abuse.detect(scan, out);
        self.spam.detect(scan, out);
        self.topics.detect(scan, out);
        self.links.detect(scan, out);
    }
}
