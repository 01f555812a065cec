//! Gatehouse's storage: one API over SQLite (the embedded default: one file, WAL) and PostgreSQL (the
//! engine for several server processes sharing one database).
//!
//! [`Store`] holds a concrete pool for either engine; each method writes its SQL once (with `$n`
//! placeholders, which both engines accept) and a small dispatch macro runs it on whichever pool is
//! there. The `Any` driver is avoided on purpose: it cannot decode timestamps or JSON on PostgreSQL, nor
//! booleans on SQLite. Where the dialects differ (row locks, `SKIP LOCKED`) the SQL says so per engine.
//!
//! Methods that reveal or change a school's data take a capability from [`school::access`], which both
//! proves the caller's role and names the one school the query may touch. Every change appends its audit
//! entry in the same transaction as the change itself, so the log cannot miss a change or record one that
//! did not happen. State that several servers must share — sessions, login counters, the audit chain's
//! head, job leases, idempotency keys — lives here, never in process memory.

mod audit_log;
mod channels;
mod channels_web;
mod db;
mod error;
mod figures_web;
mod import;
mod jobs;
mod oidc;
mod people;
mod schools;
pub mod secret;
mod sessions;
mod suggestions;
#[cfg(feature = "testing")]
pub mod testing;
mod users;

pub use audit_log::{AuditFilter, ExportFormat, Verified};
pub use channels::PlatformCredentials;
pub use db::{Origin, Store};
pub use error::{Error, Result};
pub use figures_web::Figures;
pub use import::ImportReport;
pub use jobs::{Idempotency, Job, JobId};
pub use oidc::{NewOidcProvider, OidcProvider};
pub use schools::School;
pub use secret::SecretKey;
pub use sessions::Sessions;
pub use users::{ApiToken, Failures, LoginAttempt, LoginKind, NewApiToken, SignIn};
