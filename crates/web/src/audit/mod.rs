//! The audit log (P7.1) for whoever holds `audit_reader` (the headteacher, the trust's team): paged,
//! filtered by actor, action, outcome and date, refused attempts marked (P2.3), and the whole chain as
//! CSV or JSON downloads.
//!
//! - `list.rs`: `GET /audit` (`?outcome=denied` is the "Refused attempts" view), `GET /api/v1/audit`
//! - `export.rs`: `GET /audit/export.csv`, `GET /audit/export.json`, `GET /api/v1/audit/export`

use axum::routing::get;
use school::access::AuditReader;
use school::audit::{Entry, Outcome};
use store::AuditFilter;
use time::OffsetDateTime;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::AppError;
use crate::state::AppState;

mod export;
mod list;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .route("/audit", get(list::page))
        .route("/audit/export.csv", get(export::csv))
        .route("/audit/export.json", get(export::json))
        .routes(routes!(list::api))
        .routes(routes!(export::api))
}

/// The action refused to people who may not read the log.
const READ: &str = "audit.read";

/// What a reader asked for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Search {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub outcome: Option<Outcome>,
    /// Entries at or after this moment.
    pub since: Option<OffsetDateTime>,
    /// Entries before this moment.
    pub until: Option<OffsetDateTime>,
    /// Entries before this seq (the next page of a newest-first listing).
    pub before: Option<i64>,
    pub limit: usize,
}

/// One page of entries, newest first, and where the next page starts if there may be one.
pub struct Found {
    pub entries: Vec<Entry>,
    pub next_before: Option<i64>,
}

/// One page of the search, filtered by the database: one entry more than the page is asked for, so the
/// page knows whether an older one exists (and so whether to offer "Older entries").
pub async fn search(state: &AppState, auditor: &AuditReader<'_>, s: &Search) -> Result<Found, AppError> {
    let filter = AuditFilter {
        actor: s.actor.clone(),
        action: s.action.clone(),
        outcome: s.outcome,
        since: s.since,
        until: s.until,
        before_seq: s.before,
        limit: Some(s.limit as i64 + 1),
        ..AuditFilter::default()
    };
    let mut entries = state.store.audit(auditor, &filter).await?;
    let more = entries.len() > s.limit;
    entries.truncate(s.limit);
    let next_before = if more { entries.last().map(|e| e.seq) } else { None };
    Ok(Found { entries, next_before })
}
