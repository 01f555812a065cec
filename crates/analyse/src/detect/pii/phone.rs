//! Telephone numbers: UK numbers however they are written (`07700 900123`, `+44 (0)20 7946 0123`,
//! `0044 161 496 0628`, `(0121) 4960628`, `0116-496-0493 ext 12`) and other countries' numbers in
//! international form (`+33 1 23 45 67 89`, `001-253-366-9781`).
//!
//! Candidates are consecutive groups of a digit run; a candidate is a phone number when the number it
//! spells lies in a range of the numbering plan. For +44 that is libphonenumber's copy of Ofcom's
//! National Telephone Numbering Plan (and of the Crown Dependencies' plans, which share +44), copied
//! from the `phonenumber` crate's metadata into `data/uk-numbering.tsv` and compiled once into one
//! `RegexSet`. The crate's own `parse` and `is_valid` cost about 10 µs a number behind a locked regex
//! cache, too slow for a stream of comments; a test checks the copy against the crate's metadata. Ofcom
//! keeps some ranges for TV and radio drama (07700 900xxx, 01632 960xxx and others) that
//! libphonenumber calls invalid; people quote them as phone numbers all the same, so they count.
//! Numbers of other countries are rarer and go through `phonenumber` itself, with the database of
//! just their calling code, built the first time one appears (see `world`).
//!
//! A date, a time, a price or a year never becomes a candidate (the digit runs keep them apart), a
//! UK national number must start with 0 and have 10 or 11 digits, and a number right after "order",
//! "ref" or "account" is taken for the reference it is.

use phonenumber::country;
use regex::{RegexSet, RegexSetBuilder};

use super::cues::{Cue, Cues};
use super::numbers::{Run, Sep};
use super::text::{ends_token, skip_spaces};
use super::world::World;
use super::{Hit, kind};

/// UK national significant numbers (without the leading 0) that Ofcom sets aside for drama, as
/// 7-digit prefixes of 10-digit numbers. Source: Ofcom, "Telephone numbers for use in TV and radio
/// drama programmes".
const DRAMA: &[&str] = &[
    "1134960", "1144960", "1154960", "1164960", "1174960", "1184960", "1214960", "1314960", "1414960", "1514960",
    "1614960", "1914980", "2079460", "2890180", "2920180", "1632960", "7700900", "8081570", "9098790", "3069990",
];

/// libphonenumber's patterns for +44: each type of number with its possible lengths.
const UK_PLAN: &str = include_str!("../../../data/uk-numbering.tsv");

/// Digits in the longest number looked at: 15 (the ITU maximum) plus an international prefix.
const MAX_DIGITS: usize = 17;

pub(super) struct Phones {
    /// libphonenumber's patterns for each type of UK number, anchored.
    uk: RegexSet,
    /// For each pattern: where and what type of number it is, and the lengths it comes in.
    uk_types: Vec<(String, Vec<u16>)>,
    /// Every other calling code's plan, each loaded when first needed.
    world: World,
}

