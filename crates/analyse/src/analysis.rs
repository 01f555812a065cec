//! What the analyser says about a text: findings, each explainable on its own.

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::Label;

/// A finding at or above this score counts towards the text's labels; below it, it is shown as a
/// weaker signal (a first name shared by several pupils, say) but decides nothing.
pub const THRESHOLD: f32 = 0.5;

/// Which part of the analyser produced a finding, so the explanation can show each one's share.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Detector {
    /// A hand-written pattern with validation (phone numbers, postcodes, card checksums…).
    Rule,
    /// A lexicon term, with its context rules applied.
    Lexicon,
    /// The learned model.
    Model,
    /// A match against the school's roster of people.
    Roster,
}

/// One thing in the text that the policy cares about.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Finding {
    pub label: Label,
    pub kind: Cow<'static, str>,
    /// For hate: who it targets (`race`, `religion`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<Cow<'static, str>>,
    /// The policy clause (POLICY-MAP.md ID) this finding answers to.
    pub clause: &'static str,
    /// 0–1.
    pub score: f32,
    /// Byte span in the original text; always on character boundaries.
    pub start: usize,
    pub end: usize,
    /// Why: the words matched and the rule, term or features that matched them.
    pub evidence: String,
    pub detector: Detector,
    /// For roster matches: the id of the person named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
}

impl Finding {
    /// A finding whose clause is the label's default for comments.
    pub fn new(
        label: Label,
        kind: impl Into<Cow<'static, str>>,
        score: f32,
        span: (usize, usize),
        detector: Detector,
    ) -> Finding {
        Finding {
            label,
            kind: kind.into(),
            target: None,
            clause: label.comment_clause(),
            score,
            start: span.0,
            end: span.1,
            evidence: String::new(),
            detector,
            person: None,
        }
    }

    pub fn with_evidence(mut self, evidence: impl Into<String>) -> Finding {
        self.evidence = evidence.into();
        self
    }

    pub fn counts(&self) -> bool {
        self.score >= THRESHOLD
    }
}

/// Everything the analyser found in one text.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Analysis {
    pub findings: Vec<Finding>,
}

impl Analysis {
    /// The labels that at least one finding reaches the threshold for, sorted and without repeats.
    pub fn labels(&self) -> Vec<Label> {
        let mut labels: Vec<Label> = self.findings.iter().filter(|f| f.counts()).map(|f| f.label).collect();
        labels.sort();
        labels.dedup();
        labels
    }

    pub fn has(&self, label: Label) -> bool {
        self.findings.iter().any(|f| f.label == label && f.counts())
    }

    /// Whether a finding of this label and kind reaches the threshold.
    pub fn has_kind(&self, label: Label, kind: &str) -> bool {
        self.findings.iter().any(|f| f.label == label && f.kind == kind && f.counts())
    }

    /// A readable account of every finding, for people: label, kind, clause, score, the words.
    pub fn explain(&self, text: &str) -> String {
        let mut out = String::new();
        if self.findings.is_empty() {
            out.push_str("nothing found: the text meets the policy\n");
            return out;
        }
        for f in &self.findings {
            let words = text.get(f.start..f.end).unwrap_or("");
            let _ = write!(out, "{} {}/{}", f.clause, f.label, f.kind);
            if let Some(target) = &f.target {
                let _ = write!(out, " (target: {target})");
            }
            let _ = write!(out, " score {:.2}", f.score);
            if !f.counts() {
                out.push_str(" (below threshold)");
            }
            let _ = writeln!(out, " [{:?}] {:?} at {}..{}", f.detector, words, f.start, f.end);
            if !f.evidence.is_empty() {
                let _ = writeln!(out, "    {}", f.evidence);
            }
        }
        out
    }
}
