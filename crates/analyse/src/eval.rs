//! Measuring the analyser against labelled data: precision, recall and F1 per label and, for
//! `personal_info`, per kind — both per row (does the text contain a phone number?) and per span (did
//! we find each phone number, and nothing else?).
//!
//! A data set is only scored on what it labels: davidson.jsonl says nothing about phone numbers, so a
//! phone number found in a tweet is neither right nor wrong there.

use std::collections::{BTreeMap, BTreeSet};

use crate::corpus::Row;
use crate::{Analysis, Label};

/// True and false positives and false negatives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    fn add(&mut self, predicted: bool, gold: bool) {
        match (predicted, gold) {
            (true, true) => self.tp += 1,
            (true, false) => self.fp += 1,
            (false, true) => self.fn_ += 1,
            (false, false) => {}
        }
    }

    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
    }
}

/// An empty denominator means nothing was there to get wrong.
fn ratio(n: usize, d: usize) -> f64 {
    if d == 0 { 1.0 } else { n as f64 / d as f64 }
}

/// Scores for one data set.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    pub rows: usize,
    pub labels: BTreeMap<Label, Counts>,
    /// `personal_info` kinds, row level.
    pub kinds: BTreeMap<String, Counts>,
    /// `personal_info` kinds, span level: a found span is right when it overlaps a labelled span of the
    /// same kind that no other found span has claimed.
    pub kind_spans: BTreeMap<String, Counts>,
}

/// Score `analyses[i]` against `rows[i]`.
pub fn evaluate(rows: &[Row], analyses: &[Analysis]) -> Report {
    assert_eq!(rows.len(), analyses.len(), "one analysis per row");
    let labelled: BTreeSet<Label> =
        rows.iter().flat_map(|r| r.labels.iter().copied().chain(r.spans.iter().map(|s| s.label))).collect();
    let kinds: BTreeSet<&str> = rows.iter().flat_map(|r| r.spans.iter().map(|s| s.kind.as_str())).collect();
    let mut report = Report { rows: rows.len(), ..Report::default() };
    for (row, analysis) in rows.iter().zip(analyses) {
        for &label in &labelled {
            report.labels.entry(label).or_default().add(analysis.has(label), row.labels.contains(&label));
        }
        for &kind in &kinds {
            let gold = row.spans.iter().any(|s| s.label == Label::PersonalInfo && s.kind == kind);
            let found = analysis.has_kind(Label::PersonalInfo, kind);
            report.kinds.entry(kind.to_string()).or_default().add(found, gold);
            score_spans(row, analysis, kind, report.kind_spans.entry(kind.to_string()).or_default());
        }
    }
    report
}

fn score_spans(row: &Row, analysis: &Analysis, kind: &str, counts: &mut Counts) {
    let gold: Vec<(usize, usize)> = row
        .spans
        .iter()
        .filter(|s| s.label == Label::PersonalInfo && s.kind == kind)
        .map(|s| (s.start, s.end))
        .collect();
    let mut claimed = vec![false; gold.len()];
    for f in analysis.findings.iter().filter(|f| f.label == Label::PersonalInfo && f.kind == kind && f.counts()) {
        let hit = gold.iter().enumerate().position(|(i, g)| !claimed[i] && f.start < g.1 && g.0 < f.end);
        match hit {
            Some(i) => {
                claimed[i] = true;
                counts.tp += 1;
            }
            None => counts.fp += 1,
        }
    }
    counts.fn_ += claimed.iter().filter(|c| !**c).count();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Span;
    use crate::{Detector, Finding};

    fn row(labels: &[Label], spans: &[(usize, usize)]) -> Row {
        Row {
            id: "r".into(),
            text: "x".repeat(40),
            labels: labels.to_vec(),
            spans: spans
                .iter()
                .map(|&(start, end)| Span { label: Label::PersonalInfo, kind: "phone".into(), start, end })
                .collect(),
            group: None,
        }
    }

    fn phone(start: usize, end: usize) -> Finding {
        Finding::new(Label::PersonalInfo, "phone", 0.9, (start, end), Detector::Rule)
    }

    #[test]
    fn counts_rows_and_spans() {
        let rows = [row(&[Label::PersonalInfo], &[(0, 5), (10, 15)]), row(&[], &[])];
        let analyses =
            [Analysis { findings: vec![phone(1, 4), phone(20, 25)] }, Analysis { findings: vec![phone(0, 3)] }];
        let report = evaluate(&rows, &analyses);
        assert_eq!(report.labels[&Label::PersonalInfo], Counts { tp: 1, fp: 1, fn_: 0 });
        assert_eq!(report.kinds["phone"], Counts { tp: 1, fp: 1, fn_: 0 });
        assert_eq!(report.kind_spans["phone"], Counts { tp: 1, fp: 2, fn_: 1 });
        assert!(!report.labels.contains_key(&Label::Abuse), "unlabelled labels are not scored");
    }

    #[test]
    fn f1_of_perfect_and_empty() {
        let c = Counts { tp: 3, fp: 1, fn_: 1 };
        assert!((c.precision() - 0.75).abs() < 1e-9);
        assert!((c.f1() - 0.75).abs() < 1e-9);
        assert_eq!(Counts::default().f1(), 1.0);
    }
}
