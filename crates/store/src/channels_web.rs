//! Channel methods the web layer's registry pages need beyond `channels.rs`: editing a channel's
//! details, and when its credentials were set (pages say "credentials set on <date>", never what they
//! are). Kept apart from `channels.rs` while that file is being written; fold in when convenient.

use school::access::{ChannelAdmin, ChannelId, ChannelReader};
use school::audit::{Actor, NewEntry, actions};
use school::channel::NewChannel;
use time::OffsetDateTime;

use crate::audit_log;
use crate::db::{Origin, Store, Ts, on_pool, on_tx};
use crate::error::{Error, Result, conflict_on_unique};

impl Store {
    /// Changes a channel's platform, name, handle and address; the audit entry names the fields that
    /// changed, and nothing is written when none did. Its status has [`Store::set_channel_status`]; its
    /// credentials are untouched.
    pub async fn update_channel(
        &self,
        cap: &ChannelAdmin<'_>,
        origin: Origin,
        id: &ChannelId,
        new: &NewChannel,
    ) -> Result<()> {
        let (name, handle) = (new.name.trim(), new.handle.trim());
        if name.is_empty() || handle.is_empty() {
            return Err(Error::Invalid("a channel needs a name and a handle".into()));
        }
        let sql = "SELECT kind, name, handle, url FROM channels WHERE id = $1 AND school_id = $2";
        let before: Option<(String, String, String, Option<String>)> =
            on_pool!(self, |pool| sqlx::query_as(sql).bind(&id.0).bind(&cap.school().0).fetch_optional(pool).await)?;
        let (kind, old_name, old_handle, url) = before.ok_or(Error::NotFound("channel"))?;
        let changed: Vec<&str> = [
            ("kind", kind != new.kind.as_str()),
            ("name", old_name != name),
            ("handle", old_handle != handle),
            ("url", url != new.url),
        ]
        .into_iter()
        .filter_map(|(field, differs)| differs.then_some(field))
        .collect();
        if changed.is_empty() {
            return Ok(());
        }
        let mut tx = self.write().await?;
        let sql = "UPDATE channels SET kind = $3, name = $4, handle = $5, url = $6 WHERE id = $1 AND school_id = $2";
        on_tx!(&mut tx, |c| {
            sqlx::query(sql)
                .bind(&id.0)
                .bind(&cap.school().0)
                .bind(new.kind.as_str())
                .bind(name)
                .bind(handle)
                .bind(&new.url)
                .execute(c)
                .await
                .map(|r| r.rows_affected())
        })
        .map_err(conflict_on_unique("a channel with that kind and handle"))?;
        let actor = Actor::from_user(cap.actor());
        let entry = NewEntry::new(cap.school().clone(), actor, actions::CHANNEL_UPDATE, "channel", &id.0)
            .from(origin.as_text())
            .detail(serde_json::json!({ "fields": changed }));
        audit_log::append(&mut tx, entry).await?;
        tx.commit().await
    }

    /// When a channel's credentials were last set, or `None` if they never were.
    pub async fn channel_credentials_set_at(
        &self,
        cap: &ChannelReader<'_>,
        id: &ChannelId,
    ) -> Result<Option<OffsetDateTime>> {
        let sql = "SELECT credentials_set_at FROM channels WHERE id = $1 AND school_id = $2";
        let row: Option<Option<Ts>> = on_pool!(self, |pool| sqlx::query_scalar(sql)
            .bind(&id.0)
            .bind(&cap.school().0)
            .fetch_optional(pool)
            .await)?;
        Ok(row.ok_or(Error::NotFound("channel"))?.map(|t| t.0))
    }
}
