//! The channel registry, its encrypted credentials, and the grants that let staff use a channel.
//!
//! Credentials are write-only from the registry's side: they go in through
//! [`Store::set_channel_credentials`] and come out only as [`PlatformCredentials`] for code that holds a
//! poster's or moderator's capability for that channel — the platform client — never as a field of
//! [`Channel`], which is what pages and the API show.

use std::fmt;

use school::access::{ChannelAdmin, ChannelId, ChannelModerator, ChannelPoster, ChannelReader, Role, SchoolId, UserId};
use school::audit::{Actor, NewEntry, actions};
use school::channel::{Channel, ChannelGrant, ChannelStatus, NewChannel};

use crate::audit_log;
use crate::db::{Origin, Store, Ts, new_id, now, on_pool, on_tx, parse};
use crate::error::{Error, Result, conflict_on_unique};
use crate::secret::SecretKey;

/// A channel's platform credentials (a page access token, an API key pair as JSON…). Its `Debug` hides
/// them and it has no `Display` or `Serialize`, so it cannot end up in a page, a log line or a response.
#[derive(Clone, PartialEq, Eq)]
pub struct PlatformCredentials(String);

impl PlatformCredentials {
    /// Wraps credentials as entered.
    pub fn new(secret: impl Into<String>) -> PlatformCredentials {
        PlatformCredentials(secret.into())
    }

    /// The credentials themselves, for the request to the platform and nothing else.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PlatformCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PlatformCredentials(<redacted>)")
    }
}

/// Binds a channel's ciphertext to its row: copied into another channel, it fails to decrypt.
fn credentials_context(channel: &ChannelId) -> String {
    format!("channels.credentials:{}", channel.0)
}

const CHANNEL_COLUMNS: &str =
    "id, school_id, kind, name, handle, url, status, credentials IS NOT NULL AS has_credentials";

#[derive(sqlx::FromRow)]
struct ChannelRow {
    id: String,
    school_id: String,
    kind: String,
    name: String,
    handle: String,
    url: Option<String>,
    status: String,
    has_credentials: bool,
}

impl ChannelRow {
    fn channel(self) -> Result<Channel> {
        Ok(Channel {
            id: ChannelId(self.id),
            school: SchoolId(self.school_id),
            kind: parse(&self.kind, "channel kind")?,
            name: self.name,
            handle: self.handle,
            url: self.url,
            status: parse(&self.status, "channel status")?,
            has_credentials: self.has_credentials,
        })
    }
}

fn channel_entry(school: &SchoolId, by: &UserId, action: &str, channel: &ChannelId, origin: Origin) -> NewEntry {
    NewEntry::new(school.clone(), Actor::from_user(by), action, "channel", &channel.0).from(origin.as_text())
}

impl Store {
    async fn channel_in(&self, school: &SchoolId, id: &ChannelId) -> Result<Channel> {
        let sql = format!("SELECT {CHANNEL_COLUMNS} FROM channels WHERE id = $1 AND school_id = $2");
        let row: Option<ChannelRow> =
            on_pool!(self, |pool| sqlx::query_as(&sql).bind(&id.0).bind(&school.0).fetch_optional(pool).await)?;
        row.ok_or(Error::NotFound("channel"))?.channel()
    }

    /// Registers a channel in the capability's school (active, without credentials).
    pub async fn add_channel(&self, cap: &ChannelAdmin<'_>, origin: Origin, new: &NewChannel) -> Result<Channel> {
        if new.name.trim().is_empty() || new.handle.trim().is_empty() {
            return Err(Error::Invalid("a channel needs a name and a handle".into()));
        }
        let id = ChannelId(new_id());
        let mut tx = self.write().await?;
        let sql = "INSERT INTO channels (id, school_id, kind, name, handle, url, status, created_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
        on_tx!(&mut tx, |c| {
            sqlx::query(sql)
                .bind(&id.0)
                .bind(&cap.school().0)
                .bind(new.kind.as_str())
                .bind(new.name.trim())
                .bind(new.handle.trim())
                .bind(&new.url)
                .bind(ChannelStatus::Active.as_str())
                .bind(Ts(now()))
                .execute(c)
                .await
                .map(|r| r.rows_affected())
        })
        .map_err(conflict_on_unique("a channel with that kind and handle"))?;
        let entry = channel_entry(cap.school(), cap.actor(), actions::CHANNEL_ADD, &id, origin)
            .detail(serde_json::json!({ "kind": new.kind.as_str(), "handle": new.handle.trim() }));
        audit_log::append(&mut tx, entry).await?;
        tx.commit().await?;
        self.channel_in(cap.school(), &id).await
    }

