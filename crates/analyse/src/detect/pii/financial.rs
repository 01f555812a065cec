//! Bank details: payment card numbers, IBANs, and UK sort code with account number.
//!
//! A card number is 12 to 19 digits, plain or in groups split by spaces or dashes, whose last digit is
//! the Luhn check digit. One random number in ten passes Luhn, so a card number also has to start with
//! an issuer's prefix (ISO/IEC 7812: Visa 4, Mastercard 51–55 and 2221–2720, Amex 34 and 37…), or be
//! introduced as a card ("card no.", "Visa"). An IBAN must have its country's length (SWIFT's IBAN
//! registry) and pass the mod-97 check of ISO 13616. A sort code only counts next to an account
//! number: alone it names a bank branch, not a person.

use regex::{Regex, RegexSet};

use super::cues::{Cue, Cues};
use super::numbers::{Run, Sep};
use super::signals::Signals;
use super::text::{ends_token, floor_boundary};
use super::{Hit, kind};

/// IBAN lengths by country, from SWIFT's IBAN registry.
const IBAN_LENGTHS: &[(&str, usize)] = &[
    ("AD", 24),
    ("AE", 23),
    ("AL", 28),
    ("AT", 20),
    ("AZ", 28),
    ("BA", 20),
    ("BE", 16),
    ("BG", 22),
    ("BH", 22),
    ("BI", 27),
    ("BR", 29),
    ("BY", 28),
    ("CH", 21),
    ("CR", 22),
    ("CY", 28),
    ("CZ", 24),
    ("DE", 22),
    ("DJ", 27),
    ("DK", 18),
    ("DO", 28),
    ("EE", 20),
    ("EG", 29),
    ("ES", 24),
    ("FI", 18),
    ("FK", 18),
    ("FO", 18),
    ("FR", 27),
    ("GB", 22),
    ("GE", 22),
    ("GI", 23),
    ("GL", 18),
    ("GR", 27),
    ("GT", 28),
    ("HR", 21),
    ("HU", 28),
    ("IE", 22),
    ("IL", 23),
    ("IQ", 23),
    ("IS", 26),
    ("IT", 27),
    ("JO", 30),
    ("KW", 30),
    ("KZ", 20),
    ("LB", 28),
    ("LC", 32),
    ("LI", 21),
    ("LT", 20),
    ("LU", 20),
    ("LV", 21),
    ("LY", 25),
    ("MC", 27),
    ("MD", 24),
    ("ME", 22),
    ("MK", 19),
    ("MN", 20),
    ("MR", 27),
    ("MT", 31),
    ("MU", 30),
    ("NI", 28),
    ("NL", 18),
    ("NO", 15),
    ("OM", 23),
    ("PK", 24),
    ("PL", 28),
    ("PS", 29),
    ("PT", 25),
    ("QA", 29),
    ("RO", 24),
    ("RS", 22),
    ("RU", 33),
    ("SA", 24),
    ("SC", 31),
    ("SD", 18),
    ("SE", 24),
    ("SI", 19),
    ("SK", 24),
    ("SM", 27),
    ("SO", 23),
    ("ST", 25),
    ("SV", 28),
    ("TL", 23),
    ("TN", 24),
    ("TR", 26),
    ("UA", 29),
    ("VA", 22),
    ("VG", 24),
    ("XK", 20),
    ("YE", 30),
];

// Digits are `[0-9]`, not Unicode's `\d` (see ids.rs).
const IBAN: &str = r"(?-u:\b)[A-Za-z]{2}[0-9]{2}(?:[ ]?[A-Za-z0-9]){11,30}";
const SORT_AND_ACCOUNT: &str = r"(?i)(?-u:\b)[0-9]{2}-[0-9]{2}-[0-9]{2}[\s,;:/]+(?:(?:acc(?:oun)?t?|a/c)(?:\s*(?:no\.?|number|#))?[\s:.#]*)?[0-9]{8}(?-u:\b)";

pub(super) struct Financial {
    /// IBANs and dashed sort codes with accounts in one pass, to learn which to look at closer.
    screen: RegexSet,
    iban: Regex,
    /// "sort code 20-00-00", with the six digits captured.
    sort_code: Regex,
    /// "20-00-00 12345678": a dashed sort code followed by an account number.
    sort_and_account: Regex,
    account: Regex,
}

impl Financial {
    pub(super) fn new() -> Result<Financial, String> {
        let re = |p: &str| Regex::new(p).map_err(|e| e.to_string());
        Ok(Financial {
            screen: RegexSet::new([IBAN, SORT_AND_ACCOUNT]).map_err(|e| e.to_string())?,
            iban: re(IBAN)?,
            sort_code: re(
                r"(?i)sort[ \-]?code[\s:.#\-]*(?:is\s+)?((?-u:\b)[0-9]{2}[ \-]?[0-9]{2}[ \-]?[0-9]{2})(?-u:\b)",
            )?,
            sort_and_account: re(SORT_AND_ACCOUNT)?,
            account: re(r"(?-u:\b)[0-9]{8}(?-u:\b)")?,
        })
    }

