//! Abuse (P2.13): insults, threats, hate with its target, harassment, profanity, sexual and
//! inflammatory language.
//!
//! Three parts, each with its own findings so the explanation shows what each contributed:
//! - the lexicon (`lexicons/abuse.tsv`), whose hits arrive in the [`Scan`], judged in context by
//!   [`rules`] (innocent senses, names, aim, negation, reported and counter-speech);
//! - patterns made of parts ([`rules`]): threats (intent + violence + person) and hate (identity +
//!   dehumanising predicate), which no word list can hold, and hate written in [`symbols`];
//! - the learned model (`model/abuse.bin`, see [`crate::model`]), which reads the text with
//!   identities masked (naming a group is never abuse) and stands down when the rules found the abuse
//!   only reported, quoted in condemnation or negated.

mod context;
mod misspelt;
pub(crate) mod rules;
mod symbols;

use super::Scan;
use crate::label::kind;
use crate::model::{Doc, Model};
use crate::{Error, Finding, Label};

const WEIGHTS: &[u8] = include_bytes!("../../../model/abuse.bin");
/// The score of a model finding the rules overruled: shown, but below the threshold.
const SUPPRESSED: f32 = 0.2;

pub(crate) struct Abuse {
    rules: rules::Rules,
    model: Model,
}

impl Abuse {
    pub fn new(_settings: &crate::Settings) -> Result<Abuse, Error> {
        let model = Model::from_bytes(WEIGHTS).map_err(|e| Error::Model { name: "abuse", problem: e.to_string() })?;
        Ok(Abuse::with_model(rules::Rules::new()?, model))
    }

    /// The rules with another model: for training and cross-validation.
    pub fn with_model(rules: rules::Rules, model: Model) -> Abuse {
        Abuse { rules, model }
    }

    pub fn detect(&self, scan: &Scan, out: &mut Vec<Finding>) {
        let outcome = self.rules.outcome(scan);
        let doc = Doc { text: scan.text, folded: scan.folded, tokens: scan.tokens, masks: &outcome.masks };
        let p = self.model.probability(&doc);
        out.extend(outcome.findings);
        if p >= self.model.threshold() {
            let finding = self.model.finding("abuse.bin", Label::Abuse, kind::INSULT, &doc, p);
            out.push(match outcome.suppress {
                Some(why) => suppressed(finding, &why),
                None => finding,
            });
        }
    }
}

/// The model's finding, overruled by the rules: kept below the threshold, saying why.
fn suppressed(mut finding: Finding, why: &str) -> Finding {
    finding.score = finding.score.min(SUPPRESSED);
    finding.evidence += &format!("; suppressed by the rules: {why}");
    finding
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use proptest::prelude::*;

    use super::*;
    use crate::lexicon::Lexicon;

    /// The detector alone, on the analyser's own lexicon.
    pub(crate) fn findings(text: &str) -> Vec<Finding> {
        static PARTS: OnceLock<(Lexicon, Abuse)> = OnceLock::new();
        let (lexicon, abuse) = PARTS.get_or_init(|| {
            let settings = crate::Settings::default();
            let lexicon = Lexicon::new(crate::detect::builtin_terms().unwrap()).unwrap();
            (lexicon, Abuse::new(&settings).unwrap())
        });
        let (folded, hits) = lexicon.scan(text);
        let tokens = crate::model::features::tokens(text, &folded);
        let scan = Scan { text, folded: &folded, hits: &hits, lexicon, tokens: &tokens };
        let mut out = Vec::new();
        abuse.detect(&scan, &mut out);
        out
    }

    #[test]
    fn finds_alone() {
        assert!(findings("you absolute tw4t").iter().any(|f| f.kind == kind::INSULT && f.counts()));
        assert!(findings("lovely sunny day").iter().all(|f| !f.counts()));
    }

    proptest! {
        #[test]
        fn spans_lie_on_char_boundaries(text in prop_oneof![
            "\\PC{0,80}",
            "[a-zA-Z0-9*#%£$@ .,'\"“”‘’!?]{0,80}",
            "(you|u|are|a|f\\*\\*k|c\\*\\*t|muslims|are|scum|said|not|I'll|kill|𝕊|é|%|#){0,12}",
        ]) {
            for f in findings(&text) {
                prop_assert!(f.start <= f.end && f.end <= text.len());
                prop_assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
            }
        }
    }
}
