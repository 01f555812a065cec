//! `GET /audit` and `GET /api/v1/audit`: the log, newest first, filtered and paged; refused attempts
//! are marked in words as well as by style.

use std::collections::HashMap;

use askama::Template;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use school::audit::{Entry, Outcome};
use serde::{Deserialize, Serialize};
use time::Duration;
use utoipa::{IntoParams, ToSchema};

use super::{READ, Search, search};
use crate::api::{ApiResult, FieldErrors, moment, parse_date, rfc3339, schema, start_of};
use crate::csrf::CsrfToken;
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiSigned, Signed};
use crate::guard::deny;
use crate::pages::{Layout, with_status};
use crate::state::AppState;

/// Entries per page.
const PAGE: usize = 50;
const MAX_LIMIT: usize = 1_000;

/// The filters, as text, so each bad one is reported by name.
#[derive(Clone, Debug, Default, Deserialize, Serialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// A user id, or `system`.
    actor: Option<String>,
    /// An action such as `consent.set` or `channel.grant`.
    action: Option<String>,
    /// `ok`, `denied` or `failed`.
    outcome: Option<String>,
    /// The first day (`YYYY-MM-DD`, UTC), inclusive.
    from: Option<String>,
    /// The last day (`YYYY-MM-DD`, UTC), inclusive.
    to: Option<String>,
    /// Entries before this sequence number: `next_before` from the previous page.
    before: Option<i64>,
    /// How many (API only; 50 when absent, at most 1,000).
    limit: Option<usize>,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

impl AuditQuery {
    /// For the form: what was typed.
    fn value(&self, field: &str) -> &str {
        let v = match field {
            "actor" => &self.actor,
            "action" => &self.action,
            "outcome" => &self.outcome,
            "from" => &self.from,
            _ => &self.to,
        };
        v.as_deref().unwrap_or("")
    }

    /// The query string for the next page: these filters, from `before`.
    fn next(&self, before: i64) -> String {
        let mut q = self.clone();
        q.before = Some(before);
        q.limit = None;
        query_string(&q)
    }

    fn check(&self) -> Result<Search, FieldErrors> {
        let mut errors = FieldErrors::default();
        let outcome = given(&self.outcome).and_then(|o| match o.parse::<Outcome>() {
            Ok(o) => Some(o),
            Err(_) => {
                errors.add("outcome", "Choose ok, denied or failed");
                None
            }
        });
        let mut day = |field: &'static str, value: &Option<String>| {
            given(value).and_then(|t| match parse_date(t) {
                Some(d) => Some(d),
                None => {
                    errors.add(field, "Enter a date such as 2026-11-25");
                    None
                }
            })
        };
        let from = day("from", &self.from);
        let to = day("to", &self.to);
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            errors.add("to", "The last day cannot be before the first");
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Search {
            actor: given(&self.actor).map(str::to_string),
            action: given(&self.action).map(str::to_string),
            outcome,
            since: from.map(start_of),
            until: to.map(|t| start_of(t) + Duration::days(1)),
            before: self.before,
            limit: self.limit.unwrap_or(PAGE).clamp(1, MAX_LIMIT),
        })
    }
}

/// A query string from the filters (values percent-encoded).
fn query_string(q: &AuditQuery) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (name, value) in
        [("actor", &q.actor), ("action", &q.action), ("outcome", &q.outcome), ("from", &q.from), ("to", &q.to)]
    {
        if let Some(v) = given(value) {
            out.append_pair(name, v);
        }
    }
    if let Some(b) = q.before {
        out.append_pair("before", &b.to_string());
    }
    out.finish()
}

struct Row {
    seq: i64,
    at: String,
    who: String,
    action: String,
    object: String,
    from: String,
    refused: bool,
    outcome: &'static str,
    detail: String,
}

fn outcome_words(o: Outcome) -> &'static str {
    match o {
        Outcome::Ok => "Done",
        Outcome::Denied => "Refused",
        Outcome::Failed => "Failed",
    }
}

#[derive(Template)]
#[template(path = "audit/list.html")]
struct AuditPage {
    layout: Layout,
    query: AuditQuery,
    errors: FieldErrors,
    refused_view: bool,
    people: Vec<(String, String)>,
    rows: Vec<Row>,
    next: Option<String>,
}