    /// IBANs and sort codes with account numbers. Every IBAN has ten digits or more, eight of them
    /// together, and a sort code with its account fourteen.
    pub(super) fn find(&self, text: &str, signals: &Signals, out: &mut Vec<Hit>) {
        if signals.digits < 10 || signals.longest < 8 {
            return;
        }
        let screened = self.screen.matches(text);
        if screened.matched(0) {
            self.ibans(text, out);
        }
        if signals.digits < 14 {
            return;
        }
        let before = out.len();
        if signals.sort_code {
            self.sort_codes(text, out);
        }
        if screened.matched(1) {
            for m in self.sort_and_account.find_iter(text) {
                let hit = Hit::new(kind::FINANCIAL, (m.start(), m.end()), 0.85, "UK sort code and account number");
                if !out[before..].iter().any(|h| h.overlaps(&hit)) {
                    out.push(hit);
                }
            }
        }
    }

    fn ibans(&self, text: &str, out: &mut Vec<Hit>) {
        for m in self.iban.find_iter(text) {
            if let Some((end, country)) = iban_at(text, m.start(), m.end()) {
                out.push(Hit::new(
                    kind::FINANCIAL,
                    (m.start(), end),
                    0.97,
                    format!("IBAN ({country}), mod-97 check valid"),
                ));
            }
        }
    }

    /// "sort code 20-00-00" with an account number before or after it.
    fn sort_codes(&self, text: &str, out: &mut Vec<Hit>) {
        for caps in self.sort_code.captures_iter(text) {
            let (Some(all), Some(code)) = (caps.get(0), caps.get(1)) else { continue };
            // The account number may come before or after, within a clause or two.
            let from = floor_boundary(text, all.start().saturating_sub(60));
            let to = floor_boundary(text, code.end() + 60);
            let account = self
                .account
                .find_iter(&text[from..to])
                .map(|a| (from + a.start(), from + a.end()))
                .find(|a| a.1 <= code.start() || a.0 >= code.end());
            if let Some((a_start, a_end)) = account {
                let span = (all.start().min(a_start), code.end().max(a_end));
                out.push(Hit::new(kind::FINANCIAL, span, 0.9, "UK sort code and account number"));
            }
        }
    }

    /// Card numbers among the digit runs.
    pub(super) fn cards(&self, text: &str, runs: &[Run], cues: &Cues, out: &mut Vec<Hit>) {
        for run in runs {
            let mut i = 0;
            while i < run.groups.len() {
                match card_at(text, run, i, cues) {
                    Some((j, hit)) => {
                        out.push(hit);
                        i = j + 1;
                    }
                    None => i += 1,
                }
            }
        }
    }
}

/// The longest card number starting at group `i` of a run.
fn card_at(text: &str, run: &Run, i: usize, cues: &Cues) -> Option<(usize, Hit)> {
    if i == 0 && run.plus.is_some() || run.digit_count(i, run.groups.len() - 1) < 12 {
        return None;
    }
    let start = run.groups[i].start;
    let introduced = || cues.precedes(Cue::Card, text, start);
    for j in (i..run.groups.len()).rev() {
        let joined = run.groups[i..j].iter().all(|g| matches!(g.sep, Some(Sep::Space | Sep::Dash)));
        let plain = run.groups[i..=j].iter().all(|g| !g.opened && !g.closed);
        let count = run.digit_count(i, j);
        if !joined || !plain || !(12..=19).contains(&count) || (j + 1 == run.groups.len() && run.letter_after) {
            continue;
        }
        let digits = run.digits(text, i, j);
        if !luhn(&digits) || digits.bytes().all(|b| b == digits.as_bytes()[0]) {
            continue;
        }
        let network = network(&digits);
        let score = match (network, introduced()) {
            (Some(_), true) => 0.97,
            (Some(_), false) if count >= 13 => 0.85,
            (None, true) => 0.85,
            _ => continue,
        };
        let evidence = match network {
            Some(n) => format!("{n} card number, Luhn check valid"),
            None => "number introduced as a card, Luhn check valid".to_string(),
        };
        return Some((j, Hit::new(kind::FINANCIAL, (start, run.groups[j].end), score, evidence)));
    }
    None
}

