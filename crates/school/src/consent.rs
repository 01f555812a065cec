//! Consent per person per use (P2.6): may this pupil be named online, shown in a photo online, shown to
//! the press…
//!
//! The uses are the school's to configure; every school starts with [`DEFAULT_USES`]. A consent is a
//! record of a decision — who made it, when, how it reached the school — and a granted consent can have
//! an expiry, after which it reads as expired without anyone having to change it.

use time::OffsetDateTime;

use crate::access::SchoolId;
use crate::people::PersonId;

/// The uses every school starts with: `(name, what it means)`.
pub const DEFAULT_USES: [(&str, &str); 3] = [
    ("name_online", "Name on the school's website and social media"),
    ("photo_online", "Photographs on the school's website and social media"),
    ("photo_press", "Photographs in the press"),
];

/// A use a school asks consent for, e.g. `photo_online`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct ConsentUse {
    /// Short name: lower-case letters, digits and `_`, as it appears in `Consent: <use>` columns.
    pub name: String,
    /// What it means, for forms and letters.
    pub label: String,
}

/// A use name that is not lower-case letters, digits and underscores.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("consent use {0:?} must be 1 to 40 lower-case letters, digits or underscores")]
pub struct BadUseName(pub String);

/// Checks a use name: it becomes part of a CSV header and a URL, so it is kept plain.
pub fn check_use_name(name: &str) -> Result<(), BadUseName> {
    let plain = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_';
    let ok = (1..=40).contains(&name.len()) && name.bytes().all(plain);
    if ok { Ok(()) } else { Err(BadUseName(name.to_string())) }
}

/// Where a consent stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentState {
    Granted,
    Refused,
    /// Granted once, since taken back.
    Withdrawn,
    /// Granted until a date that has passed.
    Expired,
}

impl ConsentState {
    pub const ALL: [ConsentState; 4] =
        [ConsentState::Granted, ConsentState::Refused, ConsentState::Withdrawn, ConsentState::Expired];

    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentState::Granted => "granted",
            ConsentState::Refused => "refused",
            ConsentState::Withdrawn => "withdrawn",
            ConsentState::Expired => "expired",
        }
    }

    /// Whether this state allows the use.
    pub fn allows(self) -> bool {
        self == ConsentState::Granted
    }
}

crate::spelling::spelled!(ConsentState, "consent state");

/// How the decision reached the school.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentSource {
    /// A roster imported from the MIS.
    MisImport,
    PaperForm,
    /// The parent, directly (for example through a form the school sent).
    Parent,
    /// A member of staff recorded it (for example after a phone call).
    Staff,
}

impl ConsentSource {
    pub const ALL: [ConsentSource; 4] =
        [ConsentSource::MisImport, ConsentSource::PaperForm, ConsentSource::Parent, ConsentSource::Staff];

    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentSource::MisImport => "mis_import",
            ConsentSource::PaperForm => "paper_form",
            ConsentSource::Parent => "parent",
            ConsentSource::Staff => "staff",
        }
    }
}

crate::spelling::spelled!(ConsentSource, "consent source");

/// The current consent of one person for one use.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Consent {
    pub school: SchoolId,
    pub person: PersonId,
    /// The use's name.
    pub use_name: String,
    /// The state as recorded; see [`Consent::state_at`] for the state that counts.
    pub recorded: ConsentState,
    pub source: ConsentSource,
    /// Who recorded it: a user id, or `system` for imports run from the command line.
    pub by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// A granted consent lapses at this moment.
    #[serde(with = "time::serde::rfc3339::option")]
    pub expires_at: Option<OffsetDateTime>,
}

impl Consent {
    /// The state that counts at `now`: a granted consent past its expiry reads as expired.
    pub fn state_at(&self, now: OffsetDateTime) -> ConsentState {
        match (self.recorded, self.expires_at) {
            (ConsentState::Granted, Some(expiry)) if expiry <= now => ConsentState::Expired,
            (state, _) => state,
        }
    }
}

/// A consent decision to record.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ConsentChange {
    pub person: PersonId,
    pub use_name: String,
    pub state: ConsentState,
    pub source: ConsentSource,
    /// When a granted consent lapses, if it does.
    #[serde(with = "time::serde::rfc3339::option")]
    pub expires_at: Option<OffsetDateTime>,
}

/// What an import may do to a consent already on record.
///
/// An MIS export is a snapshot that may be older than what staff recorded in Gatehouse since: a parent
/// who withdrew photo consent last week must not be re-granted by this week's stale export. So an import
/// may always narrow consent (refuse what was granted), but it widens consent only where an earlier import
/// set it, or where nothing is on record.
pub fn import_may_replace(current: Option<&Consent>, incoming: ConsentState) -> bool {
    match current {
        None => true,
        Some(c) if c.source == ConsentSource::MisImport => true,
        Some(_) => !incoming.allows(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Duration;

    fn consent(recorded: ConsentState, source: ConsentSource, expires_at: Option<OffsetDateTime>) -> Consent {
        Consent {
            school: SchoolId("s".into()),
            person: PersonId("p".into()),
            use_name: "photo_online".into(),
            recorded,
            source,
            by: "system".into(),
            at: OffsetDateTime::UNIX_EPOCH,
            expires_at,
        }
    }

    #[test]
    fn granted_past_its_expiry_reads_as_expired() {
        let now = OffsetDateTime::UNIX_EPOCH + Duration::days(100);
        let lapsed = consent(ConsentState::Granted, ConsentSource::Parent, Some(now - Duration::seconds(1)));
        let live = consent(ConsentState::Granted, ConsentSource::Parent, Some(now + Duration::days(1)));
        let refused = consent(ConsentState::Refused, ConsentSource::Parent, Some(now - Duration::days(1)));
        assert_eq!(lapsed.state_at(now), ConsentState::Expired);
        assert_eq!(live.state_at(now), ConsentState::Granted);
        assert_eq!(refused.state_at(now), ConsentState::Refused);
    }

    #[test]
    fn an_import_never_regrants_what_a_parent_withdrew() {
        let withdrawn = consent(ConsentState::Withdrawn, ConsentSource::Parent, None);
        assert!(!import_may_replace(Some(&withdrawn), ConsentState::Granted));
        let granted_on_paper = consent(ConsentState::Granted, ConsentSource::PaperForm, None);
        assert!(import_may_replace(Some(&granted_on_paper), ConsentState::Refused));
        let imported = consent(ConsentState::Refused, ConsentSource::MisImport, None);
        assert!(import_may_replace(Some(&imported), ConsentState::Granted));
        assert!(import_may_replace(None, ConsentState::Granted));
    }

    #[test]
    fn use_names_are_plain() {
        assert!(check_use_name("photo_online").is_ok());
        for bad in ["", "Photo", "photo online", "photo-online", &"x".repeat(41)] {
            assert!(check_use_name(bad).is_err(), "{bad}");
        }
        for s in ConsentState::ALL {
            assert_eq!(s.as_str().parse::<ConsentState>(), Ok(s));
        }
    }
}
