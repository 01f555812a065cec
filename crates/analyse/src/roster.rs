//! The school's people as the analyser needs them: names to look for and consents to check.
//!
//! A roster comes from the school's MIS export (CSV with headers such as `UPN, Forename, Surname,
//! Preferred Forename, Year, Reg Group, Consent: photo_online`) or from JSON. Parsing works on text
//! already read; the analyser itself never opens a file.

use std::collections::BTreeMap;

/// What someone is to the school.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    #[default]
    Pupil,
    Staff,
    Parent,
    Other,
}

/// The state of one consent (P2.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Consent {
    Granted,
    Refused,
    Withdrawn,
    Expired,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Person {
    /// A stable identifier: the UPN for pupils, a staff code, or any unique string.
    pub id: String,
    #[serde(default)]
    pub role: Role,
    /// Legal first name.
    pub first: String,
    pub last: String,
    /// The name they go by, if different.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred: Option<String>,
    /// Consent per use (`name_online`, `photo_online`, …). A use not listed has no consent.
    #[serde(default)]
    pub consents: BTreeMap<String, Consent>,
}

impl Person {
    pub fn display_name(&self) -> String {
        format!("{} {}", self.preferred.as_deref().unwrap_or(&self.first), self.last)
    }

    /// Only an explicit, current grant counts as consent.
    pub fn consents_to(&self, usage: &str) -> bool {
        self.consents.get(usage) == Some(&Consent::Granted)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Roster {
    pub people: Vec<Person>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum RosterError {
    #[error("row {row}: {problem}")]
    Row { row: usize, problem: String },
    #[error("the header has no {0:?} column")]
    MissingColumn(&'static str),
    #[error("CSV: {0}")]
    Csv(String),
    #[error("JSON: {0}")]
    Json(String),
}

impl Roster {
    pub fn get(&self, id: &str) -> Option<&Person> {
        self.people.iter().find(|p| p.id == id)
    }

    /// A JSON roster: `{"people": [{"id", "role", "first", "last", "preferred", "consents"}]}`.
    pub fn from_json(text: &str) -> Result<Roster, RosterError> {
        serde_json::from_str(text).map_err(|e| RosterError::Json(e.to_string()))
    }

    /// An MIS-style CSV export. Headers are matched in any order and case; `Consent: <use>` columns
    /// hold `Y` (granted), `N` (refused) or blank (none recorded). An optional `Role` column holds
    /// pupil, staff, parent or other; an `ID` column may stand in for `UPN`.
    pub fn from_csv(text: &str) -> Result<Roster, RosterError> {
        let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| RosterError::Csv(e.to_string()))?
            .iter()
            .map(|h| h.trim().to_ascii_lowercase())
            .collect();
        let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
        let id = col(&["upn", "id"]).ok_or(RosterError::MissingColumn("UPN"))?;
        let first = col(&["forename", "first name", "legal forename"]).ok_or(RosterError::MissingColumn("Forename"))?;
        let last = col(&["surname", "last name", "legal surname"]).ok_or(RosterError::MissingColumn("Surname"))?;
        let preferred = col(&["preferred forename", "preferred name"]);
        let role = col(&["role"]);
        let consents: Vec<(usize, String)> = headers
            .iter()
            .enumerate()
            .filter_map(|(i, h)| h.strip_prefix("consent:").map(|u| (i, u.trim().replace(' ', "_"))))
            .collect();

        let mut people = Vec::new();
        for (n, record) in reader.records().enumerate() {
            // Row numbers as a spreadsheet shows them: the header is row 1.
            let row = n + 2;
            let record = record.map_err(|e| RosterError::Csv(e.to_string()))?;
            let field = |i: usize| record.get(i).unwrap_or("").trim();
            let required = |i: usize, name: &str| {
                let v = field(i);
                if v.is_empty() {
                    Err(RosterError::Row { row, problem: format!("{name} is empty") })
                } else {
                    Ok(v.to_string())
                }
            };
            let mut person = Person {
                id: required(id, "UPN")?,
                role: Role::Pupil,
                first: required(first, "Forename")?,
                last: required(last, "Surname")?,
                preferred: preferred.map(field).filter(|p| !p.is_empty()).map(str::to_string),
                consents: BTreeMap::new(),
            };
            if let Some(r) = role {
                person.role = match field(r).to_ascii_lowercase().as_str() {
                    "" | "pupil" | "student" => Role::Pupil,
                    "staff" | "teacher" => Role::Staff,
                    "parent" | "carer" | "parent/carer" => Role::Parent,
                    "other" => Role::Other,
                    other => {
                        return Err(RosterError::Row {
                            row,
                            problem: format!("Role {other:?} is not pupil, staff, parent or other"),
                        });
                    }
                };
            }
            for (i, usage) in &consents {
                match field(*i).to_ascii_uppercase().as_str() {
                    "" => {}
                    "Y" | "YES" => {
                        person.consents.insert(usage.clone(), Consent::Granted);
                    }
                    "N" | "NO" => {
                        person.consents.insert(usage.clone(), Consent::Refused);
                    }
                    other => {
                        return Err(RosterError::Row {
                            row,
                            problem: format!("Consent: {usage} is {other:?}; expected Y, N or blank"),
                        });
                    }
                }
            }
            people.push(person);
        }
        Ok(Roster { people })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_mis_csv_in_any_order_and_case() {
        let csv = "surname,FORENAME,upn,Preferred Forename,Year,Reg Group,Consent: photo_online,Consent: name_online\n\
                   Khan,Muhammad,A123,Mo,5,5K,Y,N\n\
                   Ali,Aisha,A124,,6,6A,,Y\n";
        let roster = Roster::from_csv(csv).unwrap();
        assert_eq!(roster.people.len(), 2);
        let mo = roster.get("A123").unwrap();
        assert_eq!(mo.display_name(), "Mo Khan");
        assert!(mo.consents_to("photo_online"));
        assert!(!mo.consents_to("name_online"));
        let aisha = roster.get("A124").unwrap();
        assert!(!aisha.consents_to("photo_online"));
        assert!(aisha.consents_to("name_online"));
    }

    #[test]
    fn names_the_bad_row() {
        let csv = "UPN,Forename,Surname,Consent: photo_online\nA1,Sam,Lee,Y\nA2,,Cole,Y\n";
        assert_eq!(
            Roster::from_csv(csv).unwrap_err(),
            RosterError::Row { row: 3, problem: "Forename is empty".into() }
        );
        let csv = "UPN,Forename,Surname,Consent: photo_online\nA1,Sam,Lee,maybe\n";
        assert!(Roster::from_csv(csv).unwrap_err().to_string().contains("row 2: Consent: photo_online is \"MAYBE\""));
        assert_eq!(Roster::from_csv("Forename,Surname\n").unwrap_err(), RosterError::MissingColumn("UPN"));
    }
}
