//! The audit log in the database: appending inside each change's transaction, reading it back for the
//! headteacher, checking the chain, exporting it.
//!
//! The chain's head (`audit_heads`) is read and moved in the same transaction as the append — under
//! `SELECT … FOR UPDATE` on PostgreSQL, under SQLite's `BEGIN IMMEDIATE` write lock — so two server
//! processes appending at once queue on the head instead of both appending after the same entry.

use school::access::SchoolId;
use school::audit::{Entry, Head, NewEntry};

use crate::db::{Tx, now, on_tx, parse};
use crate::error::{Error, Result};

/// One school's chain, open for appending within a transaction.
pub(crate) struct Chain {
    school: SchoolId,
    head: Head,
}

impl Chain {
    /// Locks and reads the school's head.
    pub(crate) async fn open(tx: &mut Tx, school: &SchoolId) -> Result<Chain> {
        let sql = format!("SELECT seq, hash FROM audit_heads WHERE school_id = $1{}", tx.for_update());
        let row: Option<(i64, String)> = on_tx!(tx, |c| sqlx::query_as(&sql).bind(&school.0).fetch_optional(c).await)?;
        let (seq, hash) = row.ok_or(Error::NotFound("school"))?;
        Ok(Chain { school: school.clone(), head: Head { seq, hash: parse(&hash, "audit head hash")? } })
    }

    /// Appends one entry after the current head.
    pub(crate) async fn append(&mut self, tx: &mut Tx, new: NewEntry) -> Result<Entry> {
        if new.school != self.school {
            return Err(Error::Invalid(format!(
                "an entry for school {} in school {}'s chain",
                new.school.0, self.school.0
            )));
        }
        let entry = Entry::append(&self.head, new, now());
        insert(tx, &entry).await?;
        self.head = entry.head();
        Ok(entry)
    }

    /// Moves the stored head to the last entry appended.
    pub(crate) async fn close(self, tx: &mut Tx) -> Result<()> {
        let sql = "UPDATE audit_heads SET seq = $2, hash = $3 WHERE school_id = $1";
        on_tx!(tx, |c| {
            sqlx::query(sql)
                .bind(&self.school.0)
                .bind(self.head.seq)
                .bind(self.head.hash.to_string())
                .execute(c)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }
}

async fn insert(tx: &mut Tx, e: &Entry) -> Result<()> {
    let sql = "INSERT INTO audit (school_id, seq, at, actor, action, object_kind, object_id, from_addr, outcome, \
               detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
    on_tx!(tx, |c| {
        sqlx::query(sql)
            .bind(&e.school.0)
            .bind(e.seq)
            .bind(crate::db::Ts(e.at))
            .bind(e.actor.to_string())
            .bind(&e.action)
            .bind(&e.object_kind)
            .bind(&e.object_id)
            .bind(&e.from)
            .bind(e.outcome.as_str())
            .bind(&e.detail)
            .bind(e.prev_hash.to_string())
            .bind(e.hash.to_string())
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Appends one entry in its own place in the transaction: open, append, close.
pub(crate) async fn append(tx: &mut Tx, new: NewEntry) -> Result<Entry> {
    let mut chain = Chain::open(tx, &new.school.clone()).await?;
    let entry = chain.append(tx, new).await?;
    chain.close(tx).await?;
    Ok(entry)
}

/// Which entries a reader wants.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub action: Option<String>,
    pub outcome: Option<school::audit::Outcome>,
    pub object_kind: Option<String>,
    pub object_id: Option<String>,
    /// Only entries before this seq (for paging backwards from the newest).
    pub before_seq: Option<i64>,
    /// At most this many, newest first; 100 when unset.
    pub limit: Option<i64>,
}

/// The result of checking every chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    pub schools: u64,
    pub entries: u64,
}

/// Export formats for the audit log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Json,
}
