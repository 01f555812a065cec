//! Reading an MIS roster export (P2.6): the pupils on roll, with their consents.
//!
//! Exports come from several MIS products and from hand-kept spreadsheets, so the reader is forgiving
//! about the shape (headers in any order and case, extra columns ignored, a byte-order mark, blank lines)
//! and strict about the content: a row it cannot take is reported with its spreadsheet row number (the
//! header is row 1) and the reason, and the rest of the file is still taken. Reading is pure: the plan
//! it returns is applied by the store in one transaction.

use std::collections::HashMap;
use std::fmt;

use crate::consent::{ConsentState, check_use_name};
use crate::people::{PersonDetails, PersonKind, Year};

/// The columns every roster must have, as they are spelled in the brief of the common MIS exports.
pub const REQUIRED: [&str; 6] = ["UPN", "Forename", "Surname", "Preferred Forename", "Year", "Reg Group"];

/// Other spellings seen in exports, mapped to the column they mean.
const SYNONYMS: [(&str, &str); 6] = [
    ("legal forename", "forename"),
    ("legal surname", "surname"),
    ("first name", "forename"),
    ("last name", "surname"),
    ("preferred first name", "preferred forename"),
    ("registration group", "reg group"),
];

/// The longest name or group the store keeps; anything longer is a misaligned or corrupt row.
const MAX_FIELD: usize = 100;

/// Why a whole file cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("the file is empty")]
    Empty,
    #[error("the header row is missing {}", .0.join(", "))]
    MissingColumns(Vec<&'static str>),
    #[error("the header row has {0:?} twice")]
    DuplicateColumn(String),
    #[error("the header row is not UTF-8 text")]
    HeaderNotUtf8,
    #[error("row {row}: the CSV cannot be read further: {message}")]
    Csv { row: u64, message: String },
}

/// Why one row was not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    WrongColumnCount {
        expected: usize,
        found: usize,
    },
    NotUtf8,
    EmptyUpn,
    /// The UPN was already taken from an earlier row.
    DuplicateUpn {
        upn: String,
        first_row: u64,
    },
    Empty(&'static str),
    TooLong(&'static str),
    BadYear(String),
    BadConsent {
        use_name: String,
        value: String,
    },
    /// A `Consent: <use>` column the school does not ask consent for, with a value in this row.
    UnknownConsentUse(String),
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::WrongColumnCount { expected, found } => {
                write!(f, "has {found} columns, the header has {expected}")
            }
            Reason::NotUtf8 => f.write_str("is not UTF-8 text"),
            Reason::EmptyUpn => f.write_str("UPN is empty"),
            Reason::DuplicateUpn { upn, first_row } => write!(f, "UPN {upn} is already on row {first_row}"),
            Reason::Empty(column) => write!(f, "{column} is empty"),
            Reason::TooLong(column) => write!(f, "{column} is longer than {MAX_FIELD} characters"),
            Reason::BadYear(value) => write!(f, "Year {value:?} is not N, R or 1 to 13"),
            Reason::BadConsent { use_name, value } => {
                write!(f, "Consent: {use_name} is {value:?}; expected Y, N or blank")
            }
            Reason::UnknownConsentUse(name) => {
                write!(f, "Consent: {name} is not a consent use this school asks for")
            }
        }
    }
}

/// A row that was not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    /// Spreadsheet numbering: the header is row 1.
    pub row: u64,
    pub reason: Reason,
}

/// A row that was taken: a pupil and the consents the export records for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterRow {
    pub row: u64,
    pub person: PersonDetails,
    /// `(use, state)`: Y is granted, N refused; blank cells are left out (nothing recorded).
    pub consents: Vec<(String, ConsentState)>,
}

impl RosterRow {
    /// The pupil's UPN (always present on a taken row).
    pub fn upn(&self) -> &str {
        self.person.external_id.as_deref().unwrap_or("")
    }
}

/// What a roster file says, ready to apply.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub rows: Vec<RosterRow>,
    pub rejected: Vec<Rejected>,
}

