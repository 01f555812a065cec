//! Street addresses: "12 High Street", "Flat 3, 4 Mill Lane", "83 Guildford Rd, EAST HOATHLY",
//! "Studio 72q\n9 Main Rd\nCAERPHILLY\nL88 9SY", "Rose Cottage, Mill Lane", "PO Box 104", and a street
//! named without a number where the sentence makes it a place ("she lives on Mill Lane").
//!
//! Royal Mail's address format drives the parse: an optional sub-premises ("Flat 3"), a house number
//! (perhaps with a letter or a range, perhaps after a building number), a thoroughfare whose name
//! ends in a thoroughfare word ("Road", "Rd", "Close", "Hill"…, a data file), and then, line by line
//! or after commas, more sub-premises, the locality and post town, and the postcode, which the
//! address span takes in. A country line ends the address: what follows it is reported on its own.
//!
//! An address set out in lines is one finding. One run into a sentence ("Flat 3, 4 Mill Lane"), or
//! exported with its line breaks escaped (`\n` as two characters), is reported part by part: the
//! sub-premises, the building number, the street with the town and postcode on its line. Each part
//! can then be redacted on its own, and labelled data marks them that way.
//!
//! Streets abroad are written with the house number after the name ("Magasinsgatan 7", "Via Tasso
//! 129", "ul. Chrzanowska 61"), or after the number but opened by a word for a street ("31 Rue de
//! Kairouan"). Those count when the name says it is a street (a word for one, or a street word's
//! ending, from a data file) and the words around make it a place; US forces' post ("Unit 5146 Box
//! 1772, DPO AE 91410") has a pattern of its own.
//!
//! Capitals carry much of the evidence. "12 High Street" is an address; "walked 5 miles down the
//! lane" is not, so a street in lower case needs a lead-in ("at", "address is") and no function words
//! in its name. A number after "Year", "page" or "£" is not a house number.

use std::collections::HashMap;

use regex::Regex;

use super::postcode::Postcodes;
use super::signals::Signals;
use super::text::{
    Lower, digits_end, ends_token, line_break, next_digit, skip_spaces, starts_token, word_before, word_end,
};
use super::{Hit, kind};

const WORDS: &str = include_str!("../../../lexicons/pii-address-words.txt");

/// Classes of address words, as bit flags: a word may be in several ("on" is a stop word and a
/// locative).
mod class {
    pub const STRONG: u16 = 1;
    pub const TYPE: u16 = 1 << 1;
    pub const DESIGNATOR: u16 = 1 << 2;
    pub const HOUSE: u16 = 1 << 3;
    pub const STOP: u16 = 1 << 4;
    pub const LOCATIVE: u16 = 1 << 5;
    pub const LEAD: u16 = 1 << 6;
    pub const NOTNUM: u16 = 1 << 7;
    pub const COUNTRY: u16 = 1 << 8;
    pub const COMMON: u16 = 1 << 9;
    pub const DWELL: u16 = 1 << 10;
    pub const FOREIGN: u16 = 1 << 11;
    pub const SUFFIX: u16 = 1 << 12;
    /// Either kind of thoroughfare word.
    pub const THOROUGHFARE: u16 = STRONG | TYPE;

    pub fn parse(name: &str) -> Option<u16> {
        Some(match name {
            "strong" => STRONG,
            "type" => TYPE,
            "designator" => DESIGNATOR,
            "house" => HOUSE,
            "stop" => STOP,
            "locative" => LOCATIVE,
            "lead" => LEAD,
            "notnum" => NOTNUM,
            "country" => COUNTRY,
            "common" => COMMON,
            "dwell" => DWELL,
            "foreign" => FOREIGN,
            "suffix" => SUFFIX,
            _ => return None,
        })
    }
}

/// A thoroughfare found after a house number.
struct Street {
    /// Where the house number (or, without one, the name) starts.
    start: usize,
    end: usize,
    /// A building number before the house number ("083" in "083 75 Guildford Rd").
    building: Option<(usize, usize)>,
    /// Written in lower case, so weaker evidence.
    lower: bool,
    /// The thoroughfare word, for the evidence.
    word: (usize, usize),
}

impl Street {
    fn new(start: usize, word: (usize, usize)) -> Street {
        Street { start, end: word.1, building: None, lower: false, word }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    SubPremises,
    Locality,
    Postcode,
}

/// One part an address took in after its street.
#[derive(Clone, Copy, Debug)]
struct TailPart {
    start: usize,
    end: usize,
    part: Part,
    /// A line break (real or escaped) came before it.
    after_break: bool,
}

/// What an address took in after its street, part by part.
#[derive(Default)]
struct Tail {
    parts: Vec<TailPart>,
}

impl Tail {
    fn end(&self, street_end: usize) -> usize {
        self.parts.last().map_or(street_end, |p| p.end)
    }

    fn has(&self, part: Part) -> bool {
        self.parts.iter().any(|p| p.part == part)
    }
}

pub(super) struct Addresses {
    words: HashMap<String, u16>,
    /// The `suffix` words, in lower case.
    suffixes: Vec<String>,
    po_box: Regex,
    military: Regex,
}

impl Addresses {
    pub(super) fn new() -> Result<Addresses, String> {
        let mut words: HashMap<String, u16> = HashMap::new();
        for (n, line) in WORDS.lines().enumerate() {
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = || format!("pii-address-words.txt:{}: expected word<TAB>class", n + 1);
            let (word, name) = line.split_once('\t').ok_or_else(bad)?;
            let flag = class::parse(name).ok_or_else(bad)?;
            *words.entry(word.to_lowercase()).or_default() |= flag;
        }
        let suffixes = words.iter().filter(|(_, c)| *c & class::SUFFIX != 0).map(|(w, _)| w.clone()).collect();
        let po_box = Regex::new(r"(?i)(?-u:\b)p\.? ?o\.? ?box\s+[0-9]{1,6}(?-u:\b)").map_err(|e| e.to_string())?;
        // US forces' mail (USPS Publication 28, section 225): a unit and box, or a ship, then APO, DPO
        // or FPO and the "state" AA, AE or AP with a ZIP code. The lines may be joined by commas or
        // by escaped line breaks. ASCII only, so that it compiles small at start-up.
        let military = Regex::new(
            r"(?i-u)\b(?:(?:psc|cmr|unit)\s+[0-9]{1,5},?\s+box\s+[0-9]{1,5}|(?:usns|uss|uscgc)\s+[a-z]+(?: [a-z]+){0,2})(?:\s|,|\\n)+[adf]po\s+a[aep]\s+[0-9]{5}\b",
        )
        .map_err(|e| e.to_string())?;
        Ok(Addresses { words, suffixes, po_box, military })
    }

