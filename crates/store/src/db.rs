//! The two engines behind one enum, the macros that dispatch a query to either, and the few types whose
//! storage differs between them (timestamps).

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;
use std::time::Duration;

use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Database, Decode, Encode, Postgres, Sqlite, Type};
use time::OffsetDateTime;

use crate::error::{Error, Result};

/// Gatehouse's database: SQLite or PostgreSQL, one API.
#[derive(Clone)]
pub enum Store {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Where a change came from, for the audit log: the client's address, or nothing for the command line
/// and background jobs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Origin(pub Option<IpAddr>);

impl Origin {
    /// The command line or a job: no network address.
    pub const LOCAL: Origin = Origin(None);

    /// A request from `ip`.
    pub fn remote(ip: IpAddr) -> Origin {
        Origin(Some(ip))
    }

    pub(crate) fn as_text(self) -> Option<String> {
        self.0.map(|ip| ip.to_string())
    }
}

/// Runs `$body` with `$pool` bound to whichever concrete pool the store holds. The body is compiled once
/// per engine, so each query is typed against its own driver.
macro_rules! on_pool {
    ($store:expr, |$pool:ident| $body:expr) => {
        match $store {
            $crate::db::Store::Sqlite($pool) => $body,
            $crate::db::Store::Postgres($pool) => $body,
        }
    };
}

/// Runs `$body` with `$conn` bound to the connection of whichever transaction `$tx` holds.
macro_rules! on_tx {
    ($tx:expr, |$conn:ident| $body:expr) => {
        match $tx {
            $crate::db::Tx::Sqlite(t) => {
                let $conn = &mut **t;
                $body
            }
            $crate::db::Tx::Postgres(t) => {
                let $conn = &mut **t;
                $body
            }
        }
    };
}

pub(crate) use {on_pool, on_tx};

/// A write transaction on either engine.
pub(crate) enum Tx {
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

impl Tx {
    /// Commits; dropping a `Tx` without this rolls everything back.
    pub(crate) async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }

    pub(crate) fn is_postgres(&self) -> bool {
        matches!(self, Tx::Postgres(_))
    }

    /// `" FOR UPDATE"` on PostgreSQL; nothing on SQLite, whose `BEGIN IMMEDIATE` already holds the
    /// database's one write lock for the whole transaction.
    pub(crate) fn for_update(&self) -> &'static str {
        if self.is_postgres() { " FOR UPDATE" } else { "" }
    }
}

/// How often a SQLite start that meets another process's lock tries again.
const RETRIES: u32 = 10;

/// Whether SQLite refused for a lock another connection holds (SQLITE_BUSY and its extended codes).
fn is_locked(e: &sqlx::Error) -> bool {
    let code = e.as_database_error().and_then(|d| d.code());
    code.and_then(|c| c.parse::<i32>().ok()).is_some_and(|c| c & 0xff == 5)
}

/// Wait a little longer each time, so that processes starting together fall out of step.
async fn back_off(attempt: u32) -> u32 {
    tokio::time::sleep(Duration::from_millis(20 * u64::from(attempt + 1))).await;
    attempt + 1
}

impl Store {
    /// Connects to `sqlite://path?mode=rwc`, `sqlite::memory:` or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Store> {
        if url.starts_with("sqlite:") {
            Self::connect_sqlite(url).await
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new().max_connections(10).acquire_timeout(Duration::from_secs(30));
            Ok(Store::Postgres(pool.connect(url).await?))
        } else {
            Err(Error::UnsupportedUrl(redact_url(url)))
        }
    }

    async fn connect_sqlite(url: &str) -> Result<Store> {
        let options = SqliteConnectOptions::from_str(url)?
            .foreign_keys(true)
            // Writers queue behind one another instead of failing at once with SQLITE_BUSY.
            .busy_timeout(Duration::from_secs(30))
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal);
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        let pool = if in_memory {
            // Each connection to `sqlite::memory:` gets its own empty database: keep exactly one, forever.
            SqlitePoolOptions::new().max_connections(1).min_connections(1).idle_timeout(None).max_lifetime(None)
        } else {
            SqlitePoolOptions::new().max_connections(8)
        };
        let pool = pool.acquire_timeout(Duration::from_secs(60));
        // SQLite answers "database is locked" at once, without its busy timeout, when several
        // processes switch a new file to WAL together: they wait a moment and try again.
        let mut attempt = 0;
        loop {
            match pool.clone().connect_with(options.clone()).await {
                Err(e) if is_locked(&e) && attempt < RETRIES => attempt = back_off(attempt).await,
                connected => return Ok(Store::Sqlite(connected?)),
            }
        }
    }

    /// Brings the schema up to date; safe when several processes start at once.
    pub async fn migrate(&self) -> Result<()> {
        if let Store::Postgres(_) = self {
            // sqlx holds an advisory lock while it migrates, so concurrent starts queue up.
            return self.migrate_once().await;
        }
        // SQLite has no advisory lock: two processes may both find a migration unapplied, and the
        // second then fails on the first's tables; or one wants to write where another already
        // does, and SQLite says "database is locked" at once rather than wait. Each migration is
        // one transaction, so nothing is half-applied; running again finds it applied.
        let mut attempt = 0;
        loop {
            match self.migrate_once().await {
                Err(_) if attempt < RETRIES => attempt = back_off(attempt).await,
                done => return done,
            }
        }
    }

    /// One pass of the migrations: the schema's, then the session table's.
    async fn migrate_once(&self) -> Result<()> {
        match self {
            Store::Postgres(pool) => sqlx::migrate!("migrations/postgres").run(pool).await?,
            Store::Sqlite(pool) => sqlx::migrate!("migrations/sqlite").run(pool).await?,
        }
        self.session_store().migrate().await
    }

    /// Closes the pool, waiting for connections in use to be returned.
    pub async fn close(&self) {
        on_pool!(self, |pool| pool.close().await)
    }

    /// Whether the database answers: the cheapest query there is, on whichever pool is there. For health
    /// checks, so a load balancer takes a server whose database is gone out of rotation.
    pub async fn ping(&self) -> Result<()> {
        on_pool!(self, |pool| sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// Which engine this is: `"sqlite"` or `"postgres"`.
    pub fn engine(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }

    /// Starts a write transaction: `BEGIN IMMEDIATE` on SQLite, so the write lock is taken up front and
    /// a transaction never fails half-way for want of it; a plain `BEGIN` on PostgreSQL, where rows are
    /// locked as they are touched.
    pub(crate) async fn write(&self) -> Result<Tx> {
        Ok(match self {
            Store::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            Store::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }
}

/// Hides the password in a database URL.
fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}://{user}:<redacted>{}", &url[..scheme], &url[at..])
        }
        _ => url.to_string(),
    }
}

