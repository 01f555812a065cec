//! The learned part of the analyser: a hashed n-gram logistic regression of our own.
//!
//! Lexicons catch the words everyone agrees on; the model catches the rest of what abuse and spam
//! look like (word pairs, phrasing, the shape of a premium-rate message). It is a logistic regression
//! over hashed word unigrams and bigrams of the folded text ([`features`]), because that is what fits
//! the analyser's budget: scoring a comment is one pass over its words and one table lookup per
//! feature (well under a microsecond), training is deterministic, and the weights are a small file kept
//! in the repository. STACK.md records why not linfa or smartcore (they want dense matrices).
//!
//! The committed weights were produced from the workspace root with:
//!
//! ```text
//! cargo run --release -p gatehouse -- train --label abuse --hold-out 20 \
//!     --data ../shared/data/abuse/davidson.jsonl --negatives ../shared/data/spam/sms.dev.jsonl \
//!     --out crates/analyse/model/abuse.bin
//! cargo run --release -p gatehouse -- train --label spam \
//!     --data ../shared/data/spam/sms.dev.jsonl --negatives ../shared/data/abuse/davidson.jsonl \
//!     --out crates/analyse/model/spam.bin
//! ```
//!
//! The abuse model leaves out the 20% of davidson.jsonl that `corpus::is_held_out(id, 20)` picks, so
//! that part can measure it. Each model also learns from the other label's data as extra negatives
//! (text messages are not abuse, tweets are not spam), so that it does not take its one data set's
//! style for its label ([`Trainer::train`]). The options are each label's defaults
//! ([`Options::for_label`]); add `--cross-validate 5` to the spam command for its figures.
//!
//! Weights file, little-endian:
//!
//! ```text
//! 0   magic  "GHLR"
//! 4   u16    format version (1)
//! 6   u8     bits: the table has 2^bits weights
//! 7   u8     encoding: 1 = i8 weights times a scale
//! 8   u32    feature version (features::VERSION)
//! 12  f32    bias
//! 16  f32    scale
//! 20  f32    decision threshold on the probability
//! 24  u32    reserved, 0
//! 28  i8 × 2^bits weights
//! end u32    FNV-1a checksum of everything before it
//! ```

pub mod features;
mod task;
mod train;

pub use features::{Doc, Masked};

use crate::evidence::{push_fixed2, push_quoted};
use crate::{Detector, Finding, Label};

/// How many n-grams a model finding's evidence names.
const EVIDENCE_NGRAMS: usize = 5;
pub use task::{Measured, Trainer};
pub use train::{Counts, Options, fit, fold_of};

/// A trained model, ready to score texts.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    bits: u8,
    bias: f32,
    scale: f32,
    threshold: f32,
    weights: Vec<i8>,
}

/// Why a weights file was refused.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ModelError {
    #[error("the file is {0} bytes, too short for a weights file")]
    Truncated(usize),
    #[error("not a Gatehouse weights file (it does not start with \"GHLR\")")]
    NotAModel,
    #[error("weights format version {0} is not supported (this build reads version {FORMAT_VERSION})")]
    UnsupportedVersion(u16),
    #[error("weights encoding {0} is not supported (this build reads 1, i8 weights)")]
    UnsupportedEncoding(u8),
    #[error("a table of 2^{0} weights is outside the supported 2^8 to 2^24")]
    BadDimensions(u8),
    #[error("the weights were trained on feature version {found}, this build computes version {expected}: retrain")]
    FeatureVersion { found: u32, expected: u32 },
    #[error("the file is {found} bytes; a table of 2^{bits} weights needs {expected}")]
    Length { bits: u8, expected: usize, found: usize },
    #[error("checksum mismatch: the file is corrupt")]
    Checksum,
    #[error("the header's {0} is not a valid number")]
    BadNumber(&'static str),
}

/// One n-gram's share of a score, for the explanation.
#[derive(Clone, Debug, PartialEq)]
pub struct Contribution {
    /// The n-gram as folded words (`you are`, `<url>`).
    pub ngram: String,
    /// Its contribution to the log-odds.
    pub weight: f32,
    /// Byte span in the original text of its first occurrence.
    pub start: usize,
    pub end: usize,
}

const MAGIC: &[u8; 4] = b"GHLR";
const FORMAT_VERSION: u16 = 1;
const ENCODING_I8: u8 = 1;
const HEADER: usize = 28;