    /// The strong thoroughfare words as they end a street's name ("Street", "Rd"), for the one pass
    /// that finds where streets without a number may be named. Not in capitals: "arrived at LOW
    /// STREET" names a village as often as a street.
    pub(super) fn street_words(&self) -> Vec<String> {
        let mut words: Vec<String> =
            self.words.iter().filter(|(_, c)| *c & class::STRONG != 0).map(|(w, _)| title_case(w)).collect();
        words.sort();
        words
    }

    pub(super) fn find(&self, text: &str, signals: &Signals, postcodes: &Postcodes, out: &mut Vec<Hit>) {
        let first = out.len();
        if signals.digits > 0 {
            self.numbered(text, postcodes, out);
            if signals.po_box {
                for m in self.po_box.find_iter(text) {
                    out.push(Hit::new(kind::ADDRESS, (m.start(), m.end()), 0.8, "PO Box number"));
                }
            }
            if signals.forces_post {
                for m in self.military.find_iter(text) {
                    let evidence = "US forces' post: unit or ship, APO/DPO/FPO and ZIP code";
                    out.push(Hit::new(kind::ADDRESS, (m.start(), m.end()), 0.9, evidence));
                }
            }
        }
        self.unnumbered(text, &signals.streets, postcodes, first, out);
    }

    /// A word's classes. ASCII words are lower-cased without allocating; the few others are looked
    /// up in their own script's lower case ("Λεωφόρος", "náměstí").
    fn class(&self, word: &str) -> u16 {
        let found = match Lower::new(word) {
            Some(l) => self.words.get(l.as_str()),
            None => self.words.get(&word.to_lowercase()),
        };
        found.copied().unwrap_or(0)
    }

    fn is(&self, word: &str, flags: u16) -> bool {
        self.class(word) & flags != 0
    }

    /// Addresses that start with a house number or a sub-premises.
    fn numbered(&self, text: &str, postcodes: &Postcodes, out: &mut Vec<Hit>) {
        let bytes = text.as_bytes();
        let mut at = 0;
        while let Some(i) = next_digit(bytes, at) {
            if !starts_token(text, i) {
                at = digits_end(bytes, i);
                continue;
            }
            let mut hits = self.address_at_number(text, i, postcodes);
            if hits.is_empty() {
                let earlier = out.iter().map(|h| h.end).filter(|&e| e <= i).max().unwrap_or(0);
                hits = self.name_first(text, i, earlier, postcodes).unwrap_or_default();
            }
            at = hits.iter().map(|h| h.end).max().unwrap_or_else(|| digits_end(bytes, i));
            out.extend(hits);
        }
    }

    /// The address whose first number starts at `n` (a sub-premises number or a house number), as
    /// one finding or as one per part; none when there is no address.
    fn address_at_number(&self, text: &str, n: usize, postcodes: &Postcodes) -> Vec<Hit> {
        self.address_parts(text, n, postcodes).unwrap_or_default()
    }

    fn address_parts(&self, text: &str, n: usize, postcodes: &Postcodes) -> Option<Vec<Hit>> {
        let designator = self.designator_before(text, n);
        let (start, street_at) = match designator {
            Some(d) => (d, separator(text, house_number(text, n)?)?),
            None if self.not_a_house_number(text, n) => return None,
            None => (n, n),
        };
        let street = self.street_after_number(text, n, street_at, designator.is_some(), postcodes)?;
        let tail = self.tail(text, street.end, postcodes);
        let (score, evidence) = self.grade(text, &street, &tail, designator.is_some());
        let end = tail.end(street.end);
        // An address set out in lines is one finding; one run into a sentence, or exported with its
        // line breaks escaped, is reported part by part so each part can be redacted on its own.
        if text[start..end].contains(['\n', '\r']) {
            return Some(vec![Hit::new(kind::ADDRESS, (start, end), score, evidence)]);
        }
        let sub_premises = designator.map(|d| (d, house_number(text, n).unwrap_or(n)));
        Some(split(&street, &tail, sub_premises, score, &evidence))
    }

    /// A street written the continental way, its house number after its name ("Magasinsgatan 7",
    /// "Via Tasso 129", "ul. Chrzanowska 61", "5049 Harjukuja 54, SEINÄJOKI"), the number being the
    /// one at `n`; the name may not reach back past `earlier`. A name and a number are everywhere
    /// ("Windows 10", "Arsenal 2"), so the name must say it is a street (a word for one, or a
    /// street word's ending) and the words around it must make it a place, or, without such a word,
    /// someone must be said to live there or the number must come between a postal code and a town.
    fn name_first(&self, text: &str, n: usize, earlier: usize, postcodes: &Postcodes) -> Option<Vec<Hit>> {
        let number_end = house_number(text, n)?;
        let name = self.name_before(text, n, earlier)?;
        // A word for a street names one only with a name beside it ("Rue 21" is a shop), and one
        // that is also an English preposition ("via Facebook 3") needs more than where it stands.
        let marker = name.iter().find(|&&(s, e)| self.street_ending(&text[s..e])).or_else(|| {
            name.iter().filter(|_| name.len() > 1).find(|&&(s, e)| self.class(&text[s..e]) & class::FOREIGN != 0)
        });
        let english = marker.is_some_and(|&(s, e)| self.is(&text[s..e], class::LOCATIVE));
        let name_start = name.last()?.0;
        let building = number_before(text, name_start).filter(|&(s, _)| s >= earlier);
        let opening = building.map_or(name_start, |(s, _)| s);
        let placed = self.placed_before(text, opening);
        let dwelling = self.dwelling_before(text, opening) || self.labelled_before(text, opening);
        if marker.is_none() && building.is_none() && !placed && !dwelling {
            // Nothing below can make it an address ("I have 2 dogs"): spare the tail's walk.
            return None;
        }
        let tail = self.tail(text, number_end, postcodes);
        let named_after = street_word_after(text, number_end);
        let found = match marker {
            Some(_) if english => building.is_some() || named_after || dwelling || !tail.parts.is_empty(),
            Some(_) => {
                placed || building.is_some() || named_after || !tail.parts.is_empty() || address_said(text, opening)
            }
            None => {
                (building.is_some() && placed && (named_after || !tail.parts.is_empty()))
                    || (dwelling && (closed_at(text, number_end) || !tail.parts.is_empty()))
                    || (tail.has(Part::SubPremises) && (building.is_some() || placed))
            }
        };
        if !found {
            return None;
        }
        let word = marker.copied().unwrap_or((name_start, name[0].1));
        let street = Street { start: name_start, end: number_end, building, lower: false, word };
        let score = match (marker.is_some(), tail.has(Part::Postcode)) {
            (true, true) => 0.92,
            (true, false) => 0.85,
            (false, _) => 0.75,
        };
        let evidence = format!(
            "street name {:?} with the house number after it{}",
            &text[word.0..word.1],
            if marker.is_some() { "" } else { ", where the words before make it an address" }
        );
        let end = tail.end(number_end);
        if text[opening..end].contains(['\n', '\r']) {
            return Some(vec![Hit::new(kind::ADDRESS, (opening, end), score, evidence)]);
        }
        Some(split(&street, &tail, None, score, &evidence))
    }

