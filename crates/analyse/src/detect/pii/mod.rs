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
//! one quick look at each text ([`signals`]) says which kinds could be there, only those are looked
//! for, and everything compiled (regexes, the numbering plan, the word lists) is built once in
//! [`Pii::new`]. Where two detectors claim the same words, the checked format wins ([`settle`]).

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
mod world;

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
    // Kept spans never overlap, so ordered by start their ends are ordered too, and only the last
    // one starting before a hit ends can overlap it: one lookup a hit, however long the comment.
    let mut kept: std::collections::BTreeMap<usize, Hit> = std::collections::BTreeMap::new();
    for hit in hits {
        let clear = kept.range(..hit.end).next_back().is_none_or(|(_, k)| !k.overlaps(&hit));
        if clear {
            kept.insert(hit.start, hit);
        }
    }
    kept.into_values().collect()
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
    fn settling_a_long_comment_keeps_every_number_once() {
        let text = "call 07911 123456 or 0161 496 0628, ".repeat(2000);
        let hits = pii().hits(&text);
        assert_eq!(hits.len(), 4000);
        assert!(hits.windows(2).all(|w| w[0].end <= w[1].start));
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

/// Fragments of personal data next to letters of other scripts, emoji and escapes, glued in any order:
/// every part of this detector slices the original text, so none may cut a character or panic.
#[cfg(test)]
mod fragments {
    use super::*;
    use proptest::prelude::*;

    fn pii() -> &'static Pii {
        static PII: std::sync::OnceLock<Pii> = std::sync::OnceLock::new();
        PII.get_or_init(|| Pii::new(&Settings::default()).unwrap())
    }

    fn fragment() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("SW1A 1AA".to_string()),
            Just("M1 1AE".to_string()),
            Just("LS14AB".to_string()),
            Just("LS1".to_string()),
            Just("4AB".to_string()),
            Just("07700 900123".to_string()),
            Just("+44 (0)".to_string()),
            Just("Flat 3, ".to_string()),
            Just("12 High St".to_string()),
            Just(" Road".to_string()),
            Just("\\n".to_string()),
            Just("\n".to_string()),
            Just("PO Box ".to_string()),
            Just("zoe@example.com".to_string()),
            Just(" [at] ".to_string()),
            Just(" dot ".to_string()),
            Just("GB29 NWBK".to_string()),
            Just("4111 1111 1111 1111".to_string()),
            Just("AB 12 34 56 C".to_string()),
            Just("NHS number ".to_string()),
            Just("ext 12".to_string()),
            Just("🏠".to_string()),
            Just("é".to_string()),
            Just("\u{212A}".to_string()),
            Just("\u{00A0}".to_string()),
            Just("£".to_string()),
            "[0-9]{1,6}",
            "[A-Za-z]{1,4}",
            "[ ,.()+-]{1,2}",
            any::<char>().prop_map(String::from),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn spans_stay_on_character_boundaries(parts in prop::collection::vec(fragment(), 0..24)) {
            let text = parts.concat();
            for h in pii().hits(&text) {
                prop_assert!(h.start < h.end && h.end <= text.len(), "{h:?}");
                prop_assert!(text.is_char_boundary(h.start) && text.is_char_boundary(h.end), "{h:?}");
                prop_assert!((0.0..=1.0).contains(&h.score) && !h.evidence.is_empty(), "{h:?}");
            }
        }
    }
}