impl Phones {
    pub(super) fn new() -> Result<Phones, String> {
        let mut patterns = Vec::new();
        let mut uk_types = Vec::new();
        for (n, line) in UK_PLAN.lines().enumerate().filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty()) {
            let bad = |what: &str| format!("data/uk-numbering.tsv:{}: {what}", n + 1);
            let [name, lengths, pattern] = line.split('\t').collect::<Vec<_>>()[..] else {
                return Err(bad("expected name, lengths and pattern"));
            };
            let lengths = if lengths.is_empty() {
                Vec::new()
            } else {
                lengths.split(',').map(str::parse).collect::<Result<_, _>>().map_err(|_| bad("bad length"))?
            };
            patterns.push(format!("^(?:{pattern})$"));
            uk_types.push((name.to_string(), lengths));
        }
        // The digits matched are ASCII, and without Unicode `\d` is ten digits rather than every
        // script's: the set compiles in a sixth of the instructions (54M -> 9M) at every start.
        let uk = RegexSetBuilder::new(&patterns).unicode(false).build().map_err(|e| e.to_string())?;
        Ok(Phones { uk, uk_types, world: World::new()? })
    }

    pub(super) fn find(&self, text: &str, runs: &[Run], cues: &Cues, out: &mut Vec<Hit>) {
        for run in runs {
            let mut i = 0;
            while i < run.groups.len() {
                match self.number_at(text, run, i, cues) {
                    Some((j, hit)) => {
                        out.extend(hit);
                        i = j + 1;
                    }
                    None => i += 1,
                }
            }
        }
    }

    /// The longest number starting at group `i`: the last group it takes, and the hit (none for a
    /// reference number, whose groups are still used up).
    fn number_at(&self, text: &str, run: &Run, i: usize, cues: &Cues) -> Option<(usize, Option<Hit>)> {
        if run.digit_count(i, run.groups.len() - 1) < 7 {
            return None;
        }
        let start = run.span(i, i).0;
        let labelled = || cues.precedes(Cue::Phone, text, start);
        let candidates = || (i..run.groups.len()).rev().filter(|&j| self.may_end(text, run, j));
        let found = candidates()
            .filter(|&j| (7..=MAX_DIGITS).contains(&run.digit_count(i, j)))
            .find_map(|j| self.classify(text, run, i, j).map(|c| (j, c)));
        let (j, (score, evidence)) = match found {
            Some(found) if !labelled() && cues.precedes(Cue::Ref, text, start) => return Some((found.0, None)),
            Some(found) => found,
            // A number introduced as a phone number ("Tel: 358 0594") is one even where no plan can
            // vouch for it.
            None if labelled() => {
                let j = candidates().find(|&j| (7..=15).contains(&run.digit_count(i, j)))?;
                (j, (0.6, "digits introduced as a telephone number, in no numbering plan checked".to_string()))
            }
            None => return None,
        };
        let (start, end) = run.span(i, j);
        let end = extension(text, end).unwrap_or(end);
        Some((j, Some(Hit::new(kind::PHONE, (start, end), score, evidence))))
    }

    /// Whether a number may end at group `j`: not where a letter runs into it (`12th`), unless that
    /// letter opens an extension (`3621x0135`).
    fn may_end(&self, text: &str, run: &Run, j: usize) -> bool {
        let last = j + 1 == run.groups.len();
        !(last && run.letter_after && extension(text, run.span(j, j).1).is_none())
    }

    /// Whether groups `i..=j` spell a valid number, with the score and the evidence.
    fn classify(&self, text: &str, run: &Run, i: usize, j: usize) -> Option<(f32, String)> {
        let digits = run.digits(text, i, j);
        if i == 0 && run.plus.is_some() {
            return self.international(&digits, true);
        }
        if let Some(rest) = digits.strip_prefix("00") {
            return self.international(rest, false);
        }
        if let Some(national) = digits.strip_prefix('0') {
            return self.uk(national, false);
        }
        if north_american_shape(run, i, j) {
            return self.north_american(&digits);
        }
        None
    }

    /// A UK national significant number (the digits after 0 or +44).
    fn uk(&self, national: &str, plus_44: bool) -> Option<(f32, String)> {
        if !(9..=10).contains(&national.len()) {
            return None;
        }
        if national.len() == 10 && DRAMA.iter().any(|p| national.starts_with(p)) {
            return Some((0.9, "UK number in a range Ofcom keeps for TV and radio drama".into()));
        }
        let length = national.len() as u16;
        let valid = self
            .uk
            .matches(national)
            .into_iter()
            .map(|k| &self.uk_types[k])
            .find(|(_, lengths)| lengths.is_empty() || lengths.contains(&length));
        if let Some((name, _)) = valid {
            return Some((0.97, format!("{name} number, valid per libphonenumber")));
        }
        // Ofcom's plan gives 01, 02, 03, 07, 08 and 09 numbers ten digits after the 0: a number of that
        // shape is a phone number even where libphonenumber knows of no block allocated in it yet.
        if national.len() == 10 && national.starts_with(['1', '2', '3', '7', '8', '9']) && !national.starts_with("76") {
            return Some((
                0.75,
                "UK number in the shape Ofcom's plan gives its range, in no block libphonenumber knows".into(),
            ));
        }
        if plus_44 && national.starts_with(['1', '2', '3', '5', '7', '8', '9']) {
            return Some((0.7, "+44 number of a length UK numbers have, in no block libphonenumber knows".into()));
        }
        // Nine digits after 0 is a length libphonenumber deems possible for 01, 02 and 08 numbers; a
        // digit short of a real 02 number is still someone's number, mistyped.
        if national.len() == 9 && national.starts_with(['1', '2', '8']) {
            return Some((0.6, "UK number of a possible length, in no block libphonenumber knows".into()));
        }
        None
    }

    /// A number written as North Americans write one, checked against the plan of +1.
    fn north_american(&self, digits: &str) -> Option<(f32, String)> {
        let plan = self.world.code(1)?;
        let number = phonenumber::parse_with(plan, Some(country::Id::US), digits).ok()?;
        let valid = number.code().value() == 1 && phonenumber::is_valid_with(plan, &number);
        valid.then(|| (0.85, "North American number, valid per libphonenumber".to_string()))
    }

    /// A number after an international prefix (`+` or `00`): the country code and the rest.
    fn international(&self, digits: &str, plus: bool) -> Option<(f32, String)> {
        if let Some(national) = digits.strip_prefix("44") {
            // "+44 (0)20…" is common, and so is "+44 020…".
            let national = national.strip_prefix('0').unwrap_or(national);
            return self.uk(national, true);
        }
        if !(8..=15).contains(&digits.len()) || digits.starts_with('0') {
            return None;
        }
        let plan = self.world.database(digits)?;
        let number = phonenumber::parse_with(plan, None, format!("+{digits}")).ok()?;
        if phonenumber::is_valid_with(plan, &number) {
            // Non-geographic codes (+800, +882…) have the region "001", which is no country.
            let country = number.metadata(plan).and_then(|m| m.id().parse::<country::Id>().ok());
            let region = country.map_or_else(|| "international".to_string(), |id| id.as_ref().to_string());
            return Some((0.9, format!("{region} number in international form, valid per libphonenumber")));
        }
        plus.then(|| {
            let code = number.code().value();
            (0.6, format!("number in international form (+{code}), in no range libphonenumber knows"))
        })
    }
}