    /// The words of a street's name before the house number at `n`, nearest first: up to six
    /// capitalised words, with the particles of names like "Rue de Kairouan" and a word for a street
    /// in any case ("ul. Chrzanowska", "Gyula utca"). A name in lower case ("trg revolucije 17")
    /// must have a word for a street in it.
    fn name_before(&self, text: &str, n: usize, earlier: usize) -> Option<Vec<(usize, usize)>> {
        let mut words: Vec<(usize, usize)> = Vec::with_capacity(6);
        let (mut plain, mut any_foreign) = (false, false);
        let mut pos = n;
        while words.len() < 6 {
            let Some((s, e)) = name_word_before(text, pos).filter(|&(s, _)| s >= earlier) else { break };
            let word = &text[s..e];
            let class = self.class(word);
            let foreign = class & class::FOREIGN != 0;
            let ok = if word.chars().any(|c| c.is_ascii_digit()) {
                false
            } else if foreign {
                true
            } else if is_capitalised(word) {
                class & (class::STOP | class::LOCATIVE | class::NOTNUM | class::DWELL) == 0
            } else if PARTICLES.contains(&word) {
                !words.is_empty()
            } else {
                let lower_so_far = words.iter().all(|&(ws, we)| !is_capitalised(&text[ws..we]));
                let ok = lower_so_far && class & (class::STOP | class::COMMON | class::LOCATIVE | class::DWELL) == 0;
                plain |= ok;
                ok
            };
            if !ok {
                break;
            }
            words.push((s, e));
            any_foreign |= foreign;
            pos = s;
            // A word for a street opening the name ends it ("Via Tasso", "ul. Chrzanowska").
            if foreign && words.len() > 1 {
                break;
            }
        }
        while words.last().is_some_and(|&(s, e)| PARTICLES.contains(&&text[s..e])) {
            words.pop();
        }
        (!words.is_empty() && (!plain || any_foreign)).then_some(words)
    }

    /// A one-word street name with a street word's ending after three letters or more
    /// ("Magasinsgatan", "Villacherstrasse").
    fn street_ending(&self, word: &str) -> bool {
        let lower = word.to_lowercase();
        self.suffixes.iter().any(|s| lower.len() >= s.len() + 3 && lower.ends_with(s.as_str()))
    }

    /// Whether what comes before `pos` makes a street there a place: a colon ("Address: …"), the
    /// start of a line, a preposition ("on", "at", "to"), "corner of".
    fn placed_before(&self, text: &str, pos: usize) -> bool {
        let before = &text[..skip_spaces_back(text, pos).0];
        if before.is_empty() || before.ends_with([':', '\n', '\r']) || before.ends_with("\\n") {
            return true;
        }
        let Some((s, e)) = word_before(text, pos) else { return false };
        self.is(&text[s..e], class::LOCATIVE | class::LEAD | class::DWELL) || corner_of(text, s, e)
    }

    /// Whether a word of dwelling or address ends right before `pos`, perhaps with a colon
    /// ("address: ", "Address:     ").
    fn labelled_before(&self, text: &str, pos: usize) -> bool {
        let before = skip_spaces_back(text, pos).0;
        let Some(colon) = text[..before].strip_suffix(':') else { return false };
        word_before(text, colon.len()).is_some_and(|(s, e)| self.is(&text[s..e], class::DWELL))
    }

    /// The street an address's first number opens (`street_at` is where it starts, after any
    /// sub-premises). After a sub-premises the street may come without a number ("Flat 7\nTracy
    /// Way"), and a line of its own after one is the thoroughfare line whatever its last word ("Flat
    /// 9\nJoyce Shore"). "2064 Supreme Court" is a year before a weak thoroughfare word.
    fn street_after_number(
        &self,
        text: &str,
        n: usize,
        street_at: usize,
        after_sub_premises: bool,
        postcodes: &Postcodes,
    ) -> Option<Street> {
        let street = if after_sub_premises {
            self.street(text, street_at).or_else(|| {
                let own_line = line_break_within(text, n, street_at);
                self.named(text, street_at).or_else(|| own_line.then(|| self.whole_line(text, street_at, postcodes))?)
            })?
        } else {
            self.street(text, street_at).or_else(|| self.line_to_postcode(text, street_at, postcodes))?
        };
        let year = !after_sub_premises
            && text[n..].get(..4).and_then(|y| y.parse::<u16>().ok()).is_some_and(|y| (1900..=2099).contains(&y));
        (!year || self.is(&text[street.word.0..street.word.1], class::STRONG)).then_some(street)
    }

