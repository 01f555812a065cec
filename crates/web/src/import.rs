//! Importing a roster from the MIS (P2.6): `GET/POST /people/import` (a file upload) and
//! `POST /api/v1/people/import` (the CSV as the body). Needs `people_admin`.
//!
//! The file is read by `school::import` (pure: every row it cannot take is reported with its spreadsheet
//! row number and the reason) and applied by the store in one transaction, which writes only what
//! differs — so importing the same file again changes nothing — and audits each change and the import.

use askama::Template;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use school::access::PeopleAdmin;
use school::import::{FileError, Plan};
use serde::Serialize;
use store::ImportReport;
use utoipa::ToSchema;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use crate::api::{ApiError, ApiResult};
use crate::csrf::CsrfToken;
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiSigned, Signed};
use crate::guard::deny;
use crate::pages::{Layout, with_status};
use crate::state::AppState;

/// The largest roster accepted: a 2,000-pupil export with consent columns is about 200 KB.
pub const MAX_UPLOAD: usize = 4 * 1024 * 1024;
/// Room for the multipart envelope and the form token around the file.
const ENVELOPE: usize = 64 * 1024;

pub fn routes() -> OpenApiRouter<AppState> {
    // The limit is on the route, so a larger body is refused before it is read into memory.
    let limit = DefaultBodyLimit::max(MAX_UPLOAD + ENVELOPE);
    OpenApiRouter::new().route("/people/import", get(form).post(upload).layer(limit)).routes(routes!(api).layer(limit))
}

/// What an import did, for the API.
#[derive(Serialize, ToSchema)]
#[schema(as = ImportReport)]
pub struct ReportJson {
    /// Pupils not seen before.
    pub added: u64,
    /// Pupils whose details or consents changed.
    pub updated: u64,
    /// Pupils already exactly as the file says.
    pub unchanged: u64,
    /// Rows not taken (each listed in `rejected_rows`).
    pub rejected: u64,
    /// Consents written.
    pub consents_changed: u64,
    /// Consents the file would have widened but that staff recorded in Gatehouse since: left as they are.
    pub consents_kept: u64,
    pub rejected_rows: Vec<RejectedJson>,
}

/// A row the import did not take.
#[derive(Serialize, ToSchema)]
#[schema(as = RejectedRow)]
pub struct RejectedJson {
    /// Spreadsheet numbering: the header is row 1.
    pub row: u64,
    pub reason: String,
}

impl From<&ImportReport> for ReportJson {
    fn from(r: &ImportReport) -> ReportJson {
        ReportJson {
            added: r.added,
            updated: r.updated,
            unchanged: r.unchanged,
            rejected: r.rejected,
            consents_changed: r.consents_changed,
            consents_kept: r.consents_kept,
            rejected_rows: r
                .rejected_rows
                .iter()
                .map(|x| RejectedJson { row: x.row, reason: x.reason.to_string() })
                .collect(),
        }
    }
}

/// Reads the file against the school's consent uses, then applies it: the one action both fronts share.
async fn import(
    state: &AppState,
    admin: &PeopleAdmin<'_>,
    origin: store::Origin,
    csv: &[u8],
) -> Result<Result<ImportReport, FileError>, AppError> {
    let uses: Vec<String> = state.store.consent_uses(admin.school()).await?.into_iter().map(|u| u.name).collect();
    let plan: Plan = match school::import::parse(csv, &uses) {
        Ok(plan) => plan,
        Err(file) => return Ok(Err(file)),
    };
    Ok(Ok(state.store.apply_import(admin, origin, &plan).await?))
}

#[derive(Template)]
#[template(path = "import/roster.html")]
struct ImportPage {
    layout: Layout,
    problem: Option<String>,
    report: Option<ReportJson>,
    max_mb: usize,
}

fn render(
    state: &AppState,
    signed: &Signed,
    csrf: &CsrfToken,
    problem: Option<String>,
    report: Option<ReportJson>,
) -> Response {
    let status = if problem.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = ImportPage {
        layout: Layout::signed(state, signed, csrf, "Import roster", "/people/import"),
        problem,
        report,
        max_mb: MAX_UPLOAD / (1024 * 1024),
    };
    with_status(status, page.render().map_err(AppError::internal))
}

/// `GET /people/import`: the upload form.
async fn form(State(state): State<AppState>, signed: Signed, csrf: CsrfToken) -> Result<Response, AppError> {
    if signed.principal.people_admin().is_none() {
        return Err(deny(&state, &signed, school::audit::actions::ROSTER_IMPORT, "route", "/people/import").await);
    }
    Ok(render(&state, &signed, &csrf, None, None))
}