impl fmt::Debug for Store {
    /// Names the database without its password (atuin's habit: settings get printed).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Store::Sqlite(pool) => {
                f.debug_struct("Store::Sqlite").field("file", &pool.connect_options().get_filename()).finish()
            }
            Store::Postgres(pool) => {
                let o = pool.connect_options();
                f.debug_struct("Store::Postgres")
                    .field("host", &o.get_host())
                    .field("port", &o.get_port())
                    .field("user", &o.get_username())
                    .field("database", &o.get_database())
                    .field("password", &"<redacted>")
                    .finish()
            }
        }
    }
}

/// A new random id (UUID v4 as text).
pub(crate) fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Now, at the microsecond precision both engines keep.
pub(crate) fn now() -> OffsetDateTime {
    school::audit::truncate_to_micros(OffsetDateTime::now_utc())
}

/// A moment as each engine keeps it best: `TIMESTAMPTZ` on PostgreSQL; on SQLite, whole microseconds
/// since the Unix epoch in an `INTEGER` (sortable, comparable, and the same precision).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Ts(pub OffsetDateTime);

impl Ts {
    fn micros(self) -> i64 {
        i64::try_from(self.0.unix_timestamp_nanos() / 1_000).unwrap_or(i64::MAX)
    }
}

impl Ts {
    /// The first moment the engines can keep that is not before `t`: `t` rounded up to the microsecond.
    pub(crate) fn first_not_before(t: OffsetDateTime) -> Ts {
        let kept = school::audit::truncate_to_micros(t);
        Ts(if kept < t { kept + time::Duration::microseconds(1) } else { kept })
    }
}

impl From<OffsetDateTime> for Ts {
    fn from(t: OffsetDateTime) -> Ts {
        Ts(school::audit::truncate_to_micros(t))
    }
}

impl Type<Sqlite> for Ts {
    fn type_info() -> <Sqlite as Database>::TypeInfo {
        <i64 as Type<Sqlite>>::type_info()
    }
    fn compatible(ty: &<Sqlite as Database>::TypeInfo) -> bool {
        <i64 as Type<Sqlite>>::compatible(ty)
    }
}

impl<'q> Encode<'q, Sqlite> for Ts {
    fn encode_by_ref(&self, buf: &mut <Sqlite as Database>::ArgumentBuffer<'q>) -> Result<IsNull, BoxDynError> {
        <i64 as Encode<'q, Sqlite>>::encode(self.micros(), buf)
    }
}

impl<'r> Decode<'r, Sqlite> for Ts {
    fn decode(value: <Sqlite as Database>::ValueRef<'r>) -> Result<Ts, BoxDynError> {
        let micros = <i64 as Decode<'r, Sqlite>>::decode(value)?;
        Ok(Ts(OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1_000)?))
    }
}

impl Type<Postgres> for Ts {
    fn type_info() -> <Postgres as Database>::TypeInfo {
        <OffsetDateTime as Type<Postgres>>::type_info()
    }
    fn compatible(ty: &<Postgres as Database>::TypeInfo) -> bool {
        <OffsetDateTime as Type<Postgres>>::compatible(ty)
    }
}

impl<'q> Encode<'q, Postgres> for Ts {
    fn encode_by_ref(&self, buf: &mut <Postgres as Database>::ArgumentBuffer<'q>) -> Result<IsNull, BoxDynError> {
        <OffsetDateTime as Encode<'q, Postgres>>::encode_by_ref(&self.0, buf)
    }
}

impl<'r> Decode<'r, Postgres> for Ts {
    fn decode(value: <Postgres as Database>::ValueRef<'r>) -> Result<Ts, BoxDynError> {
        Ok(Ts(<OffsetDateTime as Decode<'r, Postgres>>::decode(value)?))
    }
}

/// Parses a stored spelling, calling a bad one corrupt data rather than panicking.
pub(crate) fn parse<T: FromStr>(text: &str, what: &str) -> Result<T>
where
    T::Err: fmt::Display,
{
    text.parse().map_err(|e: T::Err| Error::Corrupt(format!("{what}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_round_up_to_the_microsecond() {
        let whole = OffsetDateTime::from_unix_timestamp_nanos(1_700_000_000_000_001_000).unwrap();
        assert_eq!(Ts::first_not_before(whole).0, whole, "a whole microsecond stays");
        let between = whole + time::Duration::nanoseconds(1);
        assert_eq!(Ts::first_not_before(between).0, whole + time::Duration::microseconds(1));
    }

    #[test]
    fn urls_lose_their_passwords() {
        assert_eq!(redact_url("postgres://gh:s3cret@db:5432/gh"), "postgres://gh:<redacted>@db:5432/gh");
        assert_eq!(redact_url("sqlite://x.db"), "sqlite://x.db");
    }
}
