//! Personal information in a comment (P2.13): telephone numbers, email addresses, street addresses,
//! postcodes, bank and card numbers, and national identity numbers. (Names of the school's people are
//! the roster detector's job.)
//!
//! Each kind has a published format with a check: libphonenumber's copy of the Ofcom numbering plan,
//! Royal Mail's postcode rules, the Luhn and mod-97 checksums, HMRC's National Insurance prefixes, the
//! NHS number's mod-11 digit. So each detector finds candidates cheaply and then validates them, and
//! the evidence names the rule a match passed. A match that passes the check scores 0.9 or more; a
//! shape without a check, or one that only words around it vouch for, scores lower.
//!
//! It reads the original text, not the folded one: folding reads `0` as `o` inside words and drops
//! the separators that tell a phone number from a date.
//!
//! Most comments have no digits and no `@`, and the analyser must read 300,000 comments a second, so
//! each kind is only looked for when the text has the characters it needs, and everything compiled
//! (regexes, the numbering plan, the word lists) is built once in [`Pii::new`].

mod address;
mod cues;
mod email;
mod financial;
mod ids;
mod numbers;
mod phone;
mod postcode;
mod signals;
mod text;

use super::Scan;
use crate::label::kind;
use crate::{Detector, Error, Finding, Label, Settings};

/// One match before overlaps between kinds are settled.
#[derive(Clone, Debug)]
pub(super) struct Hit {
    kind: &'static str,
    start: usize,
    end: usize,
    score: f32,
    evidence: String,
}

impl Hit {
    fn new(kind: &'static str, span: (usize, usize), score: f32, evidence: impl Into<String>) -> Hit {
        Hit { kind, start: span.0, end: span.1, score, evidence: evidence.into() }
    }

    fn overlaps(&self, other: &Hit) -> bool {
        self.start < other.end && other.start < self.end
    }
}

pub(crate) struct Pii {
    cues: cues::Cues,
    phones: phone::Phones,
    emails: email::Emails,
    financial: financial::Financial,
    ids: ids::Ids,
    postcodes: postcode::Postcodes,
    addresses: address::Addresses,
    marks: signals::Marks,
}

impl Pii {
    pub fn new(_settings: &Settings) -> Result<Pii, Error> {
        let err = |what: &'static str| move |problem: String| Error::Model { name: what, problem };
        let addresses = address::Addresses::new().map_err(err("address words"))?;
        Ok(Pii {
            marks: signals::Marks::new(addresses.street_words()).map_err(err("personal-data signals"))?,
            addresses,
            cues: cues::Cues::new().map_err(err("personal-data cue list"))?,
            phones: phone::Phones::new().map_err(err("UK numbering plan"))?,
            emails: email::Emails::new().map_err(err("email patterns"))?,
            financial: financial::Financial::new().map_err(err("bank and card patterns"))?,
            ids: ids::Ids::new().map_err(err("identity-number patterns"))?,
            postcodes: postcode::Postcodes::new().map_err(err("postcode areas"))?,
        })
    }

    pub fn detect(&self, scan: &Scan, out: &mut Vec<Finding>) {
        let hits = self.hits(scan.text);
        out.extend(hits.into_iter().map(|h| {
            Finding::new(Label::PersonalInfo, h.kind, h.score, (h.start, h.end), Detector::Rule)
                .with_evidence(h.evidence)
        }));
    }

    /// Every kind's matches in `text`, overlaps settled.
    fn hits(&self, text: &str) -> Vec<Hit> {
        let mut hits = Vec::new();
        let signals = self.marks.read(text);
        let digits = signals.digits;
        if signals.at_sign || signals.spelled_email {
            self.emails.find(text, signals.spelled_email, &mut hits);
        }
        self.ids.find(text, &signals, &self.cues, &mut hits);
        if signals.longest >= 7 {
            let runs = numbers::runs(text);
            self.phones.find(text, &runs, &self.cues, &mut hits);
            if signals.longest >= 12 {
                self.financial.cards(text, &runs, &self.cues, &mut hits);
            }
        }
        self.financial.find(text, &signals, &mut hits);
        if digits >= 1 {
            self.postcodes.find(text, &self.cues, &mut hits);
        }
        if digits >= 1 || !signals.streets.is_empty() {
            self.addresses.find(text, &signals, &self.postcodes, &mut hits);
        }
        if hits.is_empty() {
            return hits;
        }
        settle(hits)
    }
}

/// Which kind keeps a stretch of text that two detectors claim. Checked formats come before
/// heuristic ones; an address keeps the postcode that ends it.
fn rank(kind: &str) -> u8 {
    match kind {
        kind::EMAIL => 0,
        kind::FINANCIAL => 1,
        kind::ID_NUMBER => 2,
        kind::PHONE => 3,
        kind::ADDRESS => 4,
        _ => 5,
    }
}

/// Keep, for each stretch of text, the match of the highest-ranked kind (the higher score, then the
/// longer span, within a kind), in order of position.
fn settle(mut hits: Vec<Hit>) -> Vec<Hit> {
    hits.sort_by(|a, b| {
        rank(a.kind)
            .cmp(&rank(b.kind))
            .then(b.score.total_cmp(&a.score))
            .then((b.end - b.start).cmp(&(a.end - a.start)))
            .then(a.start.cmp(&b.start))
    });
    let mut kept: Vec<Hit> = Vec::with_capacity(hits.len());
    for hit in hits {
        if !kept.iter().any(|k| k.overlaps(&hit)) {
            kept.push(hit);
        }
    }
    kept.sort_by_key(|h| h.start);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pii() -> Pii {
        Pii::new(&Settings::default()).unwrap()
    }

    #[test]
    fn an_address_keeps_its_postcode_and_a_card_beats_a_phone() {
        let kinds = |text: &str| pii().hits(text).into_iter().map(|h| h.kind).collect::<Vec<_>>();
        assert_eq!(kinds("12 High Street, Leeds LS1 4AB"), [kind::ADDRESS]);
        assert_eq!(kinds("post to LS1 4AB"), [kind::POSTCODE]);
        assert_eq!(kinds("my card is 4111 1111 1111 1111"), [kind::FINANCIAL]);
    }

    #[test]
    fn settling_keeps_the_best_of_each_stretch_in_order() {
        let hits = vec![
            Hit::new(kind::POSTCODE, (10, 17), 0.95, ""),
            Hit::new(kind::ADDRESS, (0, 17), 0.9, ""),
            Hit::new(kind::PHONE, (20, 30), 0.7, ""),
            Hit::new(kind::PHONE, (20, 32), 0.95, ""),
        ];
        let kept = settle(hits);
        assert_eq!(
            kept.iter().map(|h| (h.kind, h.start, h.end)).collect::<Vec<_>>(),
            [(kind::ADDRESS, 0, 17), (kind::PHONE, 20, 32)]
        );
    }
}