/// `POST /people/import`: the upload, then the report (counts and every rejected row).
async fn upload(
    State(state): State<AppState>,
    signed: Signed,
    csrf: CsrfToken,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, AppError> {
    let Some(admin) = signed.principal.people_admin() else {
        return Err(deny(&state, &signed, school::audit::actions::ROSTER_IMPORT, "route", "/people/import").await);
    };
    let too_large = || format!("The file is too large: a roster can be up to {} MB.", MAX_UPLOAD / (1024 * 1024));
    let Ok(body) = body else {
        return Ok(render(&state, &signed, &csrf, Some(too_large()), None));
    };
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let csv = match multipart::file(content_type, &body, "roster") {
        Some(csv) if csv.len() > MAX_UPLOAD => return Ok(render(&state, &signed, &csrf, Some(too_large()), None)),
        Some(csv) if !csv.is_empty() => csv,
        _ => return Ok(render(&state, &signed, &csrf, Some("Choose a CSV file to import.".into()), None)),
    };
    match import(&state, &admin, signed.from.origin(), csv).await? {
        Ok(report) => Ok(render(&state, &signed, &csrf, None, Some((&report).into()))),
        Err(file) => Ok(render(&state, &signed, &csrf, Some(format!("The file cannot be imported: {file}.")), None)),
    }
}

/// Imports a roster: the CSV export itself as the body (`text/csv`). Headers in any order and case:
/// `UPN, Forename, Surname, Preferred Forename, Year, Reg Group`, plus `Consent: <use>` columns holding
/// Y, N or blank. Rows that cannot be taken are listed; the rest are imported; importing the same file
/// again changes nothing.
#[utoipa::path(
    post,
    path = "/api/v1/people/import",
    tag = "people",
    request_body(content = String, content_type = "text/csv", description = "The MIS export"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "What the import did, with every rejected row", body = ReportJson),
        (status = 400, description = "The file as a whole cannot be read (`field` is `file`)", body = ErrorBody),
        (status = 401, description = "Missing, unknown or revoked token", body = ErrorBody),
        (status = 403, description = "The token's owner may not import, or the token is read-only", body = ErrorBody),
        (status = 413, description = "Larger than 4 MB", body = ErrorBody),
    )
)]
async fn api(
    State(state): State<AppState>,
    signed: ApiSigned,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<Response> {
    let Some(admin) = signed.principal.people_admin() else {
        return Err(deny(&state, &signed, school::audit::actions::ROSTER_IMPORT, "route", "/api/v1/people/import")
            .await
            .into());
    };
    // Too large (413) or unreadable: the rejection's own status, with the API's error body.
    let body = match body {
        Ok(body) => body,
        Err(rejection) => return Ok(rejection.into_response()),
    };
    match import(&state, &admin, signed.from.origin(), &body).await? {
        Ok(report) => Ok(Json(ReportJson::from(&report)).into_response()),
        Err(file) => Err(ApiError::invalid("file", file.to_string())),
    }
}

mod multipart {
    //! The one file of a `multipart/form-data` upload. The CSRF check has already read the body (it
    //! needed the form token from it), so the bytes are all here: a few lines over them do what a
    //! streaming parser would, without another dependency.

    /// The content of the part named `field`, or `None` if the body has no such part.
    pub fn file<'a>(content_type: &str, body: &'a [u8], field: &str) -> Option<&'a [u8]> {
        let boundary = boundary(content_type)?;
        let delimiter = format!("--{boundary}");
        let wanted = format!("name=\"{field}\"");
        let mut rest = &body[find(body, delimiter.as_bytes())? + delimiter.len()..];
        loop {
            // After a delimiter: "--" ends the body, otherwise CRLF and the part's headers.
            if rest.starts_with(b"--") {
                return None;
            }
            let headers_end = find(rest, b"\r\n\r\n")?;
            let headers = std::str::from_utf8(&rest[..headers_end]).ok()?;
            let content = &rest[headers_end + 4..];
            let next = find(content, format!("\r\n{delimiter}").as_bytes())?;
            let is_wanted = headers
                .lines()
                .any(|l| l.to_ascii_lowercase().starts_with("content-disposition:") && l.contains(&wanted));
            if is_wanted {
                return Some(&content[..next]);
            }
            rest = &content[next + 2 + delimiter.len()..];
        }
    }

    fn boundary(content_type: &str) -> Option<&str> {
        let (kind, params) = content_type.split_once(';')?;
        if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
            return None;
        }
        params.split(';').find_map(|p| {
            let (name, value) = p.trim().split_once('=')?;
            name.eq_ignore_ascii_case("boundary").then(|| value.trim_matches('"')).filter(|b| !b.is_empty())
        })
    }

    fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
        haystack.windows(needle.len()).position(|w| w == needle)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        const BODY: &[u8] = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nabc\r\n\
            --XyZ\r\nContent-Disposition: form-data; name=\"roster\"; filename=\"r.csv\"\r\nContent-Type: text/csv\r\n\r\n\
            UPN,Forename\r\nA1,Amy\r\n\r\n--XyZ--\r\n";

        #[test]
        fn finds_the_file_with_its_line_breaks_intact() {
            let csv = file("multipart/form-data; boundary=XyZ", BODY, "roster").unwrap();
            assert_eq!(csv, b"UPN,Forename\r\nA1,Amy\r\n");
            assert_eq!(file("multipart/form-data; boundary=\"XyZ\"", BODY, "csrf_token"), Some(&b"abc"[..]));
        }

        #[test]
        fn no_such_part_or_not_multipart_is_none() {
            assert_eq!(file("multipart/form-data; boundary=XyZ", BODY, "photo"), None);
            assert_eq!(file("application/x-www-form-urlencoded", BODY, "roster"), None);
            assert_eq!(file("multipart/form-data; boundary=Other", BODY, "roster"), None);
            assert_eq!(file("multipart/form-data; boundary=XyZ", b"--XyZ\r\nbroken", "roster"), None);
        }
    }
}