/// `GET /audit`.
pub async fn page(
    State(state): State<AppState>,
    signed: Signed,
    csrf: CsrfToken,
    Query(query): Query<AuditQuery>,
) -> Result<Response, AppError> {
    let Some(auditor) = signed.principal.audit_reader() else {
        return Err(deny(&state, &signed, READ, "route", "/audit").await);
    };
    let layout = Layout::signed(&state, &signed, &csrf, "Audit log", "/audit");
    // Audit readers manage accounts too; the names make the log readable.
    let users = match signed.principal.user_admin() {
        Some(admin) => state.store.users(&admin).await?,
        None => vec![],
    };
    let names: HashMap<String, String> = users.iter().map(|u| (u.id.0.clone(), u.display_name.clone())).collect();
    let mut people: Vec<(String, String)> =
        users.iter().map(|u| (u.id.0.clone(), format!("{} ({})", u.display_name, u.email))).collect();
    people.sort_by(|a, b| a.1.cmp(&b.1));
    people.push((school::audit::SYSTEM.to_string(), "Gatehouse (command line)".to_string()));
    let refused_view = given(&query.outcome) == Some("denied");
    let (found, errors) = match query.check() {
        Ok(s) => (Some(search(&state, &auditor, &Search { limit: PAGE, ..s }).await?), FieldErrors::default()),
        Err(errors) => (None, errors),
    };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let (entries, next) = found.map_or((vec![], None), |f| (f.entries, f.next_before));
    let rows = entries
        .into_iter()
        .map(|e| {
            let actor = e.actor.to_string();
            Row {
                seq: e.seq,
                at: moment(e.at),
                who: names.get(&actor).cloned().unwrap_or(if actor == school::audit::SYSTEM {
                    "Gatehouse".into()
                } else {
                    actor
                }),
                action: e.action,
                object: format!("{} {}", e.object_kind, e.object_id),
                from: e.from.unwrap_or_default(),
                refused: e.outcome == Outcome::Denied,
                outcome: outcome_words(e.outcome),
                detail: if e.detail == "{}" { String::new() } else { e.detail },
            }
        })
        .collect();
    let next = next.map(|b| query.next(b));
    let page = AuditPage { layout, query, errors, refused_view, people, rows, next };
    Ok(with_status(status, page.render().map_err(AppError::internal)))
}

/// One audit entry as the API shows it.
#[derive(Serialize, ToSchema)]
#[schema(as = AuditEntry)]
pub struct EntryJson {
    pub seq: i64,
    /// RFC 3339.
    pub at: String,
    /// A user id, or `system`.
    pub actor: String,
    pub action: String,
    pub object_kind: String,
    pub object_id: String,
    /// The client's address.
    pub from: Option<String>,
    #[schema(schema_with = schema::outcome)]
    pub outcome: &'static str,
    /// Whatever else matters, as a JSON object.
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    /// This entry's place in the hash chain.
    pub prev_hash: String,
    pub hash: String,
}

impl From<&Entry> for EntryJson {
    fn from(e: &Entry) -> EntryJson {
        EntryJson {
            seq: e.seq,
            at: rfc3339(e.at),
            actor: e.actor.to_string(),
            action: e.action.clone(),
            object_kind: e.object_kind.clone(),
            object_id: e.object_id.clone(),
            from: e.from.clone(),
            outcome: e.outcome.as_str(),
            detail: serde_json::from_str(&e.detail).unwrap_or_else(|_| serde_json::Value::String(e.detail.clone())),
            prev_hash: e.prev_hash.to_string(),
            hash: e.hash.to_string(),
        }
    }
}

/// A page of the log.
#[derive(Serialize, ToSchema)]
#[schema(as = AuditPage)]
pub struct PageJson {
    /// Newest first.
    pub entries: Vec<EntryJson>,
    /// Pass as `before` for the next page; absent on the last.
    pub next_before: Option<i64>,
}

/// The school's audit log, newest first, filtered and paged.
#[utoipa::path(
    get,
    path = "/api/v1/audit",
    tag = "audit",
    params(AuditQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of entries", body = PageJson),
        (status = 400, description = "A filter is wrong (`field` names it)", body = ErrorBody),
        (status = 401, description = "Missing, unknown or revoked token", body = ErrorBody),
        (status = 403, description = "The token's owner may not read the audit log", body = ErrorBody),
    )
)]
pub async fn api(
    State(state): State<AppState>,
    signed: ApiSigned,
    Query(query): Query<AuditQuery>,
) -> ApiResult<Json<PageJson>> {
    let Some(auditor) = signed.principal.audit_reader() else {
        return Err(deny(&state, &signed, READ, "route", "/api/v1/audit").await.into());
    };
    let s = query.check().map_err(FieldErrors::into_api)?;
    let found = search(&state, &auditor, &s).await?;
    Ok(Json(PageJson { entries: found.entries.iter().map(EntryJson::from).collect(), next_before: found.next_before }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_become_a_search() {
        let q = AuditQuery {
            outcome: Some("denied".into()),
            from: Some("2026-11-01".into()),
            to: Some("2026-11-01".into()),
            ..Default::default()
        };
        let s = q.check().unwrap();
        assert_eq!(s.outcome, Some(Outcome::Denied));
        assert_eq!(s.until.unwrap() - s.since.unwrap(), Duration::days(1), "the last day is included");
        assert_eq!(s.limit, PAGE);
    }

    #[test]
    fn bad_filters_are_named() {
        let q = AuditQuery {
            outcome: Some("refused".into()),
            from: Some("2026-11-02".into()),
            to: Some("2026-11-01".into()),
            ..Default::default()
        };
        let fields: Vec<String> = q.check().unwrap_err().0.into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["outcome", "to"]);
    }

    #[test]
    fn the_next_page_keeps_the_filters() {
        let q = AuditQuery { action: Some("consent.set".into()), outcome: Some("ok".into()), ..Default::default() };
        assert_eq!(q.next(41), "action=consent.set&outcome=ok&before=41");
    }
}