/// How North Americans write a number: `(602) 272-9781`, `602-272-9781`, `930.167.3943`,
/// `1-800-555-0199`. Spaces alone are not enough: too many other numbers are written that way.
fn north_american_shape(run: &Run, i: usize, j: usize) -> bool {
    let groups = &run.groups[i..=j];
    let sizes: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    let joined_by = |gs: &[super::numbers::Group], seps: &[Sep]| {
        gs[..gs.len() - 1].iter().all(|g| g.sep.is_some_and(|s| seps.contains(&s)))
    };
    match sizes.as_slice() {
        [3, 3, 4] if groups[0].opened && groups[0].closed => {
            joined_by(&groups[1..], &[Sep::Dash, Sep::Dot, Sep::Space])
        }
        [3, 3, 4] => joined_by(groups, &[Sep::Dash]) || joined_by(groups, &[Sep::Dot]),
        [1, 3, 3, 4] => joined_by(groups, &[Sep::Dash]) || joined_by(groups, &[Sep::Dot]),
        _ => false,
    }
}

/// An extension after a number (`ext 123`, `ext. 4`, `extension 12`, `x0135`, `#22`): where it ends.
fn extension(text: &str, end: usize) -> Option<usize> {
    let (at, _) = skip_spaces(text, end);
    let rest = &text[at..];
    let lower: String = rest.chars().take(10).collect::<String>().to_ascii_lowercase();
    let marker = ["extension", "extn", "ext", "x", "#"].into_iter().find(|m| lower.starts_with(m))?;
    let mut at = at + marker.len();
    at += text[at..].strip_prefix('.').map_or(0, |_| 1);
    at += text[at..].strip_prefix(':').map_or(0, |_| 1);
    let (at, _) = skip_spaces(text, at);
    let digits = text[at..].bytes().take_while(u8::is_ascii_digit).count();
    ((1..=6).contains(&digits) && ends_token(text, at + digits)).then_some(at + digits)
}

#[cfg(test)]
mod tests {
    use super::super::numbers::runs;
    use super::super::world::{joined, squeeze};
    use super::*;