    /// The score and the evidence of an address: more parts, more certainty.
    fn grade(&self, text: &str, street: &Street, tail: &Tail, sub_premises: bool) -> (f32, String) {
        let sub_premises = sub_premises || tail.has(Part::SubPremises);
        let more = sub_premises || tail.has(Part::Locality);
        let score = match (street.lower, tail.has(Part::Postcode)) {
            (false, true) => 0.97,
            (true, true) => 0.9,
            (true, false) => 0.6,
            (false, false) if more => 0.92,
            (false, false) => 0.85,
        };
        let word = &text[street.word.0..street.word.1];
        let mut evidence = format!("house number and a street name ending in {word:?}");
        for (took, what) in
            [(sub_premises, "sub-premises"), (tail.has(Part::Locality), "town"), (tail.has(Part::Postcode), "postcode")]
        {
            if took {
                evidence.push_str(", with ");
                evidence.push_str(what);
            }
        }
        (score, evidence)
    }

    /// The thoroughfare after the house number at `pos`: "75 Guildford Rd", "083 75 Guildford Rd",
    /// "17 St Omers Road", "12 The Avenue", "12 mill lane".
    fn street(&self, text: &str, pos: usize) -> Option<Street> {
        let numbers = numbers_before_name(text, pos, house_number(text, pos)?)?;
        let words = self.name_words(text, numbers.name);
        let word = &text[words.first()?.0..words.first()?.1];
        let street = if is_capitalised(word) {
            self.capitalised_street(text, &words)
        } else {
            self.lower_case_street(text, pos, &words)
        }?;
        Some(Street { start: numbers.house, building: numbers.building, ..street })
    }

    /// A capitalised street name at `pos`, without a house number.
    fn named(&self, text: &str, pos: usize) -> Option<Street> {
        let words = self.name_words(text, pos);
        is_capitalised(&text[words.first()?.0..words.first()?.1]).then(|| self.capitalised_street(text, &words))?
    }

    /// "69 Leonard Pine\nWest Dianemouth\nSM8 8BH": a house number and capitalised words filling the
    /// line are a thoroughfare, whatever their last word, when the lines below end in a postcode.
    fn line_to_postcode(&self, text: &str, pos: usize, postcodes: &Postcodes) -> Option<Street> {
        let numbers = numbers_before_name(text, pos, house_number(text, pos)?)?;
        let street = Street {
            start: numbers.house,
            building: numbers.building,
            ..self.whole_line(text, numbers.name, postcodes)?
        };
        self.tail(text, street.end, postcodes).has(Part::Postcode).then_some(street)
    }

    /// One to three capitalised words that fill their line: a thoroughfare line by its place.
    fn whole_line(&self, text: &str, pos: usize, postcodes: &Postcodes) -> Option<Street> {
        let words = self.name_words(text, pos);
        let (s, e) = *words.get(..3.min(words.len()))?.last()?;
        let all_capitalised = words.iter().take(3).all(|&(ws, we)| is_capitalised(&text[ws..we]));
        let filled = self.locality_at(text, pos, postcodes).is_some_and(|(end, _)| end == e);
        (all_capitalised && filled && !self.is(&text[pos..e], class::STOP)).then_some(Street::new(pos, (s, e)))
    }

    /// Up to six words on one line, one space apart; a dot only after "St" ("St. James Road").
    fn name_words(&self, text: &str, mut at: usize) -> Vec<(usize, usize)> {
        let mut words = Vec::with_capacity(6);
        while words.len() < 6 {
            let end = word_end(text, at);
            if end == at {
                break;
            }
            words.push((at, end));
            let mut next = end;
            if text[next..].starts_with('.') && text[at..end].eq_ignore_ascii_case("st") {
                next += 1;
            }
            let (after, spaces) = skip_spaces(text, next);
            if !(1..=2).contains(&spaces) {
                break;
            }
            at = after;
        }
        words
    }

    /// A capitalised name ending in the last thoroughfare word among its words (so "Park Avenue",
    /// "Caradon Hill St" and "Thornton St" come out whole); a lower-case strong thoroughfare word may
    /// end it when no capitalised one came first ("12 High street"). A function word or a lone letter
    /// ends the name: street names have neither ("2 CATCH UP BUT WE AVE", "2 GO N E WAY").
    fn capitalised_street(&self, text: &str, words: &[(usize, usize)]) -> Option<Street> {
        if self.is(&text[words[0].0..words[0].1], class::FOREIGN) {
            return self.opened_street(text, words);
        }
        let mut last = None;
        for (k, &(s, e)) in words.iter().enumerate() {
            let word = &text[s..e];
            let opening_the = k == 0 && word.eq_ignore_ascii_case("the");
            if (self.is(word, class::STOP) && !opening_the) || word.chars().count() == 1 {
                break;
            }
            if is_capitalised(word) {
                if k >= 1 && self.is(word, class::THOROUGHFARE | class::FOREIGN) {
                    last = Some(k);
                }
                continue;
            }
            if k >= 1 && last.is_none() && self.is(word, class::STRONG | class::FOREIGN) {
                last = Some(k);
            }
            break;
        }
        Some(Street::new(words[0].0, words[last?]))
    }

    /// A name opened by a word for a street, as French, Italian, Spanish and Portuguese write it
    /// after the house number ("31 Rue de Kairouan", "12 Via Tasso", "8 Calle Mayor"): the words
    /// after it up to the last that is not a particle, lower-case ones included ("31 Rue tachkent").
    fn opened_street(&self, text: &str, words: &[(usize, usize)]) -> Option<Street> {
        let mut last = None;
        for (k, &(s, e)) in words.iter().enumerate().skip(1).take(4) {
            let word = &text[s..e];
            if PARTICLES.contains(&word) {
                continue;
            }
            let not_a_name = class::STOP | class::COMMON | class::DESIGNATOR | class::LOCATIVE | class::DWELL;
            if self.is(word, not_a_name) || word.chars().count() == 1 {
                break;
            }
            last = Some(k);
        }
        Some(Street::new(words[0].0, words[last?]))
    }

