//! Training and measuring a label's model the way the analyser uses it: texts folded and scanned by
//! the analyser's own lexicon, identities and innocent homonyms masked by the abuse rules, and the
//! measurement taken on the whole detector (rules and model together) as well as on the model alone.
//! It lives in the library so that training and inference cannot prepare texts differently.

use super::{Counts, Doc, Model, Options, features, fit, fold_of};
use crate::corpus::Row;
use crate::detect::Scan;
use crate::detect::abuse::{Abuse, rules::Rules};
use crate::detect::spam::Spam;
use crate::lexicon::Lexicon;
use crate::{Error, Finding, Label};

/// Trains and measures the abuse and spam models. It builds the analyser's lexicon but not its
/// detectors, so it works while the committed weights are stale (after a feature change).
pub struct Trainer {
    lexicon: Lexicon,
}

/// One fold's figures: the model alone, and the detector (rules and model) with that model.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Measured {
    pub model: Counts,
    pub detector: Counts,
}

impl Trainer {
    pub fn new() -> Result<Trainer, Error> {
        Ok(Trainer { lexicon: Lexicon::new(crate::detect::builtin_terms()?)? })
    }

    /// Whether a label has a model.
    pub fn supports(label: Label) -> bool {
        matches!(label, Label::Abuse | Label::Spam)
    }

    /// Train the label's model on rows (positive when the row has the label), with extra negatives:
    /// texts from elsewhere that are known not to have the label, such as text messages for abuse or
    /// tweets for spam. They teach the model what ordinary writing in other places looks like, so
    /// that it does not take the style of its one data set for the label (davidson's few negatives
    /// are mostly news and sport, so "you" and "me" would otherwise read as abusive). Negatives the
    /// rules alone already flag for the label are left out: nobody labelled them for it.
    pub fn train(&self, label: Label, rows: &[&Row], negatives: &[&Row], opts: &Options) -> Result<Model, Error> {
        let rules = self.rules(label)?;
        let mut samples: Vec<(Vec<u64>, bool)> =
            rows.iter().map(|r| (self.features(rules.as_ref(), &r.text), r.labels.contains(&label))).collect();
        for row in negatives {
            if !self.flagged_by_rules(label, rules.as_ref(), &row.text) {
                samples.push((self.features(rules.as_ref(), &row.text), false));
            }
        }
        Ok(fit(&samples, opts))
    }

    /// Whether the label's rules, without any model, find the label in a text.
    fn flagged_by_rules(&self, label: Label, rules: Option<&Rules>, text: &str) -> bool {
        self.with_scan(text, |scan| match rules {
            Some(r) => r.outcome(scan).findings.iter().any(|f| f.label == label && f.counts()),
            None => crate::detect::spam::rule_finding(scan).is_some_and(|f| f.counts()),
        })
    }

    /// Measure a model on rows: alone, and inside its detector.
    pub fn measure(&self, label: Label, model: &Model, rows: &[&Row]) -> Result<Measured, Error> {
        let rules = self.rules(label)?;
        let detector = self.detector(label, model.clone())?;
        let mut m = Measured::default();
        for row in rows {
            let actual = row.labels.contains(&label);
            self.with_scan(&row.text, |scan| {
                let masks = rules.as_ref().map(|r| r.outcome(scan).masks).unwrap_or_default();
                let doc = Doc { text: scan.text, folded: scan.folded, tokens: scan.tokens, masks: &masks };
                m.model.add(model.probability(&doc) >= model.threshold(), actual);
                let mut found = Vec::new();
                detector(scan, &mut found);
                m.detector.add(found.iter().any(|f| f.label == label && f.counts()), actual);
            });
        }
        Ok(m)
    }

    /// What the label's detector, with this model, finds in a text: for looking into its errors.
    pub fn findings(&self, label: Label, model: &Model, text: &str) -> Result<Vec<Finding>, Error> {
        let detector = self.detector(label, model.clone())?;
        let mut found = Vec::new();
        self.with_scan(text, |scan| detector(scan, &mut found));
        Ok(found)
    }

    /// k-fold cross-validation with stable folds ([`fold_of`]): train on k-1 folds, measure on the
    /// one left out, for each fold in turn.
    pub fn cross_validate(
        &self,
        label: Label,
        rows: &[&Row],
        negatives: &[&Row],
        k: u64,
        opts: &Options,
    ) -> Result<Vec<Measured>, Error> {
        (0..k)
            .map(|fold| {
                let (test, train): (Vec<&Row>, Vec<&Row>) = rows.iter().partition(|r| fold_of(&r.id, k) == fold);
                let model = self.train(label, &train, negatives, opts)?;
                self.measure(label, &model, &test)
            })
            .collect()
    }

    /// The abuse rules mask identities and innocent homonyms for the abuse model; spam masks nothing.
    fn rules(&self, label: Label) -> Result<Option<Rules>, Error> {
        match label {
            Label::Abuse => Ok(Some(Rules::new()?)),
            Label::Spam => Ok(None),
            other => Err(unsupported(other)),
        }
    }

    #[allow(clippy::type_complexity)]
    fn detector(&self, label: Label, model: Model) -> Result<Box<dyn Fn(&Scan, &mut Vec<Finding>)>, Error> {
        Ok(match label {
            Label::Abuse => {
                let d = Abuse::with_model(Rules::new()?, model);
                Box::new(move |scan, out| d.detect(scan, out))
            }
            Label::Spam => {
                let d = Spam::with_model(model);
                Box::new(move |scan, out| d.detect(scan, out))
            }
            other => return Err(unsupported(other)),
        })
    }

    fn features(&self, rules: Option<&Rules>, text: &str) -> Vec<u64> {
        self.with_scan(text, |scan| {
            let masks = rules.map(|r| r.outcome(scan).masks).unwrap_or_default();
            let mut out = Vec::new();
            features::for_each(
                &Doc { text: scan.text, folded: scan.folded, tokens: scan.tokens, masks: &masks },
                |f| out.push(f.hash),
            );
            out
        })
    }

    /// Fold and scan a text exactly as [`crate::analyse`] does, and hand the scan to `f`.
    fn with_scan<T>(&self, text: &str, f: impl FnOnce(&Scan) -> T) -> T {
        let (folded, hits) = self.lexicon.scan(text);
        let tokens = features::tokens(text, &folded);
        let scan = Scan { text, folded: &folded, hits: &hits, lexicon: &self.lexicon, tokens: &tokens };
        f(&scan)
    }
}

fn unsupported(label: Label) -> Error {
    Error::Model { name: "trainer", problem: format!("no model is trained for the label {label}; use abuse or spam") }
}
