//! Other countries' numbering plans, loaded one calling code at a time.
//!
//! Numbers outside +44 are checked by the `phonenumber` crate's own `parse_with` and
//! `is_valid_with`. Its default database compiles every country's patterns the first time it is
//! used: 560 million instructions, 0.1 s of one core, which was 30% of the instructions of a
//! 20,000-comment stream, spent on the first number from abroad. So `data/world-numbering.tsv`
//! holds the same metadata (a test checks it against the crate's), and the database for a calling
//! code is built from its lines the first time a number with that code appears.
//!
//! The file keeps what parsing and validating read: each region's prefixes and the patterns and
//! lengths of the number types `is_valid` tells apart. Formats, examples and the types that only
//! formatting or short numbers use are left out.

use std::collections::HashMap;
use std::sync::OnceLock;

use phonenumber::metadata::{Database, loader};

const WORLD_PLAN: &str = include_str!("../../../data/world-numbering.tsv");

/// Every calling code's lines in the file, and its database once built.
pub(super) struct World {
    plans: HashMap<u16, Plan>,
}

struct Plan {
    /// The first line number (for errors) and the code's lines.
    line: usize,
    lines: &'static str,
    database: OnceLock<Option<Database>>,
}

impl World {
    pub(super) fn new() -> Result<World, String> {
        // Where each calling code's lines start: the file keeps a code's regions together.
        let mut starts: Vec<(u16, usize, usize)> = Vec::new();
        let mut offset = 0;
        for (n, line) in WORLD_PLAN.split_inclusive('\n').enumerate() {
            if let Some(region) = line.strip_prefix("region\t") {
                let code = region.split('\t').nth(1).and_then(|c| c.parse::<u16>().ok());
                let code = code.ok_or(format!("data/world-numbering.tsv:{}: expected region ID CODE …", n + 1))?;
                if starts.last().map(|s| s.0) != Some(code) {
                    starts.push((code, n + 1, offset));
                }
            }
            offset += line.len();
        }
        let mut plans = HashMap::with_capacity(starts.len());
        for (i, &(code, line, start)) in starts.iter().enumerate() {
            let end = starts.get(i + 1).map_or(WORLD_PLAN.len(), |next| next.2);
            let plan = Plan { line, lines: &WORLD_PLAN[start..end], database: OnceLock::new() };
            if plans.insert(code, plan).is_some() {
                return Err(format!("data/world-numbering.tsv:{line}: the regions of +{code} are not together"));
            }
        }
        Ok(World { plans })
    }

    /// The database for the calling code that `digits` (after the international prefix) start
    /// with, built on first use. Calling codes are a prefix code, so at most one fits.
    pub(super) fn database(&self, digits: &str) -> Option<&Database> {
        let code =
            (1..=3.min(digits.len())).filter_map(|n| digits[..n].parse().ok()).find(|c| self.plans.contains_key(c))?;
        self.code(code)
    }

    /// The database of one calling code. A plan that failed to build would validate no number; the
    /// tests build every one, so that cannot ship.
    pub(super) fn code(&self, code: u16) -> Option<&Database> {
        let plan = self.plans.get(&code)?;
        plan.database.get_or_init(|| plan.build().ok()).as_ref()
    }

    #[cfg(test)]
    fn codes(&self) -> impl Iterator<Item = u16> + '_ {
        self.plans.keys().copied()
    }
}

impl Plan {
    fn build(&self) -> Result<Database, String> {
        Database::from(self.metadata()?).map_err(|e| format!("data/world-numbering.tsv:{}: {e}", self.line))
    }

