//! Clause IDs: the names POLICY-MAP.md gives the sentences of the policy.
//!
//! Every rule in the policy file, every lint finding and every line of the rendered document names
//! one, so a decision can always be traced to the sentence that caused it.

use std::fmt;

/// A clause ID such as `P2.13`: `P`, the section number, optionally `.` and the clause number.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Deserialize)]
#[serde(try_from = "String")]
pub struct ClauseId(String);

/// Why a text is not a clause ID.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a clause ID: expected P, a section number and a clause number, such as P2.13")]
pub struct ClauseIdError(pub String);

impl ClauseId {
    pub fn new(id: &str) -> Result<ClauseId, ClauseIdError> {
        let err = || ClauseIdError(id.to_string());
        let rest = id.strip_prefix('P').ok_or_else(err)?;
        let number = |s: &str| !s.is_empty() && s.len() <= 3 && s.bytes().all(|b| b.is_ascii_digit());
        let ok = match rest.split_once('.') {
            Some((section, clause)) => number(section) && number(clause),
            None => number(rest),
        };
        if ok { Ok(ClauseId(id.to_string())) } else { Err(err()) }
    }

    /// A clause ID known at compile time. Panics on a malformed literal, which a test catches.
    pub fn known(id: &'static str) -> ClauseId {
        ClauseId::new(id).expect("clause ID literals are well formed")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether POLICY-MAP.md defines this clause.
    pub fn is_in_policy_map(&self) -> bool {
        POLICY_MAP.contains(&self.0.as_str())
    }
}

impl TryFrom<String> for ClauseId {
    type Error = ClauseIdError;
    fn try_from(value: String) -> Result<ClauseId, ClauseIdError> {
        ClauseId::new(&value)
    }
}

impl fmt::Display for ClauseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<&str> for ClauseId {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

/// Every clause ID that POLICY-MAP.md defines.
pub const POLICY_MAP: [&str; 35] = [
    "P1.1", "P1.2", "P1.3", "P1.4", "P2.1", "P2.2", "P2.3", "P2.4", "P2.5", "P2.6", "P2.7", "P2.8", "P2.9", "P2.10",
    "P2.11", "P2.12", "P2.13", "P2.14", "P2.15", "P2.16", "P2.17", "P2.18", "P3.1", "P3.2", "P3.3", "P3.4", "P3.5",
    "P4.1", "P5.1", "P5.2", "P6.1", "P7.1", "P7.2", "P7.3", "P8.1",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape() {
        for ok in ["P2.13", "P8.1", "P7"] {
            assert_eq!(ClauseId::new(ok).unwrap().as_str(), ok);
        }
        for bad in ["", "P", "p2.1", "P2.", "P.1", "P2.1.3", "2.13", "P2.1x", "P1234.1"] {
            assert!(ClauseId::new(bad).is_err(), "{bad}");
        }
        for id in POLICY_MAP {
            assert!(ClauseId::known(id).is_in_policy_map());
        }
        assert!(!ClauseId::known("P2.19").is_in_policy_map());
    }
}
