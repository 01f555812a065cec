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

/// How many entries one store read returns, and how many one search reads at most before handing the
/// reader a "next page" link instead (a rare actor over a long log).
const BATCH: i64 = 500;
const MAX_SCANNED: usize = 50_000;

/// Pages through the store's newest-first log, keeping what matches. The store filters by action and
/// outcome; actor and dates are filtered here until the store's filter has them (asked for).
pub async fn search(state: &AppState, auditor: &AuditReader<'_>, s: &Search) -> Result<Found, AppError> {
    let mut found = Vec::new();
    let mut cursor = s.before;
    let mut scanned = 0;
    loop {
        let filter = AuditFilter {
            action: s.action.clone(),
            outcome: s.outcome,
            before_seq: cursor,
            limit: Some(BATCH),
            ..AuditFilter::default()
        };
        let batch = state.store.audit(auditor, &filter).await?;
        let exhausted = (batch.len() as i64) < BATCH;
        for entry in batch {
            cursor = Some(entry.seq);
            scanned += 1;
            // Newest first: once before `since`, everything after is too.
            if s.since.is_some_and(|since| entry.at < since) {
                return Ok(Found { entries: found, next_before: None });
            }
            let in_range = s.until.is_none_or(|until| entry.at < until);
            let by_actor = s.actor.as_deref().is_none_or(|a| entry.actor.to_string() == a);
            if in_range && by_actor {
                let seq = entry.seq;
                found.push(entry);
                if found.len() == s.limit {
                    return Ok(Found { entries: found, next_before: Some(seq) });
                }
            }
        }
        if exhausted {
            return Ok(Found { entries: found, next_before: None });
        }
        if scanned >= MAX_SCANNED {
            return Ok(Found { entries: found, next_before: cursor });
        }
    }
}