/// Where each column this reader needs sits in the file.
struct Columns {
    count: usize,
    upn: usize,
    forename: usize,
    surname: usize,
    preferred: usize,
    year: usize,
    reg_group: usize,
    /// `(index, use name, whether the school knows the use)`.
    consents: Vec<(usize, String, bool)>,
}

/// Lower-cases and collapses whitespace, so `" Reg  group"` and `"REG GROUP"` are one column.
fn normalise_header(h: &str) -> String {
    let h = h.trim_start_matches('\u{feff}');
    let words: Vec<&str> = h.split_whitespace().collect();
    let joined = words.join(" ").to_lowercase();
    SYNONYMS.iter().find(|(alias, _)| *alias == joined).map(|(_, canonical)| canonical.to_string()).unwrap_or(joined)
}

/// `Consent: Photo Online` → `photo_online`.
fn consent_use_of(header: &str) -> Option<String> {
    let rest = header.strip_prefix("consent:")?.trim();
    Some(rest.replace([' ', '-'], "_"))
}

fn columns(header: &csv::ByteRecord, known_uses: &[String]) -> Result<Columns, FileError> {
    let names = header
        .iter()
        .map(|h| std::str::from_utf8(h).map(normalise_header).map_err(|_| FileError::HeaderNotUtf8))
        .collect::<Result<Vec<_>, _>>()?;
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, name) in names.iter().enumerate() {
        if !name.is_empty() && index.insert(name, i).is_some() {
            return Err(FileError::DuplicateColumn(name.clone()));
        }
    }
    let missing: Vec<&'static str> =
        REQUIRED.into_iter().filter(|r| !index.contains_key(r.to_lowercase().as_str())).collect();
    if !missing.is_empty() {
        return Err(FileError::MissingColumns(missing));
    }
    let at = |name: &str| index[name];
    let consents = names
        .iter()
        .enumerate()
        .filter_map(|(i, h)| consent_use_of(h).map(|u| (i, u)))
        .map(|(i, u)| {
            let known = check_use_name(&u).is_ok() && known_uses.contains(&u);
            (i, u, known)
        })
        .collect();
    Ok(Columns {
        count: names.len(),
        upn: at("upn"),
        forename: at("forename"),
        surname: at("surname"),
        preferred: at("preferred forename"),
        year: at("year"),
        reg_group: at("reg group"),
        consents,
    })
}

/// Reads Y, N or blank (also Yes and No, in any case).
fn consent_value(value: &str) -> Result<Option<ConsentState>, ()> {
    match value.trim().to_ascii_lowercase().as_str() {
        "" => Ok(None),
        "y" | "yes" => Ok(Some(ConsentState::Granted)),
        "n" | "no" => Ok(Some(ConsentState::Refused)),
        _ => Err(()),
    }
}

fn required_text(value: &str, column: &'static str) -> Result<String, Reason> {
    let v = value.trim();
    match v.chars().count() {
        0 => Err(Reason::Empty(column)),
        n if n > MAX_FIELD => Err(Reason::TooLong(column)),
        _ => Ok(v.to_string()),
    }
}

fn optional_text(value: &str, column: &'static str) -> Result<Option<String>, Reason> {
    match value.trim() {
        "" => Ok(None),
        _ => required_text(value, column).map(Some),
    }
}

/// Turns one record into a row, or says why not (duplicates are checked by the caller).
fn read_row(row: u64, record: &csv::ByteRecord, cols: &Columns) -> Result<RosterRow, Reason> {
    if record.len() != cols.count {
        return Err(Reason::WrongColumnCount { expected: cols.count, found: record.len() });
    }
    let fields = record.iter().map(std::str::from_utf8).collect::<Result<Vec<_>, _>>().map_err(|_| Reason::NotUtf8)?;
    let upn = fields[cols.upn].trim().to_uppercase();
    if upn.is_empty() {
        return Err(Reason::EmptyUpn);
    }
    if upn.chars().count() > MAX_FIELD {
        return Err(Reason::TooLong("UPN"));
    }
    let legal_first = required_text(fields[cols.forename], "Forename")?;
    let legal_last = required_text(fields[cols.surname], "Surname")?;
    let preferred_first = optional_text(fields[cols.preferred], "Preferred Forename")?;
    let year = fields[cols.year].parse::<Year>().map_err(|e| Reason::BadYear(e.0))?;
    let reg_group = optional_text(fields[cols.reg_group], "Reg Group")?;
    let mut consents = Vec::new();
    for (i, use_name, known) in &cols.consents {
        let value = fields[*i];
        let state = consent_value(value)
            .map_err(|()| Reason::BadConsent { use_name: use_name.clone(), value: value.to_string() })?;
        match (state, known) {
            (None, _) => {}
            (Some(_), false) => return Err(Reason::UnknownConsentUse(use_name.clone())),
            (Some(s), true) => consents.push((use_name.clone(), s)),
        }
    }
    let person = PersonDetails {
        external_id: Some(upn),
        kind: PersonKind::Pupil,
        legal_first,
        legal_last,
        preferred_first,
        year: Some(year),
        reg_group,
        current: true,
    };
    Ok(RosterRow { row, person, consents })
}

