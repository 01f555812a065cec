//! The audit log in the database: appending inside each change's transaction, reading it back for the
//! headteacher, checking the chain, exporting it.
//!
//! The chain's head (`audit_heads`) is read and moved in the same transaction as the append — under
//! `SELECT … FOR UPDATE` on PostgreSQL, under SQLite's `BEGIN IMMEDIATE` write lock — so two server
//! processes appending at once queue on the head instead of both appending after the same entry.

use school::access::{AuditReader, Principal, SchoolId};
use school::audit::{Actor, BadHash, Broken, Entry, Hash, Head, NewEntry, Outcome, Reason, Verifier};

use crate::db::{Origin, Store, Ts, Tx, now, on_pool, on_tx, parse};
use crate::error::{Error, Result};
use crate::people::{Arg, Where};

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

/// Which entries a reader wants. Every condition given must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Who acted: a user id, or `system` (as [`Actor`] spells it).
    pub actor: Option<String>,
    pub action: Option<String>,
    pub outcome: Option<school::audit::Outcome>,
    pub object_kind: Option<String>,
    pub object_id: Option<String>,
    /// Only entries at or after this moment.
    pub since: Option<time::OffsetDateTime>,
    /// Only entries before this moment.
    pub until: Option<time::OffsetDateTime>,
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

const ENTRY_COLUMNS: &str =
    "school_id, seq, at, actor, action, object_kind, object_id, from_addr, outcome, detail, prev_hash, hash";

#[derive(sqlx::FromRow)]
struct EntryRow {
    school_id: String,
    seq: i64,
    at: Ts,
    actor: String,
    action: String,
    object_kind: String,
    object_id: String,
    from_addr: Option<String>,
    outcome: String,
    detail: String,
    prev_hash: String,
    hash: String,
}

impl EntryRow {
    /// The entry, or what in the row cannot be read (a hand-edited value).
    fn entry(self) -> std::result::Result<Entry, (SchoolId, i64, String)> {
        let (school, seq) = (SchoolId(self.school_id), self.seq);
        let bad = |what: &str, e: String| (school.clone(), seq, format!("{what}: {e}"));
        let outcome = self.outcome.parse::<Outcome>().map_err(|e| bad("outcome", e.to_string()))?;
        let prev_hash = self.prev_hash.parse::<Hash>().map_err(|e| bad("prev_hash", e.to_string()))?;
        let hash = self.hash.parse::<Hash>().map_err(|e| bad("hash", e.to_string()))?;
        Ok(Entry {
            seq,
            school: school.clone(),
            at: self.at.0,
            actor: self.actor.parse().unwrap_or(Actor::System),
            action: self.action,
            object_kind: self.object_kind,
            object_id: self.object_id,
            from: self.from_addr,
            outcome,
            detail: self.detail,
            prev_hash,
            hash,
        })
    }
}

fn unreadable((school, seq, why): (SchoolId, i64, String)) -> Broken {
    Broken { school, seq, reason: Reason::Unreadable(why) }
}

/// How many entries verification and export read at a time.
const PAGE: i64 = 1_000;

