//! The people a school's posts may name or show: pupils, staff, and parents or carers (P2.6).
//!
//! A person is not a user account: most never sign in. Pupils come from the MIS roster and are matched
//! on their UPN, the one identifier that survives a change of name or class; parents and carers are
//! linked to the pupils they are responsible for, because a parent's consent choices and complaints
//! concern their child.

use std::fmt;
use std::str::FromStr;

use crate::access::SchoolId;

/// A person's id (a UUID as text).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct PersonId(pub String);

impl fmt::Display for PersonId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Which kind of person this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonKind {
    Pupil,
    Staff,
    /// A parent or carer.
    Parent,
}

impl PersonKind {
    pub const ALL: [PersonKind; 3] = [PersonKind::Pupil, PersonKind::Staff, PersonKind::Parent];

    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            PersonKind::Pupil => "pupil",
            PersonKind::Staff => "staff",
            PersonKind::Parent => "parent",
        }
    }
}

crate::spelling::spelled!(PersonKind, "person kind");

/// A year group as schools count them: Nursery is -1, Reception 0, then Years 1 to 13.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Year(i8);

/// A year that no school has.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("year {0:?} is not N, R or 1 to 13")]
pub struct BadYear(pub String);

impl Year {
    pub const NURSERY: Year = Year(-1);
    pub const RECEPTION: Year = Year(0);

    /// The year from its number (-1 Nursery, 0 Reception, 1–13).
    pub fn new(n: i64) -> Option<Year> {
        (-1..=13).contains(&n).then_some(Year(n as i8))
    }

    /// The number stored for this year.
    pub fn number(self) -> i64 {
        i64::from(self.0)
    }
}

impl FromStr for Year {
    type Err = BadYear;
    /// Reads the spellings MIS exports use: `3`, `Y3`, `Year 3`, `R`, `Reception`, `N`, `N1`, `N2`, `Nursery`.
    fn from_str(s: &str) -> Result<Year, BadYear> {
        let bad = || BadYear(s.to_string());
        let t = s.trim().to_ascii_lowercase();
        let rest = t.strip_prefix("year").or_else(|| t.strip_prefix('y')).unwrap_or(&t).trim();
        match rest {
            "r" | "rec" | "reception" => Ok(Year::RECEPTION),
            "n" | "n1" | "n2" | "nursery" => Ok(Year::NURSERY),
            digits if !digits.is_empty() && digits.len() <= 2 && digits.bytes().all(|b| b.is_ascii_digit()) => {
                digits.parse::<i64>().ok().filter(|n| (1..=13).contains(n)).map(|n| Year(n as i8)).ok_or_else(bad)
            }
            _ => Err(bad()),
        }
    }
}

impl fmt::Display for Year {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            -1 => f.write_str("Nursery"),
            0 => f.write_str("Reception"),
            n => write!(f, "Year {n}"),
        }
    }
}

/// Someone the school's posts might name or show.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Person {
    pub id: PersonId,
    pub school: SchoolId,
    /// The MIS identifier: a pupil's UPN, or a staff or contact id. Unique within a school.
    pub external_id: Option<String>,
    pub kind: PersonKind,
    pub legal_first: String,
    pub legal_last: String,
    /// The name they go by, when it differs from the legal one.
    pub preferred_first: Option<String>,
    pub year: Option<Year>,
    /// Registration group or class.
    pub reg_group: Option<String>,
    /// On roll (or employed) now; leavers are kept as past, so their consents still answer questions.
    pub current: bool,
}

impl Person {
    /// The first name to use when speaking of them.
    pub fn known_as(&self) -> &str {
        self.preferred_first.as_deref().filter(|p| !p.is_empty()).unwrap_or(&self.legal_first)
    }

    /// "Preferred-or-first Last", for lists.
    pub fn display_name(&self) -> String {
        format!("{} {}", self.known_as(), self.legal_last)
    }
}

/// The fields of a person that an import or a form sets; ids and school come from elsewhere.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PersonDetails {
    pub external_id: Option<String>,
    pub kind: PersonKind,
    pub legal_first: String,
    pub legal_last: String,
    pub preferred_first: Option<String>,
    pub year: Option<Year>,
    pub reg_group: Option<String>,
    pub current: bool,
}

impl PersonDetails {
    /// Which fields differ from `person`, by name, for the audit log (names only: the audit log is not a
    /// second copy of pupils' personal data).
    pub fn changes_from(&self, person: &Person) -> Vec<&'static str> {
        let mut changed = Vec::new();
        let mut check = |name, differs: bool| {
            if differs {
                changed.push(name);
            }
        };
        check("external_id", self.external_id != person.external_id);
        check("kind", self.kind != person.kind);
        check("legal_first", self.legal_first != person.legal_first);
        check("legal_last", self.legal_last != person.legal_last);
        check("preferred_first", self.preferred_first != person.preferred_first);
        check("year", self.year != person.year);
        check("reg_group", self.reg_group != person.reg_group);
        check("current", self.current != person.current);
        changed
    }
}

/// What a parent or carer is to a pupil.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ParentLink {
    pub parent: PersonId,
    pub pupil: PersonId,
    /// "mother", "carer", "guardian"…: free text, as the MIS records it.
    pub relationship: Option<String>,
}

/// Which people a listing wants.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PeopleFilter {
    pub kind: Option<PersonKind>,
    pub year: Option<Year>,
    pub reg_group: Option<String>,
    /// Leavers are left out unless asked for.
    pub include_past: bool,
    /// Matches the start of a first, preferred or last name, or the whole external id, ignoring case.
    pub name: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_read_the_spellings_exports_use() {
        for (text, n) in [("3", 3), ("Y3", 3), ("Year 3", 3), ("year 13", 13), ("R", 0), ("Reception", 0), ("N2", -1)] {
            assert_eq!(text.parse::<Year>().map(Year::number), Ok(n), "{text}");
        }
        for text in ["", "0", "14", "Y", "three", "-1", "1.5", "Year 123"] {
            assert!(text.parse::<Year>().is_err(), "{text}");
        }
    }

    #[test]
    fn known_as_prefers_the_preferred_name() {
        let mut p = Person {
            id: PersonId("p".into()),
            school: SchoolId("s".into()),
            external_id: None,
            kind: PersonKind::Pupil,
            legal_first: "Muhammad".into(),
            legal_last: "Khan".into(),
            preferred_first: Some("Mo".into()),
            year: Year::new(4),
            reg_group: None,
            current: true,
        };
        assert_eq!(p.display_name(), "Mo Khan");
        p.preferred_first = Some(String::new());
        assert_eq!(p.known_as(), "Muhammad");
    }
}