    /// Sets a channel's status (active, paused, retired).
    pub async fn set_channel_status(
        &self,
        cap: &ChannelAdmin<'_>,
        origin: Origin,
        id: &ChannelId,
        status: ChannelStatus,
    ) -> Result<Channel> {
        let mut tx = self.write().await?;
        let sql = "UPDATE channels SET status = $3 WHERE id = $1 AND school_id = $2";
        let done = on_tx!(&mut tx, |c| {
            sqlx::query(sql)
                .bind(&id.0)
                .bind(&cap.school().0)
                .bind(status.as_str())
                .execute(c)
                .await
                .map(|r| r.rows_affected())
        })?;
        if done == 0 {
            return Err(Error::NotFound("channel"));
        }
        let entry = channel_entry(cap.school(), cap.actor(), actions::CHANNEL_UPDATE, id, origin)
            .detail(serde_json::json!({ "status": status.as_str() }));
        audit_log::append(&mut tx, entry).await?;
        tx.commit().await?;
        self.channel_in(cap.school(), id).await
    }

    /// Stores a channel's platform credentials, encrypted; they are never shown again.
    pub async fn set_channel_credentials(
        &self,
        cap: &ChannelAdmin<'_>,
        origin: Origin,
        key: &SecretKey,
        id: &ChannelId,
        credentials: &PlatformCredentials,
    ) -> Result<()> {
        let sealed = key.encrypt(credentials.0.as_bytes(), &credentials_context(id))?;
        let mut tx = self.write().await?;
        let sql = "UPDATE channels SET credentials = $3, credentials_set_at = $4 WHERE id = $1 AND school_id = $2";
        let done = on_tx!(&mut tx, |c| {
            sqlx::query(sql)
                .bind(&id.0)
                .bind(&cap.school().0)
                .bind(&sealed)
                .bind(Ts(now()))
                .execute(c)
                .await
                .map(|r| r.rows_affected())
        })?;
        if done == 0 {
            return Err(Error::NotFound("channel"));
        }
        let entry = channel_entry(cap.school(), cap.actor(), actions::CHANNEL_CREDENTIALS_SET, id, origin);
        audit_log::append(&mut tx, entry).await?;
        tx.commit().await
    }

    async fn credentials(
        &self,
        key: &SecretKey,
        school: &SchoolId,
        id: &ChannelId,
    ) -> Result<Option<PlatformCredentials>> {
        let sql = "SELECT credentials FROM channels WHERE id = $1 AND school_id = $2";
        let row: Option<Option<Vec<u8>>> =
            on_pool!(self, |pool| sqlx::query_scalar(sql).bind(&id.0).bind(&school.0).fetch_optional(pool).await)?;
        let Some(sealed) = row.ok_or(Error::NotFound("channel"))? else { return Ok(None) };
        let plain = key.decrypt(&sealed, &credentials_context(id))?;
        let text = String::from_utf8(plain).map_err(|_| Error::Corrupt("channel credentials are not text".into()))?;
        Ok(Some(PlatformCredentials(text)))
    }

    /// The credentials the platform client needs to post on the capability's channel.
    pub async fn credentials_for_posting(
        &self,
        cap: &ChannelPoster<'_>,
        key: &SecretKey,
    ) -> Result<Option<PlatformCredentials>> {
        self.credentials(key, cap.school(), cap.channel()).await
    }

    /// The credentials the platform client needs to moderate the capability's channel.
    pub async fn credentials_for_moderation(
        &self,
        cap: &ChannelModerator<'_>,
        key: &SecretKey,
    ) -> Result<Option<PlatformCredentials>> {
        self.credentials(key, cap.school(), cap.channel()).await
    }

