//! UK postcodes in every valid format: A9 9AA, A99 9AA, A9A 9AA, AA9 9AA, AA99 9AA, AA9A 9AA and
//! GIR 0AA, in any case, with or without the space.
//!
//! Royal Mail's rules make the format tight enough to find postcodes by shape alone: the outward code
//! opens with one of the 126 postcode areas (a data file), a third-position letter (A9A) is one of
//! ABCDEFGHJKPSTUW, a fourth (AA9A) one of ABEHMNPRVWXY, and the inward code's letters never include
//! C, I, K, M, O or V, so "3PM" or "9AM" can never end one. The search starts from each digit that
//! could open an inward code, which is cheap: most comments have few digits.

use super::cues::{Cue, Cues};
use super::text::{digits_end, ends_token, next_digit, starts_token};
use super::{Hit, kind};

const AREAS: &str = include_str!("../../../lexicons/pii-postcode-areas.txt");

const THIRD: Letters = Letters::of(b"ABCDEFGHJKPSTUW");
const FOURTH: Letters = Letters::of(b"ABEHMNPRVWXY");
const INWARD: Letters = Letters::of(b"ABDEFGHJLNPQRSTUWXYZ");

/// A set of letters, any case, as a bit mask: looked up for every digit of every comment.
#[derive(Clone, Copy)]
struct Letters(u32);

impl Letters {
    const fn of(letters: &[u8]) -> Letters {
        let mut mask = 0;
        let mut i = 0;
        while i < letters.len() {
            mask |= 1 << (letters[i] - b'A');
            i += 1;
        }
        Letters(mask)
    }

