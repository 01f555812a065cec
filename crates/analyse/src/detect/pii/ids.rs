//! National identity numbers: UK National Insurance numbers, NHS numbers, passport numbers, and US
//! Social Security numbers.
//!
//! A National Insurance number is two letters, six digits and a letter; HMRC never issues prefixes
//! starting D, F, I, Q, U or V, with D, F, I, O, Q, U or V second, nor BG, GB, KN, NK, NT, TN or ZZ,
//! and the last letter is A–D. A number that follows those rules counts on its own; one that only has
//! the shape (the `ZZ 12 34 56 T` of form examples) counts when it is introduced as one. An NHS
//! number's tenth digit is a mod-11 check, but one random number in eleven passes, so it needs "NHS"
//! before it; passport numbers have no check at all and need "passport".

use regex::{Captures, Regex, RegexSet};

use super::cues::{Cue, Cues};
use super::signals::Signals;
use super::{Hit, kind};

// Digits are `[0-9]`, not `\d`: Unicode's `\d` takes every script's digits, which these numbers are
// never written in, and compiling it was most of the start-up cost of the patterns here.
const NINO: &str = r"(?-u:\b)([A-Za-z]{2}) ?([0-9]{2}) ?([0-9]{2}) ?([0-9]{2})(?: ?([A-Za-z]))?(?-u:\b)";
const SSN: &str = r"(?-u:\b)([0-9]{3})([- ])([0-9]{2})[- ]([0-9]{4})(?-u:\b)";
const NHS: &str = r"(?-u:\b)[0-9]{3}[ \-]?[0-9]{3}[ \-]?[0-9]{4}(?-u:\b)";

pub(super) struct Ids {
    /// All three number shapes in one pass, to learn which to look at closer.
    screen: RegexSet,
    nino: Regex,
    ssn: Regex,
    nhs: Regex,
    passport: Regex,
}

impl Ids {
    pub(super) fn new() -> Result<Ids, String> {
        let re = |p: &str| Regex::new(p).map_err(|e| e.to_string());
        Ok(Ids {
            screen: RegexSet::new([NINO, SSN, NHS]).map_err(|e| e.to_string())?,
            nino: re(NINO)?,
            ssn: re(SSN)?,
            nhs: re(NHS)?,
            passport: re(
                r"(?i)passport(?:\s*(?:no\.?|number|num|#))?[\s:#.]*(?:is\s+)?((?-u:\b)[a-z]{0,2}[0-9]{6,9})(?-u:\b)",
            )?,
        })
    }

    pub(super) fn find(&self, text: &str, signals: &Signals, cues: &Cues, out: &mut Vec<Hit>) {
        if signals.passport && signals.digits >= 6 {
            self.passports(text, out);
        }
        if signals.longest < 6 {
            return;
        }
        let screened = self.screen.matches(text);
        if screened.matched(0) {
            for caps in self.nino.captures_iter(text) {
                out.extend(national_insurance(text, &caps, cues));
            }
        }
        if screened.matched(1) {
            for caps in self.ssn.captures_iter(text) {
                out.extend(social_security(text, &caps, cues));
            }
        }
        if screened.matched(2) {
            for m in self.nhs.find_iter(text) {
                let number: String = m.as_str().chars().filter(char::is_ascii_digit).collect();
                if nhs_check(&number) && cues.precedes(Cue::Nhs, text, m.start()) {
                    out.push(Hit::new(kind::ID_NUMBER, (m.start(), m.end()), 0.95, "NHS number, mod-11 check valid"));
                }
            }
        }
    }

    fn passports(&self, text: &str, out: &mut Vec<Hit>) {
        for caps in self.passport.captures_iter(text) {
            if let Some(number) = caps.get(1) {
                let span = (number.start(), number.end());
                out.push(Hit::new(kind::ID_NUMBER, span, 0.85, "passport number, introduced as one"));
            }
        }
    }
}

fn national_insurance(text: &str, caps: &Captures, cues: &Cues) -> Option<Hit> {
    let all = caps.get(0)?;
    let prefix = caps[1].to_ascii_uppercase();
    let suffix = caps.get(5).map(|s| s.as_str().to_ascii_uppercase());
    let issued = issued_prefix(&prefix) && suffix.as_deref().is_some_and(|s| matches!(s, "A" | "B" | "C" | "D"));
    let introduced = cues.precedes(Cue::Nino, text, all.start());
    let upper = !all.as_str().chars().any(|c| c.is_ascii_lowercase());
    let (score, evidence) = match (issued, introduced) {
        (true, true) => (0.95, "National Insurance number, introduced as one; prefix and suffix as HMRC issues them"),
        (true, false) if upper => (0.8, "National Insurance number: prefix and suffix as HMRC issues them"),
        (false, true) => {
            (0.7, "shaped like a National Insurance number and introduced as one (prefix or suffix never issued)")
        }
        _ => return None,
    };
    Some(Hit::new(kind::ID_NUMBER, (all.start(), all.end()), score, evidence))
}

