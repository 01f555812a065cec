//! User accounts: the people who sign in (staff, governors, the trust's team), as opposed to the
//! [`people`](crate::people) the school's posts are about.

use time::OffsetDateTime;

use crate::access::{Role, SchoolId, UserId};

/// Where an account stands with its second factor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MfaState {
    /// No second factor.
    None,
    /// A TOTP secret was issued but no code from it has been confirmed yet.
    Pending,
    /// TOTP confirmed: codes are required at sign-in.
    Enabled,
}

/// An account as pages and the API show it: no password hash, no TOTP secret.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct User {
    pub id: UserId,
    pub school: SchoolId,
    /// Lower-cased; unique across the deployment, since sign-in starts from it.
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub mfa: MfaState,
    pub disabled: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl User {
    /// Whether sign-in must stop at enrolling a second factor before anything else.
    pub fn must_enrol_mfa(&self) -> bool {
        self.role.requires_mfa() && self.mfa != MfaState::Enabled
    }
}

/// What a new account is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewUser {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    /// An argon2id PHC string, or `None` for accounts that sign in only through the school's OIDC provider.
    pub password_hash: Option<String>,
}

/// Normalises an email address for storage and look-up: trimmed and lower-cased, since providers treat
/// addresses case-insensitively and a user types theirs however they like.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}