/// The Luhn (mod 10) check of ISO/IEC 7812.
fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(k, b)| {
            let d = u32::from(b - b'0');
            if k % 2 == 1 { if d > 4 { d * 2 - 9 } else { d * 2 } } else { d }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The card network an issuer prefix belongs to, given the lengths each network issues.
fn network(digits: &str) -> Option<&'static str> {
    let prefix = |n: usize| digits.get(..n).and_then(|p| p.parse::<u32>().ok()).unwrap_or(0);
    let len = digits.len();
    let (p1, p2, p3, p4) = (prefix(1), prefix(2), prefix(3), prefix(4));
    let networks = [
        ("Visa", p1 == 4 && matches!(len, 13 | 16 | 19)),
        ("Mastercard", ((51..=55).contains(&p2) || (2221..=2720).contains(&p4)) && len == 16),
        ("American Express", matches!(p2, 34 | 37) && len == 15),
        ("Discover", (p4 == 6011 || (644..=649).contains(&p3) || p2 == 65) && (16..=19).contains(&len)),
        ("JCB", (3528..=3589).contains(&p4) && (16..=19).contains(&len) || matches!(p4, 1800 | 2131) && len == 15),
        ("Diners Club", ((300..=305).contains(&p3) || matches!(p2, 36 | 38 | 39)) && (14..=19).contains(&len)),
        ("UnionPay", p2 == 62 && (16..=19).contains(&len)),
        ("Mir", (2200..=2204).contains(&p4) && (16..=19).contains(&len)),
        ("Maestro", (p2 == 50 || (56..=69).contains(&p2)) && (12..=19).contains(&len)),
    ];
    networks.into_iter().find(|(_, issued)| *issued).map(|(name, _)| name)
}

/// An IBAN starting at `start` (the regex match runs to `end`, perhaps past it): where it ends and its
/// country, when the length and the check digits are right.
fn iban_at(text: &str, start: usize, end: usize) -> Option<(usize, String)> {
    let country = text[start..start + 2].to_ascii_uppercase();
    let (_, length) = IBAN_LENGTHS.iter().find(|(c, _)| *c == country)?;
    let mut compact = String::with_capacity(*length);
    let mut stop = start;
    for (k, c) in text[start..end].char_indices() {
        if compact.len() == *length {
            break;
        }
        if c != ' ' {
            compact.push(c.to_ascii_uppercase());
        }
        stop = start + k + c.len_utf8();
    }
    (compact.len() == *length && ends_token(text, stop) && mod97(&compact)).then_some((stop, country))
}

/// ISO 13616's check: the first four characters moved to the end, letters as 10–35, mod 97 is 1.
fn mod97(iban: &str) -> bool {
    let rearranged = iban[4..].bytes().chain(iban[..4].bytes());
    let mut r: u32 = 0;
    for b in rearranged {
        r = match b {
            b'0'..=b'9' => (r * 10 + u32::from(b - b'0')) % 97,
            b'A'..=b'Z' => (r * 100 + u32::from(b - b'A') + 10) % 97,
            _ => return false,
        };
    }
    r == 1
}

#[cfg(test)]
mod tests {
    use super::super::numbers::runs;
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        let f = Financial::new().unwrap();
        let cues = Cues::new().unwrap();
        let mut out = Vec::new();
        f.cards(text, &runs(text), &cues, &mut out);
        let digits = text.bytes().filter(u8::is_ascii_digit).count();
        let signals = Signals { digits, longest: digits, sort_code: text.contains("sort code"), ..Signals::default() };
        f.find(text, &signals, &mut out);
        out.iter().map(|h| &text[h.start..h.end]).collect()
    }

    #[test]
    fn card_numbers_pass_luhn_and_have_an_issuer() {
        assert_eq!(found("my card is 4111 1111 1111 1111."), ["4111 1111 1111 1111"]);
        assert_eq!(found("4111-1111-1111-1111"), ["4111-1111-1111-1111"]);
        assert_eq!(found("Amex 3782 822463 10005 thanks"), ["3782 822463 10005"]);
        assert_eq!(found("My card 060465240772 expires soon"), ["060465240772"], "a card cue vouches");
        assert!(found("4111 1111 1111 1112").is_empty(), "Luhn fails");
        assert!(found("0604 6524 0772").is_empty(), "no issuer, no cue");
        assert!(found("0000 0000 0000 0000").is_empty());
        assert!(found("call 07700 900123").is_empty());
    }

    #[test]
    fn ibans_pass_mod_97() {
        assert_eq!(found("IBAN GB29 NWBK 6016 1331 9268 19 please"), ["GB29 NWBK 6016 1331 9268 19"]);
        assert_eq!(found("to GB82WEST12345698765432."), ["GB82WEST12345698765432"]);
        assert_eq!(found("de89370400440532013000"), ["de89370400440532013000"]);
        assert!(found("GB82WEST12345698765433").is_empty(), "check digits wrong");
        assert!(found("GB82WEST1234569876543").is_empty(), "too short for GB");
    }

    #[test]
    fn sort_codes_need_an_account_number() {
        assert_eq!(found("sort code 20-00-00 account 12345678"), ["sort code 20-00-00 account 12345678"]);
        assert_eq!(found("acc 12345678, sort code: 200000"), ["12345678, sort code: 200000"]);
        assert_eq!(found("pay 20-00-00 12345678 today"), ["20-00-00 12345678"]);
        assert!(found("our sort code is 20-00-00").is_empty());
        assert!(found("on 12-03-24 we met").is_empty());
    }
}
