//! Abuse (P2.13): insults, threats, hate with its target, harassment, profanity, sexual and
//! inflammatory language.
//!
//! Three parts, each with its own findings so the explanation shows what each contributed:
//! - the lexicon (`lexicons/abuse.tsv`), whose hits arrive in the [`Scan`], judged in context by
//!   [`rules`] (innocent senses, names, aim, negation, reported and counter-speech);
//! - patterns made of parts ([`rules`]): threats (intent + violence + person) and hate (identity +
//!   dehumanising predicate), which no word list can hold;
//! - the learned model (`model/abuse.bin`, see [`crate::model`]), which reads the text with
//!   identities masked (naming a group is never abuse) and stands down when the rules found the abuse
//!   only reported, quoted in condemnation or negated.

mod context;
pub(crate) mod rules;

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
        let doc = Doc { text: scan.text, folded: scan.folded, masks: &outcome.masks };
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