    /// One channel of the capability's school.
    pub async fn channel(&self, cap: &ChannelReader<'_>, id: &ChannelId) -> Result<Channel> {
        self.channel_in(cap.school(), id).await
    }

    /// The channels of the capability's school, by name.
    pub async fn channels(&self, cap: &ChannelReader<'_>) -> Result<Vec<Channel>> {
        let sql = format!("SELECT {CHANNEL_COLUMNS} FROM channels WHERE school_id = $1 ORDER BY name, id");
        let rows: Vec<ChannelRow> =
            on_pool!(self, |pool| sqlx::query_as(&sql).bind(&cap.school().0).fetch_all(pool).await)?;
        rows.into_iter().map(ChannelRow::channel).collect()
    }

    /// Grants a user of the capability's school the use of a channel; with neither right, removes the
    /// grant. Governors see figures only, so they cannot be granted a channel.
    pub async fn grant(
        &self,
        cap: &ChannelAdmin<'_>,
        origin: Origin,
        user: &UserId,
        channel: &ChannelId,
        may_post: bool,
        may_moderate: bool,
    ) -> Result<()> {
        let grantee = self.user(user).await?;
        if &grantee.school != cap.school() {
            return Err(Error::NotFound("user"));
        }
        if grantee.role == Role::Governor && (may_post || may_moderate) {
            return Err(Error::Invalid("governors see figures only and cannot use a channel".into()));
        }
        self.channel_in(cap.school(), channel).await?;
        let mut tx = self.write().await?;
        let (school, by) = (&cap.school().0, &cap.actor().0);
        let action = if may_post || may_moderate {
            let sql = "INSERT INTO channel_grants (school_id, channel_id, user_id, may_post, may_moderate, granted_by, \
                       granted_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (channel_id, user_id) DO UPDATE SET \
                       may_post = excluded.may_post, may_moderate = excluded.may_moderate, \
                       granted_by = excluded.granted_by, granted_at = excluded.granted_at";
            on_tx!(&mut tx, |c| {
                sqlx::query(sql)
                    .bind(school)
                    .bind(&channel.0)
                    .bind(&user.0)
                    .bind(may_post)
                    .bind(may_moderate)
                    .bind(by)
                    .bind(Ts(now()))
                    .execute(c)
                    .await
                    .map(|r| r.rows_affected())
            })?;
            actions::CHANNEL_GRANT
        } else {
            let sql = "DELETE FROM channel_grants WHERE school_id = $1 AND channel_id = $2 AND user_id = $3";
            on_tx!(&mut tx, |c| {
                sqlx::query(sql).bind(school).bind(&channel.0).bind(&user.0).execute(c).await.map(|r| r.rows_affected())
            })?;
            actions::CHANNEL_REVOKE
        };
        let entry = channel_entry(cap.school(), cap.actor(), action, channel, origin)
            .detail(serde_json::json!({ "user": user.0, "may_post": may_post, "may_moderate": may_moderate }));
        audit_log::append(&mut tx, entry).await?;
        tx.commit().await
    }

    /// Who may use a channel of the capability's school, and how.
    pub async fn channel_grants(&self, cap: &ChannelReader<'_>, channel: &ChannelId) -> Result<Vec<ChannelGrant>> {
        let sql = "SELECT channel_id, user_id, may_post, may_moderate, granted_by, granted_at FROM channel_grants \
                   WHERE school_id = $1 AND channel_id = $2 ORDER BY user_id";
        let rows: Vec<(String, String, bool, bool, String, Ts)> =
            on_pool!(self, |pool| sqlx::query_as(sql).bind(&cap.school().0).bind(&channel.0).fetch_all(pool).await)?;
        Ok(rows
            .into_iter()
            .map(|(channel, user, may_post, may_moderate, granted_by, at)| ChannelGrant {
                channel: ChannelId(channel),
                user: UserId(user),
                may_post,
                may_moderate,
                granted_by,
                granted_at: at.0,
            })
            .collect())
    }
}