impl Store {
    /// Appends one entry on its own: sign-in events, and refused attempts (P2.3), which change nothing
    /// else and so have no other transaction to join.
    pub async fn record_audit(&self, entry: NewEntry) -> Result<Entry> {
        let mut tx = self.write().await?;
        let entry = append(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(entry)
    }

    /// Records that `principal` was refused `action` on an object (shown to the headteacher).
    pub async fn record_denied(
        &self,
        principal: &Principal,
        origin: Origin,
        action: &str,
        object_kind: &str,
        object_id: &str,
    ) -> Result<Entry> {
        let entry =
            NewEntry::new(principal.school.clone(), Actor::from_user(&principal.user), action, object_kind, object_id)
                .from(origin.as_text())
                .outcome(Outcome::Denied)
                .detail(serde_json::json!({ "role": principal.role.as_str() }));
        self.record_audit(entry).await
    }

    /// The capability's school's audit log, newest first, filtered.
    pub async fn audit(&self, cap: &AuditReader<'_>, filter: &AuditFilter) -> Result<Vec<Entry>> {
        let mut w = Where::new(format!("SELECT {ENTRY_COLUMNS} FROM audit WHERE school_id = $1"), &cap.school().0);
        let text = |w: &mut Where, column: &str, value: Option<&str>| {
            if let Some(v) = value {
                let p = w.arg(Arg::Text(v.to_string()));
                w.sql.push_str(&format!(" AND {column} = {p}"));
            }
        };
        text(&mut w, "actor", filter.actor.as_deref());
        text(&mut w, "action", filter.action.as_deref());
        text(&mut w, "outcome", filter.outcome.map(Outcome::as_str));
        text(&mut w, "object_kind", filter.object_kind.as_deref());
        text(&mut w, "object_id", filter.object_id.as_deref());
        let moment = |w: &mut Where, op: &str, value: Option<time::OffsetDateTime>| {
            if let Some(t) = value {
                // Entries are kept to the microsecond: compare with the first one not before `t`, so that
                // a bound between two microseconds neither takes nor drops an entry it should not.
                let p = w.arg(Arg::Moment(Ts::first_not_before(t)));
                w.sql.push_str(&format!(" AND at {op} {p}"));
            }
        };
        moment(&mut w, ">=", filter.since);
        moment(&mut w, "<", filter.until);
        if let Some(before) = filter.before_seq {
            let p = w.arg(Arg::Int(before));
            w.sql.push_str(&format!(" AND seq < {p}"));
        }
        let p = w.arg(Arg::Int(filter.limit.unwrap_or(100).clamp(1, 10_000)));
        w.sql.push_str(&format!(" ORDER BY seq DESC LIMIT {p}"));
        let rows: Vec<EntryRow> = on_pool!(self, |pool| {
            let mut q = sqlx::query_as(&w.sql);
            for a in &w.args {
                q = match a {
                    Arg::Text(t) => q.bind(t),
                    Arg::Int(n) => q.bind(n),
                    Arg::Moment(t) => q.bind(t),
                };
            }
            q.fetch_all(pool).await
        })?;
        rows.into_iter()
            .map(|r| r.entry().map_err(|(_, seq, why)| Error::Corrupt(format!("audit entry {seq}: {why}"))))
            .collect()
    }

    /// Up to `limit` raw rows of one school's chain after `after_seq`, in order (operators: verify, export).
    async fn audit_rows(&self, school: &SchoolId, after_seq: i64, limit: i64) -> Result<Vec<EntryRow>> {
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM audit WHERE school_id = $1 AND seq > $2 ORDER BY seq LIMIT $3");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(&school.0)
            .bind(after_seq)
            .bind(limit)
            .fetch_all(pool)
            .await)?)
    }

    async fn audit_head(&self, school: &SchoolId) -> Result<std::result::Result<Head, Broken>> {
        let sql = "SELECT seq, hash FROM audit_heads WHERE school_id = $1";
        let row: Option<(i64, String)> =
            on_pool!(self, |pool| sqlx::query_as(sql).bind(&school.0).fetch_optional(pool).await)?;
        let broken = |why: String| Broken { school: school.clone(), seq: 0, reason: Reason::Unreadable(why) };
        Ok(match row {
            None => Err(broken("the chain's head is missing".into())),
            Some((seq, hash)) => {
                hash.parse().map(|hash| Head { seq, hash }).map_err(|e: BadHash| broken(e.to_string()))
            }
        })
    }

    /// Checks every school's chain (an operator's task: `gatehouse audit verify`): `Ok(Ok(counts))` when
    /// intact, `Ok(Err(first break))` when not, `Err` when the database could not be read.
    pub async fn verify_audit(&self) -> Result<std::result::Result<Verified, Broken>> {
        let mut verifier = Verifier::new();
        let schools = self.schools().await?;
        for school in &schools {
            // Read the head first: entries appended while we read only extend the chain past it.
            let head = match self.audit_head(&school.id).await? {
                Ok(head) => head,
                Err(broken) => return Ok(Err(broken)),
            };
            let mut after = 0;
            while after < head.seq {
                let rows = self.audit_rows(&school.id, after, PAGE.min(head.seq - after)).await?;
                if rows.is_empty() {
                    break;
                }
                for row in rows {
                    if row.seq > head.seq {
                        break;
                    }
                    let entry = match row.entry() {
                        Ok(e) => e,
                        Err(bad) => return Ok(Err(unreadable(bad))),
                    };
                    after = entry.seq;
                    if let Err(broken) = verifier.check(&entry) {
                        return Ok(Err(broken));
                    }
                }
            }
            if let Err(broken) = verifier.finish_school(&school.id, head) {
                return Ok(Err(broken));
            }
        }
        Ok(Ok(Verified { schools: schools.len() as u64, entries: verifier.checked() }))
    }

    /// Writes one school's audit log, oldest first, as CSV or a JSON array; returns how many entries.
    pub async fn export_audit(
        &self,
        cap: &AuditReader<'_>,
        format: ExportFormat,
        out: &mut (dyn std::io::Write + Send),
    ) -> Result<u64> {
        self.export_schools(std::slice::from_ref(cap.school()), format, out).await
    }

    /// Writes every school's audit log, school by school (an operator's task: `gatehouse audit export`).
    pub async fn export_all_audit(&self, format: ExportFormat, out: &mut (dyn std::io::Write + Send)) -> Result<u64> {
        let schools: Vec<SchoolId> = self.schools().await?.into_iter().map(|s| s.id).collect();
        self.export_schools(&schools, format, out).await
    }

    async fn export_schools(
        &self,
        schools: &[SchoolId],
        format: ExportFormat,
        out: &mut (dyn std::io::Write + Send),
    ) -> Result<u64> {
        let io = |e: std::io::Error| Error::Invalid(format!("cannot write the export: {e}"));
        let opening = match format {
            ExportFormat::Csv => csv_line(&EXPORT_HEADER.map(str::to_string))?,
            ExportFormat::Json => b"[".to_vec(),
        };
        out.write_all(&opening).map_err(io)?;
        let mut count = 0u64;
        for school in schools {
            let mut after = 0;
            loop {
                let rows = self.audit_rows(school, after, PAGE).await?;
                if rows.is_empty() {
                    break;
                }
                for row in rows {
                    after = row.seq;
                    let entry =
                        row.entry().map_err(|(_, seq, why)| Error::Corrupt(format!("audit entry {seq}: {why}")))?;
                    let bytes = match format {
                        ExportFormat::Csv => csv_line(&csv_record(&entry))?,
                        ExportFormat::Json => {
                            let sep = if count == 0 { "\n" } else { ",\n" };
                            format!("{sep}{}", json_entry(&entry)).into_bytes()
                        }
                    };
                    out.write_all(&bytes).map_err(io)?;
                    count += 1;
                }
            }
        }
        if format == ExportFormat::Json {
            out.write_all(if count == 0 { b"]\n" } else { b"\n]\n" }).map_err(io)?;
        }
        out.flush().map_err(io)?;
        Ok(count)
    }
}