    /// The code's regions as the `phonenumber` crate's loader would give them.
    fn metadata(&self) -> Result<Vec<loader::Metadata>, String> {
        let mut regions: Vec<loader::Metadata> = Vec::new();
        for (n, line) in self.lines.lines().enumerate() {
            let bad = |what: &str| format!("data/world-numbering.tsv:{}: {what}", self.line + n);
            let fields: Vec<&str> = line.split('\t').collect();
            let text = |s: &str| (!s.is_empty()).then(|| s.to_string());
            match fields[..] {
                ["region", id, code, main, leading, international, national, for_parsing, transform] => {
                    regions.push(loader::Metadata {
                        id: text(id),
                        country_code: Some(code.parse().map_err(|_| bad("bad calling code"))?),
                        main_country_for_code: main == "main",
                        leading_digits: text(leading),
                        international_prefix: text(international),
                        national_prefix: text(national),
                        national_prefix_for_parsing: text(for_parsing),
                        national_prefix_transform_rule: text(transform),
                        ..Default::default()
                    });
                }
                [kind, lengths, local, pattern] => {
                    let region = regions.last_mut().ok_or_else(|| bad("a number type before any region"))?;
                    let descriptor = loader::Descriptor {
                        national_number: Some(pattern.to_string()),
                        possible_length: parse_lengths(lengths).ok_or_else(|| bad("bad lengths"))?,
                        possible_local_length: parse_lengths(local).ok_or_else(|| bad("bad local lengths"))?,
                        example: None,
                    };
                    *descriptor_mut(region, kind).ok_or_else(|| bad("unknown number type"))? = Some(descriptor);
                }
                _ => return Err(bad("expected a region or a number type")),
            }
        }
        Ok(regions)
    }
}

fn parse_lengths(s: &str) -> Option<Vec<u16>> {
    if s.is_empty() {
        return Some(Vec::new());
    }
    s.split(',').map(|n| n.parse().ok()).collect()
}

fn descriptor_mut<'m>(m: &'m mut loader::Metadata, kind: &str) -> Option<&'m mut Option<loader::Descriptor>> {
    Some(match kind {
        "general" => &mut m.general,
        "fixed_line" => &mut m.fixed_line,
        "mobile" => &mut m.mobile,
        "toll_free" => &mut m.toll_free,
        "premium_rate" => &mut m.premium_rate,
        "shared_cost" => &mut m.shared_cost,
        "personal_number" => &mut m.personal_number,
        "voip" => &mut m.voip,
        "pager" => &mut m.pager,
        "uan" => &mut m.uan,
        "voicemail" => &mut m.voicemail,
        _ => return None,
    })
}