    /// `data/uk-numbering.tsv` as the `phonenumber` crate's metadata gives it.
    fn uk_plan_from_metadata() -> String {
        let mut out = String::from(
            "# The UK numbering plan (+44: the UK, Guernsey, Jersey and the Isle of Man), copied from the\n\
             # metadata of the `phonenumber` crate (libphonenumber's PhoneNumberMetadata.xml, itself from\n\
             # Ofcom's National Telephone Numbering Plan). Generated: GATEHOUSE_WRITE_UK_PLAN=1 cargo test -p analyse uk_plan\n\
             # type\tpossible lengths of the national significant number\tits pattern\n",
        );
        let regions = phonenumber::metadata::DATABASE.by_code(&44).expect("+44 metadata");
        for region in regions {
            let place = match region.id() {
                "GB" => "UK",
                "GG" => "Guernsey",
                "JE" => "Jersey",
                "IM" => "Isle of Man",
                _ => continue,
            };
            let d = region.descriptors();
            let types = [
                ("mobile", d.mobile()),
                ("landline", d.fixed_line()),
                ("freephone", d.toll_free()),
                ("premium-rate", d.premium_rate()),
                ("shared-cost", d.shared_cost()),
                ("personal", d.personal_number()),
                ("VoIP", d.voip()),
                ("pager", d.pager()),
                ("non-geographic (03)", d.uan()),
            ];
            for (name, descriptor) in types {
                let Some(descriptor) = descriptor else { continue };
                let pattern = squeeze(descriptor.national_number().as_str());
                out.push_str(&format!("{place} {name}\t{}\t{pattern}\n", joined(descriptor.possible_length())));
            }
        }
        out
    }

    #[test]
    fn uk_plan_matches_the_phonenumber_metadata() {
        let expected = uk_plan_from_metadata();
        if std::env::var_os("GATEHOUSE_WRITE_UK_PLAN").is_some() {
            std::fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/data/uk-numbering.tsv"), &expected).unwrap();
        }
        assert!(UK_PLAN == expected, "data/uk-numbering.tsv is out of date with the phonenumber crate: regenerate it");
    }

    fn phones(text: &str) -> Vec<(&str, f32)> {
        let p = Phones::new().unwrap();
        let cues = Cues::new().unwrap();
        let mut out = Vec::new();
        p.find(text, &runs(text), &cues, &mut out);
        out.iter().map(|h| (&text[h.start..h.end], h.score)).collect()
    }

    fn found(text: &str) -> Vec<&str> {
        phones(text).into_iter().map(|(s, _)| s).collect()
    }

    #[test]
    fn uk_numbers_in_every_format() {
        for n in [
            "07700 900123",
            "07700900123",
            "077 0987 7032",
            "(0121) 4960628",
            "+44(0)114 496 0645",
            "+44 (0) 20 7946 0123",
            "+447911 123456",
            "0044 20 7946 0123",
            "0161-496-0628",
            "0161.496.0628",
            "020 7946 0123",
            "0808 157 0123",
            "01632 960 599",
            "0 7 9 1 1 1 2 3 4 5 6",
            "(07700) 900 123",
            "0161\u{00A0}496\u{00A0}0628",
        ] {
            assert_eq!(found(&format!("ring me on {n} please")), [n], "{n}");
        }
    }

    #[test]
    fn extensions_belong_to_the_number() {
        assert_eq!(found("Desk: 0116 496 0493 ext 123."), ["0116 496 0493 ext 123"]);
        assert_eq!(found("0116 496 0493 x12"), ["0116 496 0493 x12"]);
        assert_eq!(found("(202)456-1111x0135"), ["(202)456-1111x0135"]);
    }

    #[test]
    fn validity_sets_the_score() {
        assert!(phones("07911 123456")[0].1 >= 0.95);
        assert!(phones("+4428 9018758")[0].1 < 0.9, "a +44 number of a possible length only");
        assert!(phones("Tel: 358 0594")[0].1 < 0.7, "a label, and no plan behind it");
    }

    #[test]
    fn international_numbers() {
        assert_eq!(found("+33 1 23 45 67 89"), ["+33 1 23 45 67 89"]);
        assert_eq!(found("Fax: 001-253-366-9781"), ["001-253-366-9781"]);
        assert_eq!(found("(602) 272-9781"), ["(602) 272-9781"]);
    }

    #[test]
    fn not_phone_numbers() {
        for text in [
            "born on 21/10/2014 at 10:30",
            "it cost £1 234 567 890",
            "the years 1999 2000 2001 2002",
            "Order no. 01234 567890",
            "ref: 07700 900123",
            "12345678901",
            "06123 456789",
            "4111 1111 1111 1111",
            "IP 178.158.174.122",
            "On 1979-12-18 19:55:21.345603",
            "0161 496 0628th",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }

    #[test]
    fn a_stray_number_before_a_phone_number_stays_out() {
        assert_eq!(found("Year 7 07700 900123"), ["07700 900123"]);
        assert_eq!(found("call 07700 900123 07700 900456"), ["07700 900123", "07700 900456"]);
    }
}