    /// "12 mill lane": only after a lead-in ("at", "address is"), with at most three name words, none
    /// of them a function word, ending in a strong thoroughfare word.
    fn lower_case_street(&self, text: &str, number: usize, words: &[(usize, usize)]) -> Option<Street> {
        let (ls, le) = word_before(text, number)?;
        if !self.is(&text[ls..le], class::LOCATIVE | class::LEAD) {
            return None;
        }
        if self.is(&text[words.first()?.0..words.first()?.1], class::FOREIGN) {
            return Some(Street { lower: true, ..self.opened_street(text, words)? });
        }
        for (k, &(s, e)) in words.iter().enumerate().take(4) {
            let word = &text[s..e];
            if k >= 1 && self.is(word, class::STRONG) {
                return Some(Street { lower: true, ..Street::new(words[0].0, (s, e)) });
            }
            let plain = word.chars().all(char::is_lowercase) && word.chars().count() >= 3;
            if !plain || self.is(word, class::STOP | class::COMMON | class::THOROUGHFARE) {
                return None;
            }
        }
        None
    }

    /// What follows a street and belongs to the address: sub-premises ("Studio 40"), the locality and
    /// post town, the postcode. A locality in capitals (the post town, as Royal Mail prints it) is
    /// taken at once; one in ordinary case only when a postcode follows it.
    fn tail(&self, text: &str, street_end: usize, postcodes: &Postcodes) -> Tail {
        let mut tail = Tail::default();
        let mut pending = Vec::new();
        let mut at = street_end;
        for _ in 0..6 {
            let Some(next) = separator(text, at) else { break };
            let after_break = line_break_within(text, at, next);
            let part = |end, part| TailPart { start: next, end, part, after_break };
            if let Some(p) = postcodes.at(text, next) {
                tail.parts.append(&mut pending);
                tail.parts.push(part(p.end, Part::Postcode));
                break;
            }
            if let Some(end) = self.sub_premises_at(text, next) {
                tail.parts.append(&mut pending);
                tail.parts.push(part(end, Part::SubPremises));
                at = end;
                continue;
            }
            let Some((end, capitals)) = self.locality_at(text, next, postcodes) else { break };
            pending.push(part(end, Part::Locality));
            if capitals && (after_break || text[at..next].contains(',')) {
                tail.parts.append(&mut pending);
            }
            at = end;
        }
        tail
    }

    /// "Flat 3", "Studio 72q", "Apt. 297", "Suite 5" starting at `pos`: where it ends.
    fn sub_premises_at(&self, text: &str, pos: usize) -> Option<usize> {
        let end = word_end(text, pos);
        if end == pos || !self.is(&text[pos..end], class::DESIGNATOR) || !is_capitalised(&text[pos..end]) {
            return None;
        }
        let after = if text[end..].starts_with('.') { end + 1 } else { end };
        let (ident, spaces) = skip_spaces(text, after);
        if spaces == 0 {
            return None;
        }
        house_number(text, ident).or_else(|| {
            let letter = text[ident..].chars().next().filter(char::is_ascii_uppercase)?;
            let end = ident + letter.len_utf8();
            ends_token(text, end).then_some(end)
        })
    }

    /// A sub-premises word right before the number at `n` ("Flat 3"): where the word starts.
    fn designator_before(&self, text: &str, n: usize) -> Option<usize> {
        let (before, _) = skip_spaces_back(text, n);
        let before = if text[..before].ends_with('.') { before - 1 } else { before };
        let start = word_start(text, before);
        let word = &text[start..before];
        (start < before && is_capitalised(word) && self.is(word, class::DESIGNATOR) && before < n).then_some(start)
    }

    /// A number after "£", "#", "Year" or "page" counts something else.
    fn not_a_house_number(&self, text: &str, n: usize) -> bool {
        if text[..n].ends_with(['£', '$', '€', '#', '+', '-', '/', ':', '.', ',', '@', '\'']) {
            return true;
        }
        word_before(text, n).is_some_and(|(s, e)| self.is(&text[s..e], class::NOTNUM))
    }

    /// One to four capitalised words filling the rest of a line (or followed by a comma or a
    /// postcode), not a country: where they end, and whether they are all in capitals.
    fn locality_at(&self, text: &str, pos: usize, postcodes: &Postcodes) -> Option<(usize, bool)> {
        let mut end = pos;
        let mut capitals = true;
        let mut at = pos;
        for _ in 0..4 {
            let word_to = word_end(text, at);
            let word = &text[at..word_to];
            if word_to == at || !is_capitalised(word) || word.chars().any(|c| c.is_ascii_digit()) {
                break;
            }
            capitals &= !word.chars().any(char::is_lowercase);
            end = word_to;
            let (next, spaces) = skip_spaces(text, word_to);
            if spaces != 1 {
                break;
            }
            at = next;
        }
        if end == pos || self.is(&text[pos..end], class::DESIGNATOR | class::COUNTRY) {
            return None;
        }
        let closed = closed_at(text, end) || postcodes.at(text, skip_spaces(text, end).0).is_some();
        closed.then_some((end, capitals))
    }

    /// Streets named without a number, where a preposition makes them a place ("lives on Mill
    /// Lane", "the corner of Mill Lane and Church Road"), or a house name comes first ("Rose
    /// Cottage, Mill Lane").
    fn unnumbered(
        &self,
        text: &str,
        streets: &[(usize, usize)],
        postcodes: &Postcodes,
        first: usize,
        out: &mut Vec<Hit>,
    ) {
        for &(s, e) in streets {
            if !starts_token(text, s) || !ends_token(text, e) || is_saint(text, s, e) {
                continue;
            }
            if out[first..].iter().any(|h| h.start <= s && e <= h.end) {
                continue;
            }
            let Some((start, house)) = self.named_street_start(text, s, &out[first..]) else { continue };
            let tail = self.tail(text, e, postcodes);
            let (score, evidence) = match (house, tail.has(Part::Postcode)) {
                (_, true) => (0.9, "street name and postcode"),
                (true, false) => (0.8, "house name and street name"),
                (false, false) => (0.6, "street name without a house number, named as a place"),
            };
            out.push(Hit::new(kind::ADDRESS, (start, tail.end(e)), score, evidence));
        }
    }

