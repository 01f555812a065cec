//! Exporting the whole audit log, oldest first, with each entry's hashes so the chain can be checked
//! elsewhere: `GET /audit/export.csv`, `GET /audit/export.json` (downloads) and
//! `GET /api/v1/audit/export?format=csv|json`. Each export is itself recorded (`audit.export`).

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use school::access::AuditReader;
use serde::Deserialize;
use store::ExportFormat;
use time::OffsetDateTime;
use utoipa::IntoParams;

use super::READ;
use crate::api::{ApiError, ApiResult, day};
use crate::error::{AppError, ErrorBody};
use crate::extract::{Actor, ApiSigned, Signed};
use crate::guard::{append, deny, entry};
use crate::state::AppState;

const EXPORT: &str = "audit.export";

/// Writes the export and records that it was taken. A failure to record is logged, not fatal: the
/// reader was allowed, and the log they take home is complete up to this moment either way.
async fn export(
    state: &AppState,
    actor: &impl Actor,
    auditor: &AuditReader<'_>,
    format: ExportFormat,
) -> Result<Response, AppError> {
    let mut body = Vec::new();
    let count = state.store.export_audit(auditor, format, &mut body).await?;
    let (kind, ext) = match format {
        ExportFormat::Csv => ("text/csv; charset=utf-8", "csv"),
        ExportFormat::Json => ("application/json", "json"),
    };
    let record = entry(actor, EXPORT, "school", &auditor.school().0)
        .detail(serde_json::json!({ "format": ext, "entries": count }));
    if let Err(err) = append(state, record).await {
        tracing::error!(error = %err, "could not record an audit export");
    }
    let filename = format!("attachment; filename=\"gatehouse-audit-{}.{ext}\"", day(OffsetDateTime::now_utc()));
    Ok(([(header::CONTENT_TYPE, kind.to_string()), (header::CONTENT_DISPOSITION, filename)], body).into_response())
}

async fn page(state: AppState, signed: Signed, format: ExportFormat, path: &str) -> Result<Response, AppError> {
    let Some(auditor) = signed.principal.audit_reader() else {
        return Err(deny(&state, &signed, READ, "route", path).await);
    };
    export(&state, &signed, &auditor, format).await
}

/// `GET /audit/export.csv`.
pub async fn csv(State(state): State<AppState>, signed: Signed) -> Result<Response, AppError> {
    page(state, signed, ExportFormat::Csv, "/audit/export.csv").await
}

/// `GET /audit/export.json`.
pub async fn json(State(state): State<AppState>, signed: Signed) -> Result<Response, AppError> {
    page(state, signed, ExportFormat::Json, "/audit/export.json").await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `csv` or `json`.
    format: Option<String>,
}

/// The whole audit log, oldest first, as a CSV or JSON download.
#[utoipa::path(
    get,
    path = "/api/v1/audit/export",
    tag = "audit",
    params(ExportQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The log: CSV with a header row, or a JSON array of entries", content(
            (String = "text/csv"),
            (Vec<super::list::EntryJson> = "application/json"),
        )),
        (status = 400, description = "`format` is not csv or json", body = ErrorBody),
        (status = 401, description = "Missing, unknown or revoked token", body = ErrorBody),
        (status = 403, description = "The token's owner may not read the audit log", body = ErrorBody),
    )
)]
pub async fn api(
    State(state): State<AppState>,
    signed: ApiSigned,
    Query(query): Query<ExportQuery>,
) -> ApiResult<Response> {
    let Some(auditor) = signed.principal.audit_reader() else {
        return Err(deny(&state, &signed, READ, "route", "/api/v1/audit/export").await.into());
    };
    let format = match query.format.as_deref().map(str::trim) {
        Some("csv") => ExportFormat::Csv,
        Some("json") => ExportFormat::Json,
        _ => return Err(ApiError::invalid("format", "expected csv or json")),
    };
    Ok(export(&state, &signed, &auditor, format).await?)
}
