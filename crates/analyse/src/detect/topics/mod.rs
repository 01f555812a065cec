//! Topics: what a text is about that the policy keeps off the school's channels.
//!
//! - `commercial` (P2.10, P2.13): adverts for businesses, but not the school's own events nor its
//!   allow-listed suppliers;
//! - `donation_request` (P2.13): appeals for money;
//! - `political` (P2.9): parties, elections, petitions, campaigns, politicians;
//! - `ethos` (P2.13): what goes against the school's religious ethos (alcohol, gambling, pork, mockery
//!   of faith by default; the school's policy adds its own categories);
//! - `age_inappropriate` (P2.16): sexual content, graphic violence, drugs, self-harm, adult content.
//!
//! Almost everything starts from the lexicon hits the shared lexicon has already found (terms in
//! `lexicons/topics.tsv` and the school's own): a text with none of them, and without a currency sign,
//! `%` or a link, costs a walk over its hits and two `memchr` passes. The words around a
//! candidate then decide what it means (see [`context`]): many topic words are also everyday words
//! ("went into labour", "a conservative estimate", "weed the garden"), and a mention is not always a
//! breach ("no alcohol at the fair", "halal sausages", "drugs awareness week"). Weak cues of one label
//! add up, and overlapping matches become one finding (see `found`).

mod age;
mod commercial;
pub(crate) mod context;
mod donation;
mod ethos;
mod found;
mod political;

use super::Scan;
use crate::lexicon::{Hit, Term};
use crate::{Error, Finding, Label, Settings};
use context::{ContextWords, Role};
use found::Found;

/// The labels this detector reports.
const LABELS: [Label; 5] =
    [Label::Commercial, Label::DonationRequest, Label::Political, Label::Ethos, Label::AgeInappropriate];

pub(crate) struct Topics {
    context: ContextWords,
    commercial: commercial::Commercial,
}

impl Topics {
    pub fn new(settings: &Settings) -> Result<Topics, Error> {
        Ok(Topics { context: ContextWords::load()?, commercial: commercial::Commercial::new(settings) })
    }

    pub fn detect(&self, scan: &Scan, out: &mut Vec<Finding>) {
        let mut terms: Vec<(&Hit, &Term)> = Vec::new();
        let mut faith: Vec<&Hit> = Vec::new();
        for (hit, term) in scan.terms() {
            if !LABELS.contains(&term.label) {
                continue;
            }
            if term.label == Label::Ethos && term.kind == ethos::FAITH {
                faith.push(hit);
            } else if Role::parse(&term.kind).is_none() {
                // A context kind in the main lexicon (a school's own term, say) is context, not a topic.
                terms.push((hit, term));
            }
        }
        let money = self.commercial.triggers(scan);
        if terms.is_empty() && faith.is_empty() && !money.any() {
            return;
        }
        let spans: Vec<(usize, usize)> =
            terms.iter().map(|(h, _)| h.folded).chain(faith.iter().map(|h| h.folded)).collect();
        let mut around = self.context.around(scan, &spans);
        let mut found = Found::default();
        for &(hit, term) in &terms {
            match term.label {
                Label::Political => political::judge(scan, hit, term, &around, &mut found),
                Label::Ethos => ethos::judge(hit, term, &around, &mut found),
                Label::AgeInappropriate => age::judge(hit, term, &around, &mut found),
                Label::DonationRequest => donation::judge(hit, term, &around, &mut found),
                Label::Commercial => commercial::judge(scan, hit, term, &mut found),
                _ => {}
            }
        }
        ethos::mockery(scan, &faith, &around, &mut found);
        let seen = self.commercial.patterns(scan, &money, &self.context, &mut around, &mut found);
        self.commercial.excuse(scan, &self.context, &mut around, &seen, &mut found);
        found.corroborate();
        found.emit(scan.text, out);
    }
}

/// Whether a word is written capitalised ("Labour"), which in capitals ("LABOUR") says nothing.
pub(super) fn capitalised(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.any(char::is_lowercase)
}

/// Whether the word at `at` begins a sentence (so its capital letter means nothing).
pub(crate) fn sentence_start(text: &str, at: usize) -> bool {
    match text[..at].trim_end().chars().next_back() {
        None => true,
        Some(c) => matches!(c, '.' | '!' | '?' | ':' | ';' | '\n' | '"' | '“'),
    }
}

/// Where a lexicon term came from, for the evidence.
pub(super) fn source(term: &Term) -> &str {
    &term.source
}

/// Why a term counts: "political term 'vote' (topics.tsv)". Joined rather than `format!`ted: the
/// formatting machinery cost more than the rest of judging a term.
pub(super) fn term_why(term: &Term) -> String {
    [&*term.kind, " term '", &term.text, "' (", source(term), ")"].concat()
}

/// The span covering two spans.
pub(super) fn union(a: (usize, usize), b: (usize, usize)) -> (usize, usize) {
    (a.0.min(b.0), a.1.max(b.1))
}