    /// Where a street name ending in the thoroughfare word at `type_start` begins, walking back over
    /// up to three capitalised words; and whether a house name opens it. `None` when nothing makes
    /// the name a place.
    fn named_street_start(&self, text: &str, type_start: usize, earlier: &[Hit]) -> Option<(usize, bool)> {
        let mut start = type_start;
        let mut names = 0;
        while let Some((s, e)) = word_before(text, start) {
            let one_space = skip_spaces(text, e) == (start, 1);
            let word = &text[s..e];
            if !one_space {
                break;
            }
            if is_capitalised(word) && names < 3 && !self.is(word, class::DESIGNATOR) {
                names += 1;
                start = s;
                continue;
            }
            let after_address = || earlier.iter().any(|h| h.end <= s && only_punctuation(&text[h.end..s]));
            let place = (self.is(word, class::LOCATIVE) && self.dwelling_before(text, s))
                || corner_of(text, s, e)
                || (matches!(word, "and" | "&") && after_address());
            return (names > 0 && place).then_some((start, false));
        }
        if names == 0 {
            return None;
        }
        self.house_name_before(text, start).map(|s| (s, true))
    }

    /// Whether one of the two words before `pos` says someone lives or is found there ("lives on",
    /// "moved to", "house just off"): a street named after that is someone's address, where "park on
    /// Church Road" only names a road.
    fn dwelling_before(&self, text: &str, pos: usize) -> bool {
        let Some((s, e)) = word_before(text, pos) else { return false };
        self.is(&text[s..e], class::DWELL)
            || word_before(text, s).is_some_and(|(s2, e2)| self.is(&text[s2..e2], class::DWELL))
    }

    /// A house name ending in "Cottage", "Farm", … followed by a comma right before `pos`.
    fn house_name_before(&self, text: &str, pos: usize) -> Option<usize> {
        let comma = text[..pos].trim_end_matches(' ').strip_suffix(',')?.len();
        let (s, e) = word_before(text, comma)?;
        if e != comma || !is_capitalised(&text[s..e]) || !self.is(&text[s..e], class::HOUSE) {
            return None;
        }
        let mut start = s;
        for _ in 0..2 {
            match word_before(text, start) {
                Some((ws, we)) if skip_spaces(text, we) == (start, 1) && is_capitalised(&text[ws..we]) => start = ws,
                _ => break,
            }
        }
        (start < s).then_some(start)
    }
}

/// Whether the 80 bytes before `pos` speak of an address ("update my address to the same:
/// Maarit and Hersnapvej 75"): with a street's own word in the name, nothing else is needed.
fn address_said(text: &str, pos: usize) -> bool {
    // Bytes, not chars: the word is ASCII, so a window starting inside a character cannot match.
    text.as_bytes()[pos.saturating_sub(80)..pos].windows(7).any(|w| w.eq_ignore_ascii_case(b"address"))
}

/// Lower-case words inside names of streets ("Rue de Kairouan", "Paseo del Atlántico").
const PARTICLES: &[&str] = &[
    "de", "del", "della", "di", "da", "do", "dos", "das", "du", "des", "la", "le", "les", "van", "von", "der", "den",
    "e", "y", "i",
];

/// The word of a street's name ending before `pos`: one or two spaces back, perhaps after a dot or
/// a slash that abbreviates it ("Str. 74", "Avda. Rio", "C/ Señores").
fn name_word_before(text: &str, pos: usize) -> Option<(usize, usize)> {
    let (end, spaces) = skip_spaces_back(text, pos);
    if !(1..=2).contains(&spaces) {
        return None;
    }
    let end = if text[..end].ends_with(['.', '/']) { end - 1 } else { end };
    let start = word_start(text, end);
    (start < end).then_some((start, end))
}

/// A number of up to six digits (a postal code, a building number) right before `pos`.
fn number_before(text: &str, pos: usize) -> Option<(usize, usize)> {
    let (end, spaces) = skip_spaces_back(text, pos);
    if spaces == 0 {
        return None;
    }
    let start = text[..end].trim_end_matches(|c: char| c.is_ascii_digit()).len();
    (start < end && end - start <= 6 && starts_token(text, start)).then_some((start, end))
}

/// "St.", "street" or "Str" right after a house number: the template English puts after a foreign
/// street ("Sludevej 13 St.").
fn street_word_after(text: &str, pos: usize) -> bool {
    let (at, spaces) = skip_spaces(text, pos);
    let end = word_end(text, at);
    spaces == 1 && ["st", "street", "str"].iter().any(|w| text[at..end].eq_ignore_ascii_case(w))
}

/// Whether the sentence or line closes at `pos`.
fn closed_at(text: &str, pos: usize) -> bool {
    let (at, _) = skip_spaces(text, pos);
    at == text.len() || line_break(text, at).is_some() || text[at..].starts_with([',', '.', ';', '!', '?'])
}

/// An address run into a sentence, part by part: the sub-premises before it, the building number,
/// the street with the town and postcode on its line, and each sub-premises after it.
fn split(street: &Street, tail: &Tail, sub_premises: Option<(usize, usize)>, score: f32, evidence: &str) -> Vec<Hit> {
    let part = |span, what: &str| Hit::new(kind::ADDRESS, span, score, format!("{what} of an address: {evidence}"));
    let mut hits: Vec<Hit> = sub_premises.into_iter().map(|span| part(span, "sub-premises")).collect();
    hits.extend(street.building.map(|span| part(span, "building number")));
    let mut street_end = street.end;
    let mut on_its_line = true;
    for p in &tail.parts {
        on_its_line &= !p.after_break && p.part != Part::SubPremises;
        if p.part == Part::SubPremises {
            hits.push(part((p.start, p.end), "sub-premises"));
        } else if on_its_line {
            street_end = p.end;
        }
    }
    hits.push(Hit::new(kind::ADDRESS, (street.start, street_end), score, evidence));
    hits.sort_by_key(|h| h.start);
    hits
}

/// A house number at `pos`: up to four digits, perhaps a range ("12-14") or a letter ("12a"), then
/// the end of the token. Returns its end.
fn house_number(text: &str, pos: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let digits = digits_end(bytes, pos);
    if digits == pos || digits - pos > 4 {
        return None;
    }
    let mut end = digits;
    if bytes.get(end) == Some(&b'-') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) {
        let to = digits_end(bytes, end + 1);
        if to - end - 1 <= 4 {
            end = to;
        }
    }
    if bytes.get(end).is_some_and(u8::is_ascii_alphabetic) && ends_token(text, end + 1) {
        end += 1;
    }
    ends_token(text, end).then_some(end)
}