fn is_blank(record: &csv::ByteRecord) -> bool {
    record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace))
}

/// Counts the line breaks inside a record's fields, to keep spreadsheet row numbers right when a
/// quoted cell spans lines.
fn embedded_newlines(record: &csv::ByteRecord) -> u64 {
    record.iter().map(|f| f.iter().filter(|&&b| b == b'\n').count() as u64).sum()
}

/// Finds the line each record starts on. Spreadsheets show a blank line as a row and a multi-line cell
/// as one row, while the CSV reader skips blank lines, so a spreadsheet row number is rebuilt from
/// where each record's first byte sits, less the line breaks inside earlier records' cells.
struct Lines<'a> {
    input: &'a [u8],
    offset: usize,
    line: u64,
}

impl Lines<'_> {
    /// The line of the first byte at or after `byte` that is not a line break.
    fn line_at(&mut self, byte: u64) -> u64 {
        let len = self.input.len();
        let mut b = usize::try_from(byte).unwrap_or(len).clamp(self.offset, len);
        while b < len && matches!(self.input[b], b'\n' | b'\r') {
            b += 1;
        }
        self.line += self.input[self.offset..b].iter().filter(|&&c| c == b'\n').count() as u64;
        self.offset = b;
        self.line
    }
}

/// Reads a roster export. `known_uses` are the school's consent uses; a value in any other
/// `Consent: <use>` column rejects its row.
pub fn parse(input: &[u8], known_uses: &[String]) -> Result<Plan, FileError> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(input);
    let mut record = csv::ByteRecord::new();
    let csv_error = |row, e: csv::Error| FileError::Csv { row, message: e.to_string() };
    if !reader.read_byte_record(&mut record).map_err(|e| csv_error(1, e))? {
        return Err(FileError::Empty);
    }
    let cols = columns(&record, known_uses)?;
    let mut plan = Plan::default();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut lines = Lines { input, offset: 0, line: 1 };
    let mut folded = embedded_newlines(&record);
    let mut row = 1;
    loop {
        let start = reader.position().byte();
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_error(row + 1, e)),
        }
        row = lines.line_at(start).saturating_sub(folded).max(row + 1);
        folded += embedded_newlines(&record);
        if is_blank(&record) {
            continue;
        }
        match read_row(row, &record, &cols) {
            Err(reason) => plan.rejected.push(Rejected { row, reason }),
            Ok(taken) => match seen.get(taken.upn()) {
                Some(&first_row) => plan
                    .rejected
                    .push(Rejected { row, reason: Reason::DuplicateUpn { upn: taken.upn().to_string(), first_row } }),
                None => {
                    seen.insert(taken.upn().to_string(), row);
                    plan.rows.push(taken);
                }
            },
        }
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn uses() -> Vec<String> {
        vec!["name_online".into(), "photo_online".into(), "photo_press".into()]
    }

    const HEADER: &str = "UPN,Forename,Surname,Preferred Forename,Year,Reg Group,Consent: photo_online\n";

    #[test]
    fn headers_in_any_order_and_case() {
        let csv = "\u{feff}reg group,YEAR,surname,UPN,forename,Preferred  Forename,consent: PHOTO ONLINE\n\
                   3K,3,Khan,a123,Muhammad,Mo,y\n";
        let plan = parse(csv.as_bytes(), &uses()).unwrap();
        assert_eq!(plan.rejected, vec![]);
        let row = &plan.rows[0];
        assert_eq!(row.upn(), "A123");
        assert_eq!(row.person.preferred_first.as_deref(), Some("Mo"));
        assert_eq!(row.person.reg_group.as_deref(), Some("3K"));
        assert_eq!(row.person.year, Year::new(3));
        assert_eq!(row.consents, vec![("photo_online".to_string(), ConsentState::Granted)]);
    }

    #[test]
    fn missing_columns_are_a_file_error() {
        let err = parse(b"UPN,Forename,Surname\nA1,B,C\n", &uses()).unwrap_err();
        assert_eq!(err, FileError::MissingColumns(vec!["Preferred Forename", "Year", "Reg Group"]));
        assert_eq!(parse(b"", &uses()).unwrap_err(), FileError::Empty);
    }

    #[test]
    fn every_bad_row_is_reported_by_spreadsheet_row() {
        let csv = format!(
            "{HEADER}A1,Amy,Ash,,1,1A,Y\n\
             ,Ben,Birch,,1,1A,Y\n\
             A1,Amy,Ash,,1,1A,Y\n\
             A4,Cat,Cole,,14,1A,\n\
             A5,Dan,Dale,,2,2B,maybe\n\
             A6,Eve,Elm,,2\n\
             \n\
             A8,\"Fay\nFrances\",Fir,,R,RB,N\n\
             A9,,Gale,,3,3C,\r\n\
             A10,Gil,Gold,,3,3C,\r\n"
        );
        let plan = parse(csv.as_bytes(), &uses()).unwrap();
        let got: Vec<(u64, String)> = plan.rejected.iter().map(|r| (r.row, r.reason.to_string())).collect();
        assert_eq!(
            got,
            vec![
                (3, "UPN is empty".to_string()),
                (4, "UPN A1 is already on row 2".to_string()),
                (5, "Year \"14\" is not N, R or 1 to 13".to_string()),
                (6, "Consent: photo_online is \"maybe\"; expected Y, N or blank".to_string()),
                (7, "has 5 columns, the header has 7".to_string()),
                (10, "Forename is empty".to_string()),
            ]
        );
        let taken: Vec<(u64, &str)> = plan.rows.iter().map(|r| (r.row, r.upn())).collect();
        assert_eq!(taken, vec![(2, "A1"), (9, "A8"), (11, "A10")]);
    }

    #[test]
    fn a_value_for_an_unknown_use_rejects_the_row_but_a_blank_does_not() {
        let csv = "UPN,Forename,Surname,Preferred Forename,Year,Reg Group,Consent: swimming\n\
                   A1,Amy,Ash,,1,1A,\n\
                   A2,Ben,Birch,,1,1A,Y\n";
        let plan = parse(csv.as_bytes(), &uses()).unwrap();
        assert_eq!(plan.rows.len(), 1);
        assert_eq!(plan.rejected, vec![Rejected { row: 3, reason: Reason::UnknownConsentUse("swimming".into()) }]);
    }

    proptest! {
        #[test]
        fn never_panics_on_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = parse(&bytes, &uses());
        }

        #[test]
        fn never_panics_on_roster_shaped_text(
            rows in proptest::collection::vec(
                proptest::collection::vec("[A-Za-z0-9 ,\"\n\r\u{feff}é]{0,8}", 0..9), 0..20)
        ) {
            let body: Vec<String> = rows.iter().map(|r| r.join(",")).collect();
            let csv = format!("{HEADER}{}", body.join("\n"));
            let plan = parse(csv.as_bytes(), &uses()).unwrap();
            // Every taken or rejected row has a number past the header, and none is counted twice.
            let mut numbers: Vec<u64> = plan.rows.iter().map(|r| r.row).chain(plan.rejected.iter().map(|r| r.row)).collect();
            prop_assert!(numbers.iter().all(|&n| n >= 2));
            let len = numbers.len();
            numbers.sort_unstable();
            numbers.dedup();
            prop_assert_eq!(numbers.len(), len);
        }
    }
}