fn issued_prefix(prefix: &str) -> bool {
    let b = prefix.as_bytes();
    !b"DFIQUV".contains(&b[0])
        && !b"DFIOQUV".contains(&b[1])
        && !["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"].contains(&prefix)
}

/// A US Social Security number: area 001–899 but not 666, group 01–99, serial 0001–9999. Written with
/// dashes it is distinctive; with spaces it needs "SSN" or "social security" before it.
fn social_security(text: &str, caps: &Captures, cues: &Cues) -> Option<Hit> {
    let all = caps.get(0)?;
    let area: u32 = caps[1].parse().ok()?;
    let valid = (1..900).contains(&area) && area != 666 && &caps[3] != "00" && &caps[4] != "0000";
    let introduced = cues.precedes(Cue::Ssn, text, all.start());
    let score = match (valid, introduced, &caps[2]) {
        (true, true, _) => 0.9,
        (true, false, "-") => 0.6,
        _ => return None,
    };
    Some(Hit::new(kind::ID_NUMBER, (all.start(), all.end()), score, "US Social Security number"))
}

/// NHS Digital's check: weights 10 down to 2 on the first nine digits, 11 minus the sum mod 11 is the
/// tenth (11 means 0; 10 means no such number).
fn nhs_check(number: &str) -> bool {
    let d: Vec<u32> = number.bytes().map(|b| u32::from(b - b'0')).collect();
    if d.len() != 10 {
        return false;
    }
    let sum: u32 = d[..9].iter().zip((2..=10).rev()).map(|(x, w)| x * w).sum();
    match 11 - sum % 11 {
        11 => d[9] == 0,
        10 => false,
        check => d[9] == check,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(&str, f32)> {
        let ids = Ids::new().unwrap();
        let cues = Cues::new().unwrap();
        let mut out = Vec::new();
        let digits = text.bytes().filter(u8::is_ascii_digit).count();
        let signals = Signals { digits, longest: digits, passport: text.contains("passport"), ..Signals::default() };
        ids.find(text, &signals, &cues, &mut out);
        out.iter().map(|h| (&text[h.start..h.end], h.score)).collect()
    }

    fn spans(text: &str) -> Vec<&str> {
        found(text).into_iter().map(|(s, _)| s).collect()
    }

    #[test]
    fn national_insurance_numbers() {
        assert_eq!(spans("NI number: AB 12 34 56 C"), ["AB 12 34 56 C"]);
        assert_eq!(spans("mine is JG103759A ok"), ["JG103759A"]);
        assert_eq!(spans("my social security number is ZZ 335693 T"), ["ZZ 335693 T"]);
        assert!(found("my national insurance number is AB123456C")[0].1 > found("AB123456C")[0].1);
        assert!(spans("ZZ 33 56 93 T").is_empty(), "never issued, and nothing says it is one");
        assert!(spans("QQ123456C").is_empty());
        assert!(spans("My driver's license number is SK5918033").is_empty());
        assert!(spans("ab123456c").is_empty(), "lower case and unintroduced");
    }

    #[test]
    fn nhs_numbers_need_the_check_and_the_cue() {
        assert_eq!(spans("NHS number 943 476 5919"), ["943 476 5919"]);
        assert_eq!(spans("my NHS no. is 9434765919"), ["9434765919"]);
        assert!(spans("NHS number 943 476 5918").is_empty(), "check digit wrong");
        assert!(spans("call 943 476 5919").is_empty(), "no cue");
    }

    #[test]
    fn passports_and_social_security_numbers() {
        assert_eq!(spans("passport no. 123456789"), ["123456789"]);
        assert_eq!(spans("Here's my SSN: 054-28-6917"), ["054-28-6917"]);
        assert_eq!(spans("SSN 054 28 6917"), ["054 28 6917"]);
        assert!(spans("666-28-6917").is_empty());
        assert!(spans("054 28 6917").is_empty(), "spaces and no cue");
    }
}