/// The numbers that open a street: the house number, perhaps after a building number ("083 75
/// Guildford Rd").
struct Numbers {
    /// Where the house number starts.
    house: usize,
    /// Where the street's name starts.
    name: usize,
    building: Option<(usize, usize)>,
}

/// The numbers of a street starting at `pos`, whose first number ends at `first`.
fn numbers_before_name(text: &str, pos: usize, first: usize) -> Option<Numbers> {
    let at = number_gap(text, first)?;
    match house_number(text, at) {
        Some(second) => Some(Numbers { house: at, name: number_gap(text, second)?, building: Some((pos, first)) }),
        None => Some(Numbers { house: pos, name: at, building: None }),
    }
}

/// The space (or comma and space) between a number and what follows on its line.
fn number_gap(text: &str, pos: usize) -> Option<usize> {
    let at = if text[pos..].starts_with(',') { pos + 1 } else { pos };
    let (next, spaces) = skip_spaces(text, at);
    (1..=2).contains(&spaces).then_some(next)
}

/// What separates parts of an address: spaces, a comma, a line break (real or escaped), with the
/// quoting marks some exports put at the start of a line ("> ", "}} "). Returns where the next part
/// starts; `None` when nothing separates.
fn separator(text: &str, pos: usize) -> Option<usize> {
    let (mut at, spaces) = skip_spaces(text, pos);
    let mut moved = spaces > 0;
    if text[at..].starts_with(',') {
        at = skip_spaces(text, at + 1).0;
        moved = true;
    }
    for _ in 0..2 {
        let Some(next) = line_break(text, at) else { break };
        at = next;
        moved = true;
        at += text[at..].chars().take_while(|c| " \t?}>|*•".contains(*c)).map(char::len_utf8).sum::<usize>();
    }
    moved.then_some(at)
}

fn line_break_within(text: &str, from: usize, to: usize) -> bool {
    (from..to).any(|i| text.is_char_boundary(i) && line_break(text, i).is_some_and(|e| e <= to))
}

/// Whether the word at `start..end` is the "of" of "the corner of" or "the junction of".
fn corner_of(text: &str, start: usize, end: usize) -> bool {
    &text[start..end] == "of"
        && word_before(text, start).is_some_and(|(s, e)| matches!(&text[s..e], "corner" | "junction"))
}

fn only_punctuation(between: &str) -> bool {
    between.chars().all(|c| c.is_whitespace() || matches!(c, '.' | ','))
}

/// "St" before a capitalised name is Saint ("St Mary's"), not Street.
fn is_saint(text: &str, start: usize, end: usize) -> bool {
    if !text[start..end].eq_ignore_ascii_case("st") {
        return false;
    }
    let after = if text[end..].starts_with('.') { end + 1 } else { end };
    let (next, spaces) = skip_spaces(text, after);
    spaces == 1 && text[next..].chars().next().is_some_and(char::is_uppercase)
}

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

