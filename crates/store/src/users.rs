//! Accounts and signing in: users, login attempts counted in the database, TOTP replay protection,
//! "sign out everywhere", API tokens, and the principal a signed-in user acts as.
//!
//! The web layer hashes passwords and checks TOTP codes; the store keeps what must be shared between
//! server processes, so a limit on guesses holds however many processes an attacker's requests reach.

use std::time::Duration;

use school::access::{Grant, Principal, SchoolId, UserAdmin, UserId};
use school::audit::{Actor, NewEntry, actions};
use school::user::{MfaState, NewUser, User, normalise_email};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::audit_log;
use crate::db::{Origin, Store, Ts, new_id, now, on_pool, on_tx, parse};
use crate::error::{Error, Result, conflict_on_unique};
use crate::secret::{SecretKey, random};

const USER_COLUMNS: &str = "id, school_id, email, display_name, role, password_hash, totp_secret IS NOT NULL AS \
                            has_totp, mfa_enabled, session_epoch, disabled, created_at";

#[derive(sqlx::FromRow)]
struct UserRow {
    id: String,
    school_id: String,
    email: String,
    display_name: String,
    role: String,
    password_hash: Option<String>,
    has_totp: bool,
    mfa_enabled: bool,
    session_epoch: i64,
    disabled: bool,
    created_at: Ts,
}

impl UserRow {
    fn user(&self) -> Result<User> {
        let mfa = match (self.mfa_enabled, self.has_totp) {
            (true, _) => MfaState::Enabled,
            (false, true) => MfaState::Pending,
            (false, false) => MfaState::None,
        };
        Ok(User {
            id: UserId(self.id.clone()),
            school: SchoolId(self.school_id.clone()),
            email: self.email.clone(),
            display_name: self.display_name.clone(),
            role: parse(&self.role, "user role")?,
            mfa,
            disabled: self.disabled,
            created_at: self.created_at.0,
        })
    }
}

/// What sign-in needs to know about an account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignIn {
    pub user: User,
    /// The argon2id PHC string; `None` for accounts that sign in only through OIDC.
    pub password_hash: Option<String>,
    /// Put this in the session; a session whose epoch is older than the account's is signed out.
    pub session_epoch: i64,
}

/// What was tried at sign-in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoginKind {
    Password,
    Mfa,
    Oidc,
}

impl LoginKind {
    fn as_str(self) -> &'static str {
        match self {
            LoginKind::Password => "password",
            LoginKind::Mfa => "mfa",
            LoginKind::Oidc => "oidc",
        }
    }
}

/// One sign-in attempt, successful or not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginAttempt {
    /// The email typed (normalised by the store), whether or not such an account exists.
    pub account: String,
    /// The client's address as the trusted proxy reports it.
    pub address: String,
    pub kind: LoginKind,
    pub succeeded: bool,
    /// The account's school, when the account exists.
    pub school: Option<SchoolId>,
}

/// Recent failed attempts, for deciding whether to refuse another try.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Failures {
    /// Failures for this account since its last success (within the window).
    pub account: u64,
    /// Failures from this address (within the window), whichever accounts they tried.
    pub address: u64,
}

/// An API token as its owner sees it listed (never the token itself).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ApiToken {
    pub id: String,
    pub user: UserId,
    pub name: String,
    pub scopes: Vec<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_used_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub revoked_at: Option<OffsetDateTime>,
}

/// A token just created: the only time its secret is shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewApiToken {
    pub token: ApiToken,
    /// `gh_` and 43 characters of URL-safe base64; the store keeps only its SHA-256.
    pub secret: String,
}

fn token_digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

fn totp_context(user: &UserId) -> String {
    format!("users.totp_secret:{}", user.0)
}

fn user_entry(school: &SchoolId, actor: Actor, action: &str, user: &UserId, origin: Origin) -> NewEntry {
    NewEntry::new(school.clone(), actor, action, "user", &user.0).from(origin.as_text())
}

