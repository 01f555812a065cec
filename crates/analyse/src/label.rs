//! The fixed vocabulary of the analyser: labels, kinds, and the policy clause each label answers to.
//!
//! Other tools (the moderation queue, exports, the evaluation harness) read these names, so they are
//! spelled out once here and never change meaning.

use std::fmt;
use std::str::FromStr;

/// What a finding is about. Each label maps to one clause of the policy by default (POLICY-MAP.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Label {
    Abuse,
    Spam,
    PersonalInfo,
    Commercial,
    DonationRequest,
    Political,
    Ethos,
    AgeInappropriate,
    Addressing,
    PersonalLink,
}

impl Label {
    pub const ALL: [Label; 10] = [
        Label::Abuse,
        Label::Spam,
        Label::PersonalInfo,
        Label::Commercial,
        Label::DonationRequest,
        Label::Political,
        Label::Ethos,
        Label::AgeInappropriate,
        Label::Addressing,
        Label::PersonalLink,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Label::Abuse => "abuse",
            Label::Spam => "spam",
            Label::PersonalInfo => "personal_info",
            Label::Commercial => "commercial",
            Label::DonationRequest => "donation_request",
            Label::Political => "political",
            Label::Ethos => "ethos",
            Label::AgeInappropriate => "age_inappropriate",
            Label::Addressing => "addressing",
            Label::PersonalLink => "personal_link",
        }
    }

    /// The clause a finding with this label answers to when it is found in an incoming comment.
    ///
    /// §2.3 (P2.13) lists what is deleted from the school's channels; the rest are the will-not-post
    /// rules of §2.1 and the age-appropriateness duty of §2.3, which apply to comments left visible.
    pub fn comment_clause(self) -> &'static str {
        match self {
            Label::Abuse
            | Label::Spam
            | Label::PersonalInfo
            | Label::Commercial
            | Label::DonationRequest
            | Label::Ethos => "P2.13",
            Label::Political => "P2.9",
            Label::AgeInappropriate => "P2.16",
            Label::Addressing => "P2.8",
            Label::PersonalLink => "P2.11",
        }
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error)]
#[error(
    "unknown label {0:?}; expected one of: abuse, spam, personal_info, commercial, donation_request, political, ethos, age_inappropriate, addressing, personal_link"
)]
pub struct UnknownLabel(pub String);

impl FromStr for Label {
    type Err = UnknownLabel;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Label::ALL.into_iter().find(|l| l.as_str() == s).ok_or_else(|| UnknownLabel(s.to_string()))
    }
}

/// Fixed kind names. Labels without sub-kinds use their own name as the kind; ethos findings carry
/// the category named in the school's policy file (for example `alcohol`).
pub mod kind {
    pub const INSULT: &str = "insult";
    pub const THREAT: &str = "threat";
    pub const HATE: &str = "hate";
    pub const HARASSMENT: &str = "harassment";
    pub const PROFANITY: &str = "profanity";
    pub const SEXUAL: &str = "sexual";
    pub const INFLAMMATORY: &str = "inflammatory";
    pub const PHONE: &str = "phone";
    pub const EMAIL: &str = "email";
    pub const ADDRESS: &str = "address";
    pub const POSTCODE: &str = "postcode";
    pub const NAME: &str = "name";
    pub const FINANCIAL: &str = "financial";
    pub const ID_NUMBER: &str = "id_number";

    /// Every kind of `abuse`.
    pub const ABUSE: [&str; 7] = [INSULT, THREAT, HATE, HARASSMENT, PROFANITY, SEXUAL, INFLAMMATORY];
    /// Every kind of `personal_info`.
    pub const PERSONAL_INFO: [&str; 7] = [PHONE, EMAIL, ADDRESS, POSTCODE, NAME, FINANCIAL, ID_NUMBER];
}

/// Who a hateful finding is aimed at.
pub mod target {
    pub const RACE: &str = "race";
    pub const RELIGION: &str = "religion";
    pub const GENDER: &str = "gender";
    pub const SEXUALITY: &str = "sexuality";
    pub const GENDER_IDENTITY: &str = "gender_identity";
    pub const DISABILITY: &str = "disability";
    pub const NATIONALITY: &str = "nationality";
    pub const AGE: &str = "age";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_names_round_trip() {
        for label in Label::ALL {
            assert_eq!(label.as_str().parse::<Label>().unwrap(), label);
            assert_eq!(serde_json::to_string(&label).unwrap(), format!("\"{label}\""));
        }
        assert!("abuses".parse::<Label>().is_err());
    }
}