fn title_case(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn skip_spaces_back(text: &str, pos: usize) -> (usize, usize) {
    let trimmed = text[..pos].trim_end_matches(super::text::is_inline_space);
    (trimmed.len(), text[trimmed.len()..pos].chars().count())
}

fn word_start(text: &str, end: usize) -> usize {
    let trimmed = text[..end].trim_end_matches(char::is_alphanumeric);
    trimmed.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(&str, f32)> {
        let postcodes = Postcodes::new().unwrap();
        let addresses = Addresses::new().unwrap();
        let signals = super::super::signals::Marks::new(addresses.street_words()).unwrap().read(text);
        let mut out = Vec::new();
        addresses.find(text, &signals, &postcodes, &mut out);
        out.iter().map(|h| (&text[h.start..h.end], h.score)).collect()
    }

    fn spans(text: &str) -> Vec<&str> {
        found(text).into_iter().map(|(s, _)| s).collect()
    }

    #[test]
    fn numbered_streets() {
        assert_eq!(spans("The bus station is on 79 Argyll Road"), ["79 Argyll Road"]);
        assert_eq!(spans("He lives on the north side of 55 Hertingfordbury Rd."), ["55 Hertingfordbury Rd"]);
        assert_eq!(spans("Flat 3, 4 Mill Lane please"), ["Flat 3", "4 Mill Lane"], "part by part in a sentence");
        assert_eq!(spans("Flat 3\n4 Mill Lane"), ["Flat 3\n4 Mill Lane"], "whole when set out in lines");
        assert_eq!(spans("Address: Flat 7\nTracy Way\nWest Lydia\nE2 2NF"), ["Flat 7\nTracy Way\nWest Lydia\nE2 2NF"]);
        assert_eq!(spans("his address: 083 75 Guildford Rd, EAST HOATHLY"), ["083", "75 Guildford Rd, EAST HOATHLY"]);
        assert_eq!(spans("at 17 St Omers Road today"), ["17 St Omers Road"]);
        assert_eq!(spans("12a The Avenue"), ["12a The Avenue"]);
        assert_eq!(spans("12-14 High St. Then"), ["12-14 High St"]);
        assert_eq!(spans("corner of 7 Caradon Hill St. and"), ["7 Caradon Hill St"]);
        assert_eq!(spans("9 Main Rd street in FLUSHING"), ["9 Main Rd"]);
        assert_eq!(spans("she lives at 12 mill lane"), ["12 mill lane"]);
    }

    #[test]
    fn streets_named_before_their_number() {
        assert_eq!(spans("The bus station is on Villacher Strasse 89"), ["Villacher Strasse 89"]);
        assert_eq!(spans("Pedestrians must enter on Sludevej 13 St. first"), ["Sludevej 13"]);
        assert_eq!(spans("his address: 450 Præstevænget 15, København V"), ["450", "Præstevænget 15"]);
        assert_eq!(spans("drops you off at 9383 ul. Chrzanowska 61 St."), ["9383", "ul. Chrzanowska 61"]);
        assert_eq!(spans("Megan lives on Via Tasso 129 street."), ["Via Tasso 129"]);
        assert_eq!(spans("it is the corner of Dalbraut 99 and Frederikke Coves"), ["Dalbraut 99"]);
        assert_eq!(spans("Sven\n\n85199 Avda. Rio Nalon 58\n Apt. 461\n"), ["85199 Avda. Rio Nalon 58\n Apt. 461"]);
        assert_eq!(spans("to the same: 2613 avenida praia 1 suite 463"), ["2613", "avenida praia 1"]);
        // Without a word for a street, someone must live there, or a postal code and a town frame it.
        assert_eq!(spans("Daniela lives at 92597 Jahu 80, Liiva"), ["92597", "Jahu 80"]);
        assert!(spans("the bus station is on Pod Floriánem 1677").is_empty());
    }

    #[test]
    fn streets_opened_by_their_word_after_the_number() {
        assert_eq!(spans("Lóa lives at 79063 63 Rue de Kairouan, Cite El Farik"), ["63 Rue de Kairouan"]);
        assert_eq!(spans("my new address is 12 rue de la Paix, Paris"), ["12 rue de la Paix"]);
        assert_eq!(spans("lives at 28919 136 Filadelfeos Str., Klirou"), ["136 Filadelfeos Str"]);
    }

    #[test]
    fn forces_post() {
        assert_eq!(
            spans("Please return to Unit 5146 Box 1772\nDPO AE 91410 in case"),
            ["Unit 5146 Box 1772\nDPO AE 91410"]
        );
        assert_eq!(spans("located at USNS Saibara\nFPO AP 12428. It"), ["USNS Saibara\nFPO AP 12428"]);
        assert_eq!(spans("address:     psc 4526, box 0671, apo ap 40902"), ["psc 4526, box 0671, apo ap 40902"]);
    }

    #[test]
    fn addresses_take_their_lines() {
        assert_eq!(
            spans("Studio 72q\n9 Main Rd\nCAERPHILLY\nL88 9SY is it"),
            ["Studio 72q\n9 Main Rd\nCAERPHILLY\nL88 9SY"]
        );
        assert_eq!(spans("6 18 Station Rd\nLYDDEN\nLE5 5QH\\nMobile: 077"), ["6 18 Station Rd\nLYDDEN\nLE5 5QH"]);
        assert_eq!(spans("12 High Street, Leeds LS1 4AB"), ["12 High Street, Leeds LS1 4AB"]);
        // Escaped line breaks: an export, not a layout, so part by part.
        assert_eq!(
            spans("7 73 St Omers Road\\n Studio 40\\n HINDFORD\\n United Kingdom S54 3PE"),
            ["7", "73 St Omers Road", "Studio 40"]
        );
        assert_eq!(
            spans("1 81 Thornton St Studio 00S\\n   HUTTON HENRY\\n    nan\\n    TS27 8GE"),
            ["1", "81 Thornton St", "Studio 00S"]
        );
        assert_eq!(spans("Flat 6 53 17 St Omers Road\\nHIPPERHOLME nan HX3 4DR"), ["Flat 6", "53", "17 St Omers Road"]);
        assert_eq!(spans("12 High Street\nThanks Bob"), ["12 High Street"]);
    }

    #[test]
    fn streets_without_numbers() {
        assert_eq!(spans("she lives on Mill Lane."), ["Mill Lane"]);
        assert_eq!(spans("a girl that lived off Mack Road"), ["Mack Road"]);
        assert!(spans("please don't park on Church Road").is_empty());
        assert_eq!(
            spans("the corner of 7 Caradon Hill St. and Carlsen Rapids St. now"),
            ["7 Caradon Hill St", "Carlsen Rapids St"]
        );
        assert_eq!(spans("send it to Rose Cottage, Mill Lane"), ["Rose Cottage, Mill Lane"]);
        assert_eq!(spans("at the corner of Mill Lane and Church Road."), ["Mill Lane", "Church Road"]);
        assert!(spans("Mill Lane and Church Road are closed, and 12 High Street").len() == 1);
        assert_eq!(spans("write to PO Box 104"), ["PO Box 104"]);
        assert!(spans("the High Street was busy").is_empty());
        assert!(spans("Mill Lane is closed").is_empty());
        assert!(spans("we went to St Mary's for mass").is_empty());
    }

    #[test]
    fn not_addresses() {
        for text in [
            "walked 5 miles down the lane",
            "This 40 year old female complaining of stomach pain.",
            "Year 7 Park Road trip",
            "it cost £5 Park Lane",
            "page 12 Green Street",
            "got 2 new road bikes",
            "Guilty Pleasures: 5 Musicians Of The 70s",
            "Scunthorpe 2 Grimsby 1",
            "I have 2 Dogs. Park Lane is nice",
            "at 3 Church",
            "THANX4 TODAY CER IT WAS NICE 2 CATCH UP BUT WE AVE 2 FIND MORE TIME",
            "FRAN I DECIDED 2 GO N E WAY IM COMPLETELY BROKE",
            "claim 2 VIP row A Tickets",
            "In 2014 you tweeted that. - 2064 Supreme Court Confirmation Hearing",
            "High then watching the wolf of Wall Street",
            "The Princess Royal arrived at LOW STREET this morning",
            "I love Renegade 2 so much",
            "Windows 10 is rubbish",
            "Arsenal 2, Chelsea 1",
            "Rue 21 sale",
            "sent via Facebook 3 times",
            "Via Rail 12 delayed",
            "Year 6 trip to Via Ferrata 2 was great",
            "Harry Potter 3 is on tonight",
            "Scunthorpe 2 Grimsby 1",
            "the game is on Channel 4.",
            "our 12 Rue lives on in the shop window",
        ] {
            assert!(spans(text).is_empty(), "{text}: {:?}", spans(text));
        }
    }

    #[test]
    fn evidence_sets_the_score() {
        let score = |t: &str| found(t)[0].1;
        assert!(score("12 High Street, Leeds LS1 4AB") > score("12 High Street, LEEDS"));
        assert!(score("12 High Street, LEEDS") > score("12 High Street"));
        assert!(score("12 High Street") > score("lives at 12 high street"));
    }
}