    fn has(self, c: u8) -> bool {
        let c = c.to_ascii_uppercase();
        c.is_ascii_uppercase() && self.0 & (1 << (c - b'A')) != 0
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Postcode {
    pub start: usize,
    pub end: usize,
    /// Upper case with one space, as Royal Mail prints it.
    pub canonical: bool,
}

pub(super) struct Postcodes {
    /// Indexed by the area's letters: `first * 27 + second`, with 0 for a one-letter area.
    areas: Vec<bool>,
}

impl Postcodes {
    pub(super) fn new() -> Result<Postcodes, String> {
        let mut areas = vec![false; 27 * 27];
        for (n, line) in AREAS.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let b = line.as_bytes();
            if !(1..=2).contains(&b.len()) || !b.iter().all(u8::is_ascii_uppercase) {
                return Err(format!("pii-postcode-areas.txt:{}: {line:?} is not a postcode area", n + 1));
            }
            areas[area_index(b[0], b.get(1).copied())] = true;
        }
        Ok(Postcodes { areas })
    }

    /// Every postcode in `text`.
    pub(super) fn find(&self, text: &str, cues: &Cues, out: &mut Vec<Hit>) {
        let bytes = text.as_bytes();
        let mut at = 0;
        while let Some(first) = next_digit(bytes, at) {
            // An inward code's digit is the last of its run: letters follow it.
            at = digits_end(bytes, first);
            let i = at - 1;
            if !self.is_inward(text, i) {
                continue;
            }
            if let Some(p) = self.ending_at(text, i).filter(|p| stands_alone(text, p)) {
                let code = &text[p.start..p.end];
                let upper = !code.bytes().any(|b| b.is_ascii_lowercase());
                let spaced = code.contains(' ');
                let score = match (p.canonical, spaced, upper) {
                    (true, ..) => 0.95,
                    (false, false, true) => 0.85,
                    (false, true, _) => 0.8,
                    (false, false, false) => 0.55,
                };
                let score = if cues.precedes(Cue::Postcode, text, p.start) { f32::max(score, 0.95) } else { score };
                out.push(Hit::new(
                    kind::POSTCODE,
                    (p.start, p.end),
                    score,
                    format!("UK postcode {code}, valid per Royal Mail's format rules"),
                ));
            }
        }
    }

    /// The postcode starting exactly at `pos`, if one does.
    pub(super) fn at(&self, text: &str, pos: usize) -> Option<Postcode> {
        let bytes = text.as_bytes();
        (2..=4).rev().find_map(|len| {
            let outward = bytes.get(pos..pos + len)?;
            let inward = if bytes.get(pos + len) == Some(&b' ') { pos + len + 1 } else { pos + len };
            if !self.is_outward(outward) || !self.is_inward(text, inward) {
                return None;
            }
            let p = self.ending_at(text, inward)?;
            (p.start == pos).then_some(p)
        })
    }

    /// The postcode whose inward code starts at `inward`, taking the longest valid outward code.
    fn ending_at(&self, text: &str, inward: usize) -> Option<Postcode> {
        let bytes = text.as_bytes();
        let spaced = inward > 0 && bytes[inward - 1] == b' ';
        let outward_end = if spaced { inward - 1 } else { inward };
        let end = inward + 3;
        (2..=4).rev().find_map(|len| {
            let start = outward_end.checked_sub(len).filter(|&s| text.is_char_boundary(s))?;
            let outward = &bytes[start..outward_end];
            let ok = (self.is_outward(outward)
                || outward.eq_ignore_ascii_case(b"GIR") && &bytes[inward..end] == b"0AA")
                && starts_token(text, start);
            let canonical = spaced && !text[start..end].bytes().any(|b| b.is_ascii_lowercase());
            ok.then_some(Postcode { start, end, canonical })
        })
    }

    /// A digit and two letters allowed in an inward code, then the end of the token.
    fn is_inward(&self, text: &str, i: usize) -> bool {
        let bytes = text.as_bytes();
        let Some(&[d, a, b]) = bytes.get(i..i + 3) else {
            return false;
        };
        d.is_ascii_digit() && INWARD.has(a) && INWARD.has(b) && ends_token(text, i + 3)
    }

    fn is_outward(&self, o: &[u8]) -> bool {
        let u: Vec<u8> = o.iter().map(u8::to_ascii_uppercase).collect();
        let (alpha, digit) = (|c: u8| c.is_ascii_uppercase(), |c: u8| c.is_ascii_digit());
        let area = |first: u8, second: Option<u8>| self.areas[area_index(first, second)];
        match *u.as_slice() {
            [a, d] => alpha(a) && digit(d) && area(a, None),
            [a, d, e] if alpha(a) && digit(d) => (digit(e) || THIRD.has(e)) && area(a, None),
            [a, b, d] => alpha(a) && alpha(b) && digit(d) && area(a, Some(b)),
            [a, b, d, e] => alpha(a) && alpha(b) && digit(d) && (digit(e) || FOURTH.has(e)) && area(a, Some(b)),
            _ => false,
        }
    }
}

/// Whether a postcode-shaped token is written as a postcode: not inside a link, handle or hashtag
/// (`tl.gd/b245js`, `@M94Rx`, `#l00py`), and, without its space, each half in one case (`Hu27le` is
/// a name; `Ls1 4AB` is a postcode typed on a phone).
fn stands_alone(text: &str, p: &Postcode) -> bool {
    let inside = text[..p.start].ends_with(['/', '@', '#', '_', '=', '&', '.', '-', '+', '\\'])
        && !text[..p.start].ends_with("\\n")
        || text[p.end..].starts_with(['/', '@', '_', '=']);
    let code = &text.as_bytes()[p.start..p.end];
    let split = code.len() - 3;
    let one_case = |half: &[u8]| {
        let letters = half.iter().filter(|b| b.is_ascii_alphabetic());
        letters.clone().all(u8::is_ascii_uppercase) || letters.clone().all(u8::is_ascii_lowercase)
    };
    let spaced = code.len() > 3 && code[split - 1] == b' ';
    !inside && (spaced || one_case(&code[..split]) && one_case(&code[split..]))
}

fn area_index(first: u8, second: Option<u8>) -> usize {
    let letter = |c: u8| usize::from(c.to_ascii_uppercase().saturating_sub(b'A')).min(25);
    letter(first) * 27 + second.map_or(0, |s| letter(s) + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(&str, f32)> {
        let mut out = Vec::new();
        Postcodes::new().unwrap().find(text, &Cues::new().unwrap(), &mut out);
        out.iter().map(|h| (&text[h.start..h.end], h.score)).collect()
    }

    fn spans(text: &str) -> Vec<&str> {
        found(text).into_iter().map(|(s, _)| s).collect()
    }

    #[test]
    fn every_format() {
        for code in
            ["M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "W1A 0AX", "EC1A 1BB", "GIR 0AA", "BD2N 3YF", "SW1A1AA"]
        {
            assert_eq!(spans(&format!("send it to {code}, thanks")), [code], "{code}");
        }
        assert_eq!(spans("ls1 4ab"), ["ls1 4ab"]);
        assert_eq!(spans("United Kingdom S54 3PE\\n079"), ["S54 3PE"]);
    }

    #[test]
    fn case_and_spacing_set_the_score() {
        assert!(found("LS1 4AB")[0].1 > found("LS14AB")[0].1);
        assert!(found("LS14AB")[0].1 > found("ls14ab")[0].1);
        assert!(found("postcode: ls14ab")[0].1 >= 0.95);
    }

    #[test]
    fn not_postcodes() {
        for text in [
            "meet at 3PM",
            "B4 9AM",
            "QA1 1AA",
            "XY1 1AB",
            "AA1 1AA",
            "M1 1AC",
            "M1 1AEX",
            "XM1 1AE",
            "EC1Z 1BB",
            "W1I 1AA",
            "1SW1A 1AA",
            "Scunthorpe",
            "http://tl.gd/b245js",
            "@M94Rx: hi",
            "#l00py",
            "the Hu27le graphic",
        ] {
            assert!(spans(text).is_empty(), "{text}: {:?}", spans(text));
        }
    }

    #[test]
    fn at_a_position() {
        let p = Postcodes::new().unwrap();
        assert_eq!(p.at("LE5 5QH\\n", 0), Some(Postcode { start: 0, end: 7, canonical: true }));
        assert_eq!(p.at("CH1 4NZ for post", 0).map(|p| p.end), Some(7));
        assert_eq!(p.at("X CH1 4NZ", 0), None);
    }
}
