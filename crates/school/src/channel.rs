//! The school's official channels (P2.1): its Facebook Page, X account, WhatsApp groups.
//!
//! A [`Channel`] is what people see in the registry. The platform credentials are deliberately not a
//! field of it: they are written once, encrypted at rest, and only ever handed to the code that talks to
//! the platform, so no page or API response can display them by accident.

use crate::access::{ChannelId, SchoolId, UserId};

/// Which platform a channel is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    FacebookPage,
    XAccount,
    WhatsappGroup,
    Other,
}

impl ChannelKind {
    pub const ALL: [ChannelKind; 4] =
        [ChannelKind::FacebookPage, ChannelKind::XAccount, ChannelKind::WhatsappGroup, ChannelKind::Other];

    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKind::FacebookPage => "facebook_page",
            ChannelKind::XAccount => "x_account",
            ChannelKind::WhatsappGroup => "whatsapp_group",
            ChannelKind::Other => "other",
        }
    }
}

crate::spelling::spelled!(ChannelKind, "channel kind");

/// Whether a channel is in use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelStatus {
    Active,
    /// Temporarily not used (for example during an incident).
    Paused,
    /// Closed; kept for the record.
    Retired,
}

impl ChannelStatus {
    pub const ALL: [ChannelStatus; 3] = [ChannelStatus::Active, ChannelStatus::Paused, ChannelStatus::Retired];

    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelStatus::Active => "active",
            ChannelStatus::Paused => "paused",
            ChannelStatus::Retired => "retired",
        }
    }
}

crate::spelling::spelled!(ChannelStatus, "channel status");

/// A channel as the registry shows it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Channel {
    pub id: ChannelId,
    pub school: SchoolId,
    pub kind: ChannelKind,
    /// A name for people: "School Facebook Page".
    pub name: String,
    /// The platform's handle or page id: `@dar_ul_madinah`.
    pub handle: String,
    pub url: Option<String>,
    pub status: ChannelStatus,
    /// Whether credentials are on file (never what they are).
    pub has_credentials: bool,
}

/// What a new channel is.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NewChannel {
    pub kind: ChannelKind,
    pub name: String,
    pub handle: String,
    pub url: Option<String>,
}

/// A staff member's authorisation on one channel, with who gave it and when (P2.3).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ChannelGrant {
    pub channel: ChannelId,
    pub user: UserId,
    pub may_post: bool,
    pub may_moderate: bool,
    pub granted_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub granted_at: time::OffsetDateTime,
}