impl Store {
    async fn insert_user(&self, school: &SchoolId, actor: Actor, origin: Origin, new: NewUser) -> Result<User> {
        let id = UserId(new_id());
        let email = normalise_email(&new.email);
        if email.is_empty() || !email.contains('@') {
            return Err(Error::Invalid(format!("{:?} is not an email address", new.email)));
        }
        let mut tx = self.write().await?;
        let sql = "INSERT INTO users (id, school_id, email, display_name, role, password_hash, created_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7)";
        on_tx!(&mut tx, |c| {
            sqlx::query(sql)
                .bind(&id.0)
                .bind(&school.0)
                .bind(&email)
                .bind(&new.display_name)
                .bind(new.role.as_str())
                .bind(&new.password_hash)
                .bind(Ts(now()))
                .execute(c)
                .await
                .map(|r| r.rows_affected())
        })
        .map_err(conflict_on_unique("an account with that email"))?;
        let entry = user_entry(school, actor, actions::USER_CREATE, &id, origin)
            .detail(serde_json::json!({ "role": new.role.as_str() }));
        audit_log::append(&mut tx, entry).await?;
        tx.commit().await?;
        self.user(&id).await
    }

    /// Creates the first accounts of a school (an operator's task: `gatehouse demo`, setting up).
    pub async fn bootstrap_user(&self, school: &SchoolId, new: NewUser) -> Result<User> {
        self.insert_user(school, Actor::System, Origin::LOCAL, new).await
    }

    /// Creates an account in the capability's school.
    pub async fn create_user(&self, cap: &UserAdmin<'_>, origin: Origin, new: NewUser) -> Result<User> {
        self.insert_user(cap.school(), Actor::from_user(cap.actor()), origin, new).await
    }