impl Model {
    /// Read and check a weights file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        if bytes.len() < HEADER + 4 {
            return Err(ModelError::Truncated(bytes.len()));
        }
        if &bytes[..4] != MAGIC {
            return Err(ModelError::NotAModel);
        }
        let u16_at = |i: usize| u16::from_le_bytes([bytes[i], bytes[i + 1]]);
        let u32_at = |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
        let f32_at = |i: usize| f32::from_bits(u32_at(i));
        let version = u16_at(4);
        if version != FORMAT_VERSION {
            return Err(ModelError::UnsupportedVersion(version));
        }
        let (bits, encoding) = (bytes[6], bytes[7]);
        if encoding != ENCODING_I8 {
            return Err(ModelError::UnsupportedEncoding(encoding));
        }
        if !(8..=24).contains(&bits) {
            return Err(ModelError::BadDimensions(bits));
        }
        let expected = HEADER + (1usize << bits) + 4;
        if bytes.len() != expected {
            return Err(ModelError::Length { bits, expected, found: bytes.len() });
        }
        if u32_at(expected - 4) != checksum(&bytes[..expected - 4]) {
            return Err(ModelError::Checksum);
        }
        let found = u32_at(8);
        if found != features::VERSION {
            return Err(ModelError::FeatureVersion { found, expected: features::VERSION });
        }
        let (bias, scale, threshold) = (f32_at(12), f32_at(16), f32_at(20));
        if !bias.is_finite() {
            return Err(ModelError::BadNumber("bias"));
        }
        if !(scale.is_finite() && scale >= 0.0) {
            return Err(ModelError::BadNumber("scale"));
        }
        if !(threshold > 0.0 && threshold < 1.0) {
            return Err(ModelError::BadNumber("threshold"));
        }
        let weights = bytes[HEADER..expected - 4].iter().map(|&b| b as i8).collect();
        Ok(Model { bits, bias, scale, threshold, weights })
    }

    /// The weights file for this model.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER + self.weights.len() + 4);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.push(self.bits);
        out.push(ENCODING_I8);
        out.extend_from_slice(&features::VERSION.to_le_bytes());
        out.extend_from_slice(&self.bias.to_le_bytes());
        out.extend_from_slice(&self.scale.to_le_bytes());
        out.extend_from_slice(&self.threshold.to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend(self.weights.iter().map(|&w| w as u8));
        let sum = checksum(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        out
    }

    /// Quantise trained weights: each becomes an i8 times one scale for the whole table.
    pub(crate) fn quantise(bits: u8, bias: f64, weights: &[f64], threshold: f32) -> Model {
        debug_assert_eq!(weights.len(), 1 << bits);
        let max = weights.iter().fold(0.0f64, |m, w| m.max(w.abs()));
        let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
        let weights = weights.iter().map(|w| (w / scale).round().clamp(-127.0, 127.0) as i8).collect();
        Model { bits, bias: bias as f32, scale: scale as f32, threshold, weights }
    }

    /// The probability at or above which the model says the text has its label.
    pub fn threshold(&self) -> f32 {
        self.threshold
    }

    pub fn bits(&self) -> u8 {
        self.bits
    }

    /// The log-odds that the text has the model's label.
    ///
    /// The hot path: integer sums of i8 weights, one multiplication at the end, no allocation. Each
    /// feature counts 1/sqrt(n) of n features, so long texts do not score high merely for being long.
    #[inline]
    pub fn logit(&self, doc: &Doc) -> f32 {
        let shift = 64 - u32::from(self.bits);
        let mut sum: i32 = 0;
        let mut n: u32 = 0;
        features::for_each(doc, |f| {
            sum += i32::from(self.weights[(f.hash >> shift) as usize]);
            n += 1;
        });
        self.bias + self.scale * sum as f32 * norm(n)
    }

    pub fn probability(&self, doc: &Doc) -> f32 {
        sigmoid(self.logit(doc))
    }

    /// The model's finding for a text it scored `p`: the whole text, with the n-grams that drove the
    /// score as evidence, and a score mapped so that the model's threshold lands on the analyser's.
    pub(crate) fn finding(&self, name: &str, label: Label, kind: &'static str, doc: &Doc, p: f32) -> Finding {
        let mut evidence = String::with_capacity(160);
        for part in ["model ", name, ": p="] {
            evidence.push_str(part);
        }
        push_fixed2(&mut evidence, p, false);
        evidence.push_str(" (threshold ");
        push_fixed2(&mut evidence, self.threshold, false);
        evidence.push_str("); top n-grams: ");
        for (i, c) in self.explain(doc, EVIDENCE_NGRAMS).iter().enumerate() {
            if i > 0 {
                evidence.push_str(", ");
            }
            push_quoted(&mut evidence, &c.ngram);
            evidence.push(' ');
            push_fixed2(&mut evidence, c.weight, true);
        }
        Finding::new(label, kind, calibrate(p, self.threshold), (0, doc.text.len()), Detector::Model)
            .with_evidence(evidence)
    }

    /// The n-grams that pushed the score up most, strongest first, at most `k` of them.
    pub fn explain(&self, doc: &Doc, k: usize) -> Vec<Contribution> {
        let shift = 64 - u32::from(self.bits);
        // Every feature that pushes up, and beside it (hash, where its n-gram starts, which it is,
        // weight); then repeats of one n-gram summed: sorting by hash keeps this in proportion to
        // the text's length however long it is. Repeats share a hash and so a weight, so leaving out
        // the features that push down leaves out exactly the n-grams whose sums would.
        let mut features: Vec<features::Feature> = Vec::with_capacity(doc.tokens.len() * 2);
        let mut up: Vec<(u64, usize, u32, f32)> = Vec::with_capacity(doc.tokens.len() * 2);
        let mut n = 0;
        features::for_each(doc, |f| {
            let w = f32::from(self.weights[(f.hash >> shift) as usize]) * self.scale;
            if w > 0.0 {
                up.push((f.hash, f.first.start as usize, features.len() as u32, w));
                features.push(*f);
            }
            n += 1;
        });
        let norm = norm(n);
        up.sort_unstable_by_key(|a| (a.0, a.1, a.2));
        let mut summed: Vec<(u64, usize, u32, f32)> = Vec::with_capacity(up.len());
        for (hash, start, i, w) in up {
            match summed.last_mut() {
                Some(last) if last.0 == hash => last.3 += w,
                _ => summed.push((hash, start, i, w)),
            }
        }
        summed.sort_unstable_by(|a, b| b.3.total_cmp(&a.3).then(a.1.cmp(&b.1)).then(a.0.cmp(&b.0)));
        summed.truncate(k);
        let folded = doc.folded.as_str();
        summed
            .iter()
            .map(|s| {
                let f = &features[s.2 as usize];
                let last = f.second.unwrap_or(f.first);
                let (start, end) = doc.folded.original_span(f.first.start as usize, last.end as usize);
                Contribution { ngram: f.display(folded), weight: s.3 * norm, start, end }
            })
            .collect()
    }
}