/// A pattern of the `phonenumber` crate's metadata on one line: the metadata lays patterns out over
/// many lines for a whitespace-ignoring regex, which is how they are compiled again. For the tests
/// that copy the metadata here and into uk-numbering.tsv.
#[cfg(test)]
pub(super) fn squeeze(pattern: &str) -> String {
    assert!(!pattern.contains("\\ "), "an escaped space would not survive: {pattern}");
    pattern.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Possible lengths as the numbering files write them: `10,11`.
#[cfg(test)]
pub(super) fn joined(lengths: &[u16]) -> String {
    lengths.iter().map(u16::to_string).collect::<Vec<_>>().join(",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use phonenumber::metadata::{DATABASE, Descriptor, Metadata};

    /// `data/world-numbering.tsv` as the `phonenumber` crate's metadata gives it.
    fn world_plan_from_metadata() -> String {
        let mut out = String::from(
            "# Every numbering plan but +44's (see uk-numbering.tsv), copied from the metadata of the\n\
             # `phonenumber` crate (libphonenumber's PhoneNumberMetadata.xml): what its parse and is_valid\n\
             # read. Generated: GATEHOUSE_WRITE_WORLD_PLAN=1 cargo test -p analyse world_plan\n\
             # region\tID\tcalling code\tmain or other\tleading digits\tinternational prefix\tnational prefix\t\
             national prefix for parsing\tits transform rule\n\
             # number type\tpossible lengths\tpossible local lengths\tpattern\n",
        );
        let mut codes: Vec<u16> = DATABASE.iter().map(Metadata::country_code).filter(|&c| c != 44).collect();
        codes.sort_unstable();
        codes.dedup();
        for code in codes {
            for region in DATABASE.by_code(&code).expect("a code the database lists") {
                write_region(&mut out, region);
            }
        }
        out
    }

    fn write_region(out: &mut String, m: &Metadata) {
        let fields = [
            "region".to_string(),
            m.id().to_string(),
            m.country_code().to_string(),
            (if m.is_main_country_for_code() { "main" } else { "other" }).to_string(),
            m.leading_digits().map(|r| squeeze(r.as_str())).unwrap_or_default(),
            m.international_prefix().map(|r| squeeze(r.as_str())).unwrap_or_default(),
            m.national_prefix().unwrap_or_default().to_string(),
            m.national_prefix_for_parsing().map(|r| squeeze(r.as_str())).unwrap_or_default(),
            m.national_prefix_transform_rule().unwrap_or_default().to_string(),
        ];
        push_line(out, &fields);
        let d = m.descriptors();
        let kinds: [(&str, Option<&Descriptor>); 11] = [
            ("general", Some(d.general())),
            ("fixed_line", d.fixed_line()),
            ("mobile", d.mobile()),
            ("toll_free", d.toll_free()),
            ("premium_rate", d.premium_rate()),
            ("shared_cost", d.shared_cost()),
            ("personal_number", d.personal_number()),
            ("voip", d.voip()),
            ("pager", d.pager()),
            ("uan", d.uan()),
            ("voicemail", d.voicemail()),
        ];
        for (kind, descriptor) in kinds {
            let Some(descriptor) = descriptor else { continue };
            let fields = [
                kind.to_string(),
                joined(descriptor.possible_length()),
                joined(descriptor.possible_local_length()),
                squeeze(descriptor.national_number().as_str()),
            ];
            push_line(out, &fields);
        }
    }

    fn push_line(out: &mut String, fields: &[String]) {
        for (i, field) in fields.iter().enumerate() {
            assert!(!field.contains(['\t', '\n']), "{field:?}");
            if i > 0 {
                out.push('\t');
            }
            out.push_str(field);
        }
        out.push('\n');
    }

    #[test]
    fn world_plan_matches_the_phonenumber_metadata() {
        let expected = world_plan_from_metadata();
        if std::env::var_os("GATEHOUSE_WRITE_WORLD_PLAN").is_some() {
            std::fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/data/world-numbering.tsv"), &expected).unwrap();
        }
        assert!(
            WORLD_PLAN == expected,
            "data/world-numbering.tsv is out of date with the phonenumber crate: regenerate it"
        );
    }

    /// What the crate's default database says of `+digits`: whether it is valid, and the region.
    fn crate_says(db: &Database, digits: &str) -> Option<(bool, String)> {
        let number = phonenumber::parse_with(db, None, format!("+{digits}")).ok()?;
        let region = number.metadata(db).map(|m| m.id().to_string()).unwrap_or_default();
        Some((phonenumber::is_valid_with(db, &number), region))
    }

    #[test]
    fn every_code_validates_as_the_crate_does() {
        let world = World::new().unwrap();
        let mut codes: Vec<u16> = world.codes().collect();
        codes.sort_unstable();
        let mut checked = 0;
        for code in codes {
            let ours = world.code(code).unwrap_or_else(|| panic!("+{code}: {:?}", world.plans[&code].build().err()));
            for region in DATABASE.by_code(&code).unwrap() {
                let d = region.descriptors();
                let examples = [d.fixed_line(), d.mobile(), d.toll_free(), d.premium_rate(), d.voip(), d.uan()]
                    .into_iter()
                    .flatten()
                    .filter_map(Descriptor::example);
                for example in examples {
                    let digits = format!("{code}{example}");
                    let mut last_changed = digits.clone();
                    let last = last_changed.pop().unwrap();
                    last_changed.push(if last == '9' { '0' } else { '9' });
                    for digits in
                        [digits.clone(), format!("{digits}0"), digits[..digits.len() - 1].to_string(), last_changed]
                    {
                        let via = world.database(&digits).map(|db| std::ptr::eq(db, ours));
                        assert_eq!(via, Some(true), "+{digits} finds its code");
                        assert_eq!(crate_says(ours, &digits), crate_says(&DATABASE, &digits), "+{digits}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 3000, "{checked}");
    }

    #[test]
    fn calling_codes_are_a_prefix_code() {
        let world = World::new().unwrap();
        let codes: Vec<String> = world.codes().map(|c| c.to_string()).collect();
        for a in &codes {
            assert!(!codes.iter().any(|b| b != a && b.starts_with(a.as_str())), "+{a} begins another code");
        }
        assert!(world.database("44207946").is_none(), "+44 is the UK plan's");
        assert!(world.database("999").is_none());
    }
}