/// One CSV line, quoted as needed.
fn csv_line(fields: &[String]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(fields).map_err(|e| Error::Invalid(e.to_string()))?;
    w.into_inner().map_err(|e| Error::Invalid(e.to_string()))
}

const EXPORT_HEADER: [&str; 12] = [
    "school",
    "seq",
    "at",
    "actor",
    "action",
    "object_kind",
    "object_id",
    "from",
    "outcome",
    "detail",
    "prev_hash",
    "hash",
];

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_else(|_| t.unix_timestamp().to_string())
}

fn csv_record(e: &Entry) -> [String; 12] {
    [
        e.school.0.clone(),
        e.seq.to_string(),
        rfc3339(e.at),
        e.actor.to_string(),
        e.action.clone(),
        e.object_kind.clone(),
        e.object_id.clone(),
        e.from.clone().unwrap_or_default(),
        e.outcome.as_str().to_string(),
        e.detail.clone(),
        e.prev_hash.to_string(),
        e.hash.to_string(),
    ]
}

/// An entry as export JSON: the detail as JSON, not as a string of JSON.
fn json_entry(e: &Entry) -> serde_json::Value {
    let detail =
        serde_json::from_str::<serde_json::Value>(&e.detail).unwrap_or(serde_json::Value::String(e.detail.clone()));
    serde_json::json!({
        "school": e.school.0,
        "seq": e.seq,
        "at": rfc3339(e.at),
        "actor": e.actor.to_string(),
        "action": e.action,
        "object_kind": e.object_kind,
        "object_id": e.object_id,
        "from": e.from,
        "outcome": e.outcome.as_str(),
        "detail": detail,
        "prev_hash": e.prev_hash.to_string(),
        "hash": e.hash.to_string(),
    })
}