/// Map a probability so that the model's threshold lands on [`crate::THRESHOLD`].
fn calibrate(p: f32, threshold: f32) -> f32 {
    if p >= threshold {
        crate::THRESHOLD + (1.0 - crate::THRESHOLD) * (p - threshold) / (1.0 - threshold)
    } else {
        crate::THRESHOLD * p / threshold
    }
}

#[inline]
fn norm(n: u32) -> f32 {
    if n == 0 { 0.0 } else { 1.0 / (n as f32).sqrt() }
}

#[inline]
pub(crate) fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

fn checksum(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in bytes {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Model {
        let mut w = vec![0.0; 1 << 8];
        w[3] = 1.5;
        w[200] = -0.75;
        Model::quantise(8, -0.25, &w, 0.5)
    }

    #[test]
    fn round_trips_through_bytes() {
        let m = tiny();
        assert_eq!(Model::from_bytes(&m.to_bytes()).unwrap(), m);
    }

    #[test]
    fn refuses_damaged_files_with_a_reason() {
        let bytes = tiny().to_bytes();
        assert_eq!(Model::from_bytes(&bytes[..10]), Err(ModelError::Truncated(10)));
        let mut bad = bytes.clone();
        bad[0] = b'X';
        assert_eq!(Model::from_bytes(&bad), Err(ModelError::NotAModel));
        let mut bad = bytes.clone();
        bad[100] ^= 1;
        assert_eq!(Model::from_bytes(&bad), Err(ModelError::Checksum));
        let mut bad = bytes.clone();
        bad.pop();
        assert!(matches!(Model::from_bytes(&bad), Err(ModelError::Length { .. })));
        let mut bad = bytes.clone();
        bad[6] = 30;
        assert_eq!(Model::from_bytes(&bad), Err(ModelError::BadDimensions(30)));
        let mut bad = bytes;
        bad[4] = 9;
        assert_eq!(Model::from_bytes(&bad), Err(ModelError::UnsupportedVersion(9)));
    }

    #[test]
    fn quantising_keeps_the_weights_close() {
        let m = tiny();
        assert!((f32::from(m.weights[3]) * m.scale - 1.5).abs() < 0.01);
        assert!((f32::from(m.weights[200]) * m.scale + 0.75).abs() < 0.01);
    }
}
