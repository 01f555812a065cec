//! Content suggestions (P2.4): any member of staff may suggest a post; the headteacher decides.

use time::OffsetDateTime;

use crate::access::{SchoolId, UserId};

/// A suggestion's id (a UUID as text).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct SuggestionId(pub String);

/// Where a suggestion is in the queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuggestionStatus {
    Open,
    Accepted,
    Declined,
}

impl SuggestionStatus {
    pub const ALL: [SuggestionStatus; 3] =
        [SuggestionStatus::Open, SuggestionStatus::Accepted, SuggestionStatus::Declined];

    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            SuggestionStatus::Open => "open",
            SuggestionStatus::Accepted => "accepted",
            SuggestionStatus::Declined => "declined",
        }
    }
}

crate::spelling::spelled!(SuggestionStatus, "suggestion status");

/// A suggestion for a post.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Suggestion {
    pub id: SuggestionId,
    pub school: SchoolId,
    pub author: UserId,
    pub text: String,
    pub status: SuggestionStatus,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub decided_by: Option<UserId>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub decided_at: Option<OffsetDateTime>,
    /// The reviewer's note to the author.
    pub note: Option<String>,
}

/// The decision a reviewer makes on an open suggestion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Accept,
    Decline,
}

impl Decision {
    /// The status the decision leads to.
    pub fn status(self) -> SuggestionStatus {
        match self {
            Decision::Accept => SuggestionStatus::Accepted,
            Decision::Decline => SuggestionStatus::Declined,
        }
    }
}