    /// One account, for the signed-in user's own pages and for the web layer's checks.
    pub async fn user(&self, id: &UserId) -> Result<User> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        let row: Option<UserRow> = on_pool!(self, |pool| sqlx::query_as(&sql).bind(&id.0).fetch_optional(pool).await)?;
        row.ok_or(Error::NotFound("user"))?.user()
    }

    /// The accounts of the capability's school, by name.
    pub async fn users(&self, cap: &UserAdmin<'_>) -> Result<Vec<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE school_id = $1 ORDER BY display_name, email");
        let rows: Vec<UserRow> =
            on_pool!(self, |pool| sqlx::query_as(&sql).bind(&cap.school().0).fetch_all(pool).await)?;
        rows.iter().map(UserRow::user).collect()
    }

    /// Disables or re-enables an account of the capability's school. A disabled account has no
    /// principal, so its sessions stop working at their next request.
    pub async fn set_disabled(&self, cap: &UserAdmin<'_>, origin: Origin, user: &UserId, disabled: bool) -> Result<()> {
        let mut tx = self.write().await?;
        let sql = "UPDATE users SET disabled = $3 WHERE id = $1 AND school_id = $2";
        let done = on_tx!(&mut tx, |c| sqlx::query(sql)
            .bind(&user.0)
            .bind(&cap.school().0)
            .bind(disabled)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        if done == 0 {
            return Err(Error::NotFound("user"));
        }
        let action = if disabled { actions::USER_DISABLE } else { actions::USER_ENABLE };
        audit_log::append(&mut tx, user_entry(cap.school(), Actor::from_user(cap.actor()), action, user, origin))
            .await?;
        tx.commit().await
    }

    /// The account behind an email address, for sign-in (`None` if there is none).
    pub async fn user_by_email(&self, email: &str) -> Result<Option<SignIn>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1");
        let email = normalise_email(email);
        let row: Option<UserRow> = on_pool!(self, |pool| sqlx::query_as(&sql).bind(&email).fetch_optional(pool).await)?;
        row.map(|r| {
            Ok(SignIn { user: r.user()?, password_hash: r.password_hash.clone(), session_epoch: r.session_epoch })
        })
        .transpose()
    }

    /// Replaces an account's password hash (an argon2id PHC string made by the web layer).
    pub async fn set_password_hash(&self, user: &UserId, origin: Origin, password_hash: &str) -> Result<()> {
        let account = self.user(user).await?;
        let mut tx = self.write().await?;
        let sql = "UPDATE users SET password_hash = $2 WHERE id = $1";
        on_tx!(&mut tx, |c| sqlx::query(sql)
            .bind(&user.0)
            .bind(password_hash)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        let entry = user_entry(&account.school, Actor::User(user.clone()), actions::USER_PASSWORD_SET, user, origin);
        audit_log::append(&mut tx, entry).await?;
        tx.commit().await
    }

    /// Records a sign-in attempt; the counts in [`Store::recent_failures`] come from these rows.
    pub async fn record_login_attempt(&self, attempt: &LoginAttempt) -> Result<()> {
        let sql = "INSERT INTO login_attempts (school_id, account, address, kind, succeeded, at) \
                   VALUES ($1, $2, $3, $4, $5, $6)";
        let school = attempt.school.as_ref().map(|s| s.0.as_str());
        on_pool!(self, |pool| {
            sqlx::query(sql)
                .bind(school)
                .bind(normalise_email(&attempt.account))
                .bind(&attempt.address)
                .bind(attempt.kind.as_str())
                .bind(attempt.succeeded)
                .bind(Ts(now()))
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Failed attempts within `window`: for the account since its last success, and from the address.
    pub async fn recent_failures(&self, account: &str, address: &str, window: Duration) -> Result<Failures> {
        let window = time::Duration::try_from(window).unwrap_or(time::Duration::MAX);
        let since = Ts(now().checked_sub(window).unwrap_or(OffsetDateTime::UNIX_EPOCH));
        let account = normalise_email(account);
        let by_account = "SELECT COUNT(*) FROM login_attempts WHERE account = $1 AND succeeded = $3 AND at >= $2 \
                          AND at > COALESCE((SELECT MAX(at) FROM login_attempts WHERE account = $1 AND succeeded = $4), $2)";
        let by_address = "SELECT COUNT(*) FROM login_attempts WHERE address = $1 AND succeeded = $3 AND at >= $2";
        let (a, b): (i64, i64) = on_pool!(self, |pool| {
            let a = sqlx::query_scalar(by_account)
                .bind(&account)
                .bind(since)
                .bind(false)
                .bind(true)
                .fetch_one(pool)
                .await?;
            let b = sqlx::query_scalar(by_address).bind(address).bind(since).bind(false).fetch_one(pool).await?;
            Ok::<_, sqlx::Error>((a, b))
        })?;
        Ok(Failures { account: a.max(0) as u64, address: b.max(0) as u64 })
    }

    /// Signs the account out everywhere: raises its session epoch and returns the new one.
    pub async fn bump_session_epoch(&self, user: &UserId, origin: Origin) -> Result<i64> {
        let account = self.user(user).await?;
        let mut tx = self.write().await?;
        let sql = "UPDATE users SET session_epoch = session_epoch + 1 WHERE id = $1 RETURNING session_epoch";
        let epoch: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar(sql).bind(&user.0).fetch_one(c).await)?;
        let action = actions::USER_SIGN_OUT_EVERYWHERE;
        audit_log::append(&mut tx, user_entry(&account.school, Actor::User(user.clone()), action, user, origin))
            .await?;
        tx.commit().await?;
        Ok(epoch)
    }

    /// The account's current session epoch: sessions made under an older one are no longer valid.
    pub async fn session_epoch(&self, user: &UserId) -> Result<i64> {
        let sql = "SELECT session_epoch FROM users WHERE id = $1";
        let epoch: Option<i64> =
            on_pool!(self, |pool| sqlx::query_scalar(sql).bind(&user.0).fetch_optional(pool).await)?;
        epoch.ok_or(Error::NotFound("user"))
    }

    /// Stores a new TOTP secret, encrypted, for an account that has not yet confirmed one.
    pub async fn start_totp_enrolment(
        &self,
        key: &SecretKey,
        user: &UserId,
        origin: Origin,
        secret: &[u8],
    ) -> Result<()> {
        let account = self.user(user).await?;
        let sealed = key.encrypt(secret, &totp_context(user))?;
        let mut tx = self.write().await?;
        let sql = "UPDATE users SET totp_secret = $2, totp_last_step = NULL WHERE id = $1 AND mfa_enabled = $3";
        let done = on_tx!(&mut tx, |c| sqlx::query(sql)
            .bind(&user.0)
            .bind(&sealed)
            .bind(false)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        if done == 0 {
            return Err(Error::Conflict("the account already has a confirmed second factor".into()));
        }
        let entry = user_entry(&account.school, Actor::User(user.clone()), actions::USER_MFA_ENROL, user, origin);
        audit_log::append(&mut tx, entry).await?;
        tx.commit().await
    }

    /// The account's TOTP secret, decrypted, for checking a code (`None` if it has none).
    pub async fn totp_secret(&self, key: &SecretKey, user: &UserId) -> Result<Option<Vec<u8>>> {
        let sql = "SELECT totp_secret FROM users WHERE id = $1";
        let row: Option<Option<Vec<u8>>> =
            on_pool!(self, |pool| sqlx::query_scalar(sql).bind(&user.0).fetch_optional(pool).await)?;
        let sealed = row.ok_or(Error::NotFound("user"))?;
        Ok(sealed.map(|s| key.decrypt(&s, &totp_context(user))).transpose()?)
    }

    /// Confirms enrolment with the time step of a code the web layer has checked; `false` if that step
    /// (or a later one) was already used, or there is no pending secret.
    pub async fn confirm_totp(&self, user: &UserId, origin: Origin, step: i64) -> Result<bool> {
        let account = self.user(user).await?;
        let mut tx = self.write().await?;
        let sql = "UPDATE users SET mfa_enabled = $3, totp_last_step = $2 WHERE id = $1 AND totp_secret IS NOT NULL \
                   AND (totp_last_step IS NULL OR totp_last_step < $2)";
        let done = on_tx!(&mut tx, |c| sqlx::query(sql)
            .bind(&user.0)
            .bind(step)
            .bind(true)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        if done == 0 {
            return Ok(false);
        }
        let entry = user_entry(&account.school, Actor::User(user.clone()), actions::USER_MFA_CONFIRM, user, origin);
        audit_log::append(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Spends a TOTP time step at sign-in: `true` the first time, `false` for a replayed or older code,
    /// whichever server process sees it (one conditional UPDATE, so two cannot both succeed).
    pub async fn use_totp_step(&self, user: &UserId, step: i64) -> Result<bool> {
        let sql = "UPDATE users SET totp_last_step = $2 WHERE id = $1 AND mfa_enabled = $3 \
                   AND (totp_last_step IS NULL OR totp_last_step < $2)";
        let done = on_pool!(self, |pool| sqlx::query(sql)
            .bind(&user.0)
            .bind(step)
            .bind(true)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(done == 1)
    }

    /// Removes an account's second factor so they enrol again (a lost phone).
    pub async fn reset_mfa(&self, cap: &UserAdmin<'_>, origin: Origin, user: &UserId) -> Result<()> {
        let mut tx = self.write().await?;
        let sql = "UPDATE users SET totp_secret = NULL, totp_last_step = NULL, mfa_enabled = $3, \
                   session_epoch = session_epoch + 1 WHERE id = $1 AND school_id = $2";
        let done = on_tx!(&mut tx, |c| sqlx::query(sql)
            .bind(&user.0)
            .bind(&cap.school().0)
            .bind(false)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        if done == 0 {
            return Err(Error::NotFound("user"));
        }
        let entry = user_entry(cap.school(), Actor::from_user(cap.actor()), actions::USER_MFA_ENROL, user, origin)
            .detail(serde_json::json!({ "reset": true }));
        audit_log::append(&mut tx, entry).await?;
        tx.commit().await
    }

    /// What a signed-in user may do: their role and channel grants. A disabled account has none.
    pub async fn principal(&self, user: &UserId) -> Result<Principal> {
        let account = self.user(user).await?;
        if account.disabled {
            return Err(Error::Disabled);
        }
        let sql = "SELECT channel_id, may_post, may_moderate FROM channel_grants WHERE user_id = $1 AND school_id = $2 \
                   ORDER BY channel_id";
        let rows: Vec<(String, bool, bool)> =
            on_pool!(self, |pool| sqlx::query_as(sql).bind(&user.0).bind(&account.school.0).fetch_all(pool).await)?;
        let grants = rows
            .into_iter()
            .map(|(channel, may_post, may_moderate)| Grant {
                channel: school::access::ChannelId(channel),
                may_post,
                may_moderate,
            })
            .collect();
        Ok(Principal { user: account.id, school: account.school, role: account.role, grants })
    }

    /// Issues an API token acting as `principal`, limited to `scopes`; the secret is returned once.
    pub async fn create_api_token(
        &self,
        principal: &Principal,
        origin: Origin,
        name: &str,
        scopes: &[String],
    ) -> Result<NewApiToken> {
        use base64::Engine as _;
        let mut raw = [0u8; 32];
        random(&mut raw)?;
        let secret = format!("gh_{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw));
        let id = new_id();
        let created = now();
        let mut tx = self.write().await?;
        let sql = "INSERT INTO api_tokens (id, school_id, user_id, name, token_sha256, scopes, created_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7)";
        on_tx!(&mut tx, |c| {
            sqlx::query(sql)
                .bind(&id)
                .bind(&principal.school.0)
                .bind(&principal.user.0)
                .bind(name)
                .bind(token_digest(&secret))
                .bind(scopes.join(" "))
                .bind(Ts(created))
                .execute(c)
                .await
                .map(|r| r.rows_affected())
        })?;
        let entry = NewEntry::new(
            principal.school.clone(),
            Actor::from_user(&principal.user),
            actions::API_TOKEN_CREATE,
            "api_token",
            &id,
        )
        .from(origin.as_text())
        .detail(serde_json::json!({ "name": name, "scopes": scopes }));
        audit_log::append(&mut tx, entry).await?;
        tx.commit().await?;
        let token = ApiToken {
            id,
            user: principal.user.clone(),
            name: name.to_string(),
            scopes: scopes.to_vec(),
            created_at: created,
            last_used_at: None,
            revoked_at: None,
        };
        Ok(NewApiToken { token, secret })
    }

    /// The principal's own API tokens, newest first.
    pub async fn api_tokens(&self, principal: &Principal) -> Result<Vec<ApiToken>> {
        let sql = "SELECT id, user_id, name, scopes, created_at, last_used_at, revoked_at FROM api_tokens \
                   WHERE user_id = $1 AND school_id = $2 ORDER BY created_at DESC, id";
        type Row = (String, String, String, String, Ts, Option<Ts>, Option<Ts>);
        let rows: Vec<Row> = on_pool!(self, |pool| {
            sqlx::query_as(sql).bind(&principal.user.0).bind(&principal.school.0).fetch_all(pool).await
        })?;
        Ok(rows
            .into_iter()
            .map(|(id, user, name, scopes, created, used, revoked)| ApiToken {
                id,
                user: UserId(user),
                name,
                scopes: scopes.split_whitespace().map(str::to_string).collect(),
                created_at: created.0,
                last_used_at: used.map(|t| t.0),
                revoked_at: revoked.map(|t| t.0),
            })
            .collect())
    }

    /// Revokes one of the principal's own tokens.
    pub async fn revoke_api_token(&self, principal: &Principal, origin: Origin, id: &str) -> Result<()> {
        let mut tx = self.write().await?;
        let sql = "UPDATE api_tokens SET revoked_at = $4 WHERE id = $1 AND user_id = $2 AND school_id = $3 \
                   AND revoked_at IS NULL";
        let done = on_tx!(&mut tx, |c| {
            sqlx::query(sql)
                .bind(id)
                .bind(&principal.user.0)
                .bind(&principal.school.0)
                .bind(Ts(now()))
                .execute(c)
                .await
                .map(|r| r.rows_affected())
        })?;
        if done == 0 {
            return Err(Error::NotFound("api token"));
        }
        let entry = NewEntry::new(
            principal.school.clone(),
            Actor::from_user(&principal.user),
            actions::API_TOKEN_REVOKE,
            "api_token",
            id,
        )
        .from(origin.as_text());
        audit_log::append(&mut tx, entry).await?;
        tx.commit().await
    }

    /// The principal and scopes an API token acts with (`None` if unknown or revoked); notes its use.
    pub async fn api_token_principal(&self, secret: &str) -> Result<Option<(Principal, Vec<String>)>> {
        let sql = "UPDATE api_tokens SET last_used_at = $2 WHERE token_sha256 = $1 AND revoked_at IS NULL \
                   RETURNING user_id, scopes";
        let row: Option<(String, String)> = on_pool!(self, |pool| {
            sqlx::query_as(sql).bind(token_digest(secret)).bind(Ts(now())).fetch_optional(pool).await
        })?;
        let Some((user, scopes)) = row else { return Ok(None) };
        match self.principal(&UserId(user)).await {
            Ok(p) => Ok(Some((p, scopes.split_whitespace().map(str::to_string).collect()))),
            Err(Error::Disabled) => Ok(None),
            Err(e) => Err(e),
        }
    }
}
