//! What sign-in needs from storage, as one trait (lldap's habit: the HTTP front depends on a handler
//! trait; the SQL lives in `store`).
//!
//! Everything here is shared state that must survive restarts and be seen by every server process:
//! accounts, failed-attempt counters, the last accepted TOTP step, the session epoch, API tokens, the
//! session records themselves and the audit log. The `store` crate implements it (see
//! `crate::backend`); nothing in `web` keeps any of it in memory.

use std::sync::Arc;

use school::access::{Principal, Role, SchoolId, UserId};
use time::OffsetDateTime;
use tower_sessions::SessionStore;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store;

/// A storage failure. The web layer turns it into [`AppError::Internal`](crate::AppError::Internal).
pub type StoreError = Box<dyn std::error::Error + Send + Sync>;

/// A user account as sign-in sees it.
#[derive(Clone)]
pub struct Account {
    pub user: UserId,
    pub school: SchoolId,
    pub role: Role,
    pub email: String,
    /// argon2id PHC string.
    pub password_hash: String,
    pub totp: Totp,
    /// Sessions that recorded an older epoch are no longer valid ("sign out everywhere").
    pub epoch: i64,
    pub disabled: bool,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The hash and the TOTP secret stay out of logs and panics.
        f.debug_struct("Account").field("user", &self.user).field("role", &self.role).finish_non_exhaustive()
    }
}

/// The account's second factor.
#[derive(Clone, PartialEq, Eq)]
pub enum Totp {
    /// Never enrolled.
    None,
    /// A secret was issued on the enrolment page but no code from it has been accepted yet.
    Pending(Vec<u8>),
    /// Enrolled: a code from this secret is required at every sign-in.
    Enrolled(Vec<u8>),
}

/// Which counter a failed attempt goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttemptKind {
    Password,
    SecondFactor,
}

/// One attempt to sign in or pass the second factor.
#[derive(Clone, Debug)]
pub struct Attempt<'a> {
    /// The email as typed, lower-cased — counted even when no such account exists, so a locked-out
    /// unknown email looks exactly like a locked-out known one.
    pub account: &'a str,
    /// The client's address (after trusted-proxy resolution).
    pub address: &'a str,
    pub kind: AttemptKind,
    pub succeeded: bool,
}

/// An API token's public description; the secret itself is shown once and only its hash is kept.
#[derive(Clone, Debug)]
pub struct TokenInfo {
    pub id: String,
    pub name: String,
    pub scope: Scope,
    pub created_at: OffsetDateTime,
    pub last_used_at: Option<OffsetDateTime>,
}

/// What an API token may do: read only, or read and change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Read,
    ReadWrite,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::ReadWrite => "read_write",
        }
    }

    pub fn parse(text: &str) -> Option<Scope> {
        [Scope::Read, Scope::ReadWrite].into_iter().find(|s| s.as_str() == text)
    }
}

/// How an audited action ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Allowed,
    Denied,
    Failed,
}

/// One line for the audit log: who, what, which object, from where, outcome (the store adds when and
/// the hash chain).
#[derive(Clone, Debug)]
pub struct AuditEvent<'a> {
    pub school: &'a SchoolId,
    /// `None` for attempts by someone not (yet) known, e.g. a failed sign-in with an unknown email.
    pub actor: Option<&'a UserId>,
    /// Dotted verb, e.g. `auth.sign_in`, `channel.grant`.
    pub action: &'a str,
    pub object: &'a str,
    pub from: &'a str,
    pub outcome: Outcome,
}

/// Storage for sign-in. All methods are scoped by the ids they take; none reads another user's data.
#[async_trait::async_trait]
pub trait Accounts: Send + Sync + 'static {
    /// Is the database answering? (`/healthz`)
    async fn ping(&self) -> Result<(), StoreError>;

    /// The account with this email (case-insensitive), if any.
    async fn account_by_email(&self, email: &str) -> Result<Option<Account>, StoreError>;

    async fn account(&self, user: &UserId) -> Result<Option<Account>, StoreError>;

    /// The signed-in view of a user (role and grants), `None` if the account is gone or disabled.
    async fn principal(&self, user: &UserId) -> Result<Option<Principal>, StoreError>;

    /// Records an attempt. Success clears nothing: counts are by time window, so an attacker who also
    /// knows one valid password cannot reset the counter of another account.
    async fn record_attempt(&self, attempt: &Attempt<'_>) -> Result<(), StoreError>;

    /// Failed attempts since `since` for this account key and for this address.
    async fn failures_since(
        &self,
        account: &str,
        address: &str,
        since: OffsetDateTime,
    ) -> Result<(u32, u32), StoreError>;

    /// Stores a freshly generated, not yet confirmed TOTP secret (replacing any pending one).
    async fn set_pending_totp(&self, user: &UserId, secret: &[u8]) -> Result<(), StoreError>;

    /// Marks the pending secret as enrolled.
    async fn confirm_totp(&self, user: &UserId) -> Result<(), StoreError>;

    /// Accepts a TOTP time step only if it is later than the last accepted one, atomically; `false`
    /// means the code was already used (a replay).
    async fn accept_totp_step(&self, user: &UserId, step: u64) -> Result<bool, StoreError>;

    /// Increments and returns the user's session epoch.
    async fn bump_epoch(&self, user: &UserId) -> Result<i64, StoreError>;

    /// Stores a new API token by its SHA-256 hash (hex) and returns its id.
    async fn create_token(&self, user: &UserId, name: &str, scope: Scope, hash: &str) -> Result<String, StoreError>;

    /// The user's live (unrevoked) tokens.
    async fn tokens(&self, user: &UserId) -> Result<Vec<TokenInfo>, StoreError>;

    /// Revokes one of the user's tokens; `false` if the user has no such live token.
    async fn revoke_token(&self, user: &UserId, id: &str) -> Result<bool, StoreError>;

    /// The owner and scope of a live token, by hash, and notes its use.
    async fn token_owner(&self, hash: &str) -> Result<Option<(UserId, Scope)>, StoreError>;

    /// Appends to the audit log.
    async fn audit(&self, event: &AuditEvent<'_>) -> Result<(), StoreError>;
}

/// Session records for tower-sessions, stored in the database (never in memory): any store behind
/// one cloneable handle, as `SessionManagerLayer` wants.
#[derive(Clone, Debug)]
pub struct SharedSessions(pub Arc<dyn SessionStore>);

#[async_trait::async_trait]
impl SessionStore for SharedSessions {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        self.0.create(record).await
    }
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        self.0.save(record).await
    }
    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        self.0.load(id).await
    }
    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.0.delete(id).await
    }
}
