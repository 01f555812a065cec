//! What the topic rules found in one text, before it becomes findings.
//!
//! The rules judge each term on its own; two things need the whole text and happen here: weak cues
//! that corroborate each other (two ambiguous political words, a bank-details mention beside a
//! "collection for") add up, and overlapping matches of one label ("Labour party" and "Labour") become
//! one finding.

use std::borrow::Cow;

use crate::Label;
use crate::analysis::{Detector, Finding, THRESHOLD};

/// The score an ambiguous term gets when a context word supports it.
pub(super) const SUPPORTED: f32 = 0.7;
/// The score an ambiguous political term gets when the same text has a clear political finding.
const CORROBORATED: f32 = 0.6;
/// Weak cues that add up never score above this: together they are suggestive, not conclusive.
const COMBINED_CAP: f32 = 0.75;

/// One candidate finding.
#[derive(Clone, Debug)]
pub(super) struct Item {
    pub label: Label,
    pub kind: Cow<'static, str>,
    pub score: f32,
    /// Byte span in the original text.
    pub span: (usize, usize),
    pub detector: Detector,
    /// Why, without the words themselves (they are added from the final span).
    pub why: String,
    /// What matched, so that the same word twice does not corroborate itself.
    pub key: String,
    /// A sub-kind a rule needs later (commercial: `business`, `price`, …).
    pub tag: &'static str,
    /// Negated, excused or damped: corroboration leaves it as it is.
    pub settled: bool,
    /// An ambiguous term that only context could make count.
    pub ambiguous: bool,
}

impl Item {
    pub(super) fn new(label: Label, kind: impl Into<Cow<'static, str>>, score: f32, span: (usize, usize)) -> Item {
        Item {
            label,
            kind: kind.into(),
            score: score.clamp(0.0, 1.0),
            span,
            detector: Detector::Lexicon,
            why: String::new(),
            key: String::new(),
            tag: "",
            settled: false,
            ambiguous: false,
        }
    }

    pub(super) fn why(mut self, why: impl Into<String>) -> Item {
        self.why = why.into();
        self
    }

    pub(super) fn key(mut self, key: impl Into<String>) -> Item {
        self.key = key.into();
        self
    }

    pub(super) fn tag(mut self, tag: &'static str) -> Item {
        self.tag = tag;
        self
    }

    pub(super) fn scored(mut self, score: f32) -> Item {
        self.score = score.clamp(0.0, 1.0);
        self
    }

    pub(super) fn rule(mut self) -> Item {
        self.detector = Detector::Rule;
        self
    }

    pub(super) fn ambiguous(mut self) -> Item {
        self.ambiguous = true;
        self
    }

    /// Lower the score for a reason that no other evidence can undo.
    pub(super) fn settle(&mut self, score: f32, why: &str) {
        self.score = score.clamp(0.0, 1.0);
        self.settled = true;
        self.why.push_str("; ");
        self.why.push_str(why);
    }
}

#[derive(Default)]
pub(super) struct Found {
    pub items: Vec<Item>,
}

impl Found {
    pub(super) fn push(&mut self, item: Item) {
        self.items.push(item);
    }

    /// Let weak cues of one label in the same text support each other.
    ///
    /// Not for ethos: its weak terms are the school's own "a weak signal that decides nothing"
    /// ("bet", "odds"), and two idioms ("I bet the odds are…") are no more a breach than one.
    pub(super) fn corroborate(&mut self) {
        for label in [Label::Commercial, Label::DonationRequest, Label::Political, Label::AgeInappropriate] {
            self.corroborate_label(label);
        }
    }

    fn corroborate_label(&mut self, label: Label) {
        let strong =
            self.items.iter().find(|i| i.label == label && i.score >= THRESHOLD && !i.settled).map(|i| i.key.clone());
        let weak: Vec<usize> = (0..self.items.len())
            .filter(|&k| {
                let i = &self.items[k];
                i.label == label && i.score < THRESHOLD && !i.settled && i.score > 0.0
            })
            .collect();
        if weak.is_empty() {
            return;
        }
        // A clear political statement settles what an ambiguous party name nearby means: "The Tories
        // and Labour are as bad as each other".
        if label == Label::Political
            && let Some(strong) = strong
        {
            for &k in &weak {
                let item = &mut self.items[k];
                if item.ambiguous {
                    item.score = item.score.max(CORROBORATED);
                    item.why.push_str(&format!("; the text is political elsewhere ('{strong}')"));
                }
            }
            return;
        }
        let mut keys: Vec<&str> = weak.iter().map(|&k| self.items[k].key.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        if keys.len() < 2 {
            return;
        }
        // Independent weak cues combine like probabilities (noisy-or), capped: two cues at 0.4 make
        // 0.64, three at 0.3 make 0.66.
        let mut seen = Vec::new();
        let mut miss = 1.0;
        for &k in &weak {
            let item = &self.items[k];
            if !seen.contains(&item.key.as_str()) {
                seen.push(item.key.as_str());
                miss *= 1.0 - item.score;
            }
        }
        let combined = (1.0 - miss).min(COMBINED_CAP);
        let n = keys.len();
        for &k in &weak {
            let item = &mut self.items[k];
            item.score = item.score.max(combined);
            item.why.push_str(&format!("; {n} weak cues together"));
        }
    }

    /// The findings, overlapping items of one label merged into one.
    pub(super) fn emit(mut self, text: &str, out: &mut Vec<Finding>) {
        self.items.retain(|i| i.score > 0.0);
        self.items.sort_by_key(|a| (a.label, a.span.0, a.span.1));
        let mut merged: Vec<Item> = Vec::with_capacity(self.items.len());
        for item in self.items {
            match merged.last_mut() {
                Some(last) if last.label == item.label && item.span.0 < last.span.1 => {
                    let span = (last.span.0, last.span.1.max(item.span.1));
                    if item.score > last.score {
                        *last = item;
                    }
                    last.span = span;
                }
                _ => merged.push(item),
            }
        }
        for item in merged {
            let words = text.get(item.span.0..item.span.1).unwrap_or("");
            let evidence = [item.label.as_str(), "/", &item.kind, ": '", words, "' — ", &item.why].concat();
            out.push(Finding::new(item.label, item.kind, item.score, item.span, item.detector).with_evidence(evidence));
        }
    }
}
