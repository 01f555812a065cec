//! One error type for every handler, with stable codes.
//!
//! A handler returns `Result<_, AppError>`. Turning an `AppError` into a response only records *what*
//! went wrong (an [`ErrorInfo`] in the response's extensions); the [`render_errors`] middleware, which
//! knows the request, then writes the body: a JSON object for `/api/…` and an HTML page for everything
//! else, both carrying the operation id (the request id) that the logs carry too. The same middleware
//! gives the errors that never passed through a handler (unknown routes, wrong methods, rejected
//! extractors, the CSRF layer's refusals) the same shape, so a client sees one format whatever failed.
//!
//! Codes are part of the API: clients match on `code`, never on the message.

use askama::Template;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;

use crate::state::AppState;

/// Everything a handler can fail with. Each variant has a stable [`code`](AppError::code) and its own
/// HTTP status; the message shown to people never includes internal detail.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 404: no such page or object — also used for objects in another school, so ids cannot be probed.
    #[error("Not found")]
    NotFound,
    /// 403: signed in, but the role does not allow it. Prefer [`crate::deny`], which also audits.
    #[error("You are not allowed to do that")]
    Forbidden,
    /// 401: no valid session or token.
    #[error("Sign-in required")]
    Unauthenticated,
    /// 403: the form's anti-forgery token was missing or wrong, or the request came from another site.
    #[error("The form had expired or came from another site; reload the page and try again")]
    Csrf,
    /// 429: too many attempts (sign-in, second factor, general traffic).
    #[error("Too many attempts; wait {retry_after_secs} seconds and try again")]
    RateLimited { retry_after_secs: u64 },
    /// 422: a field's value was wrong. `field` is the form or JSON field name, `problem` says what to fix.
    #[error("{field}: {problem}")]
    InvalidInput { field: String, problem: String },
    /// 409: the change collides with the current state (a duplicate, a stale edit).
    #[error("{0}")]
    Conflict(String),
    /// 500: something failed that the user cannot fix. The cause is logged with the operation id, never shown.
    #[error("Something went wrong on our side")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl AppError {
    /// A field-level validation error.
    pub fn invalid(field: impl Into<String>, problem: impl Into<String>) -> AppError {
        AppError::InvalidInput { field: field.into(), problem: problem.into() }
    }

    /// Wraps any error as [`AppError::Internal`]; use with `map_err(AppError::internal)`.
    pub fn internal(err: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> AppError {
        AppError::Internal(err.into())
    }

    /// The stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound => "not_found",
            AppError::Forbidden => "forbidden",
            AppError::Unauthenticated => "unauthenticated",
            AppError::Csrf => "csrf",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::InvalidInput { .. } => "invalid_input",
            AppError::Conflict(_) => "conflict",
            AppError::Internal(_) => "internal",
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::InvalidInput { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn info(&self) -> ErrorInfo {
        let field = match self {
            AppError::InvalidInput { field, .. } => Some(field.clone()),
            _ => None,
        };
        let retry_after_secs = match self {
            AppError::RateLimited { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        };
        ErrorInfo { status: self.status(), code: self.code(), message: self.to_string(), field, retry_after_secs }
    }
}

impl From<store::Error> for AppError {
    fn from(err: store::Error) -> AppError {
        match err {
            store::Error::NotFound(_) => AppError::NotFound,
            store::Error::Conflict(what) => AppError::Conflict(what),
            store::Error::Invalid(problem) => AppError::invalid("input", problem),
            store::Error::Disabled => AppError::Unauthenticated,
            other => AppError::internal(other),
        }
    }
}

/// What [`render_errors`] needs to write an error body. Handlers never build this directly.
#[derive(Clone, Debug)]
pub struct ErrorInfo {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
    pub retry_after_secs: Option<u64>,
}

impl ErrorInfo {
    /// For responses that did not come from an `AppError` (axum's rejections, the CSRF layer).
    fn from_status(status: StatusCode) -> ErrorInfo {
        let error = match status {
            StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED => AppError::NotFound,
            StatusCode::UNAUTHORIZED => AppError::Unauthenticated,
            StatusCode::FORBIDDEN => AppError::Forbidden,
            StatusCode::TOO_MANY_REQUESTS => AppError::RateLimited { retry_after_secs: 60 },
            StatusCode::CONFLICT => AppError::Conflict("The change collides with the current state".into()),
            s if s.is_client_error() => AppError::invalid("request", s.canonical_reason().unwrap_or("bad request")),
            _ => AppError::Internal("unclassified error response".into()),
        };
        ErrorInfo { status, ..error.info() }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(source) = &self {
            // The only place the cause is kept: the log line, inside the request's span (which carries the id).
            tracing::error!(error = %source, "internal error");
        }
        let info = self.info();
        let mut response = info.status.into_response();
        response.extensions_mut().insert(info);
        response
    }
}

/// The JSON body of an API error.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable code: not_found, forbidden, unauthenticated, csrf, rate_limited, invalid_input, conflict, internal.
    pub code: &'static str,
    /// A sentence for people.
    pub message: String,
    /// The field at fault, for `invalid_input`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The request id, as in the logs and the `x-request-id` header.
    pub operation_id: String,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    layout: crate::pages::Layout,
    info: &'a ErrorInfo,
    operation_id: &'a str,
}

/// Writes the body of every error response (status >= 400) except pages marked
/// [`OwnBody`](crate::pages::OwnBody).
///
/// Sits outside the routes and the CSRF layer and inside the request-id layer.
pub async fn render_errors(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let wants_json = request.uri().path().starts_with("/api/");
    let operation_id = crate::observe::request_id(request.extensions());
    let response = next.run(request).await;
    let status = response.status();
    let is_error = status.is_client_error() || status.is_server_error();
    if !is_error || response.extensions().get::<crate::pages::OwnBody>().is_some() {
        return response;
    }
    let info = error_info(&response, status);
    let (mut parts, _) = response.into_parts();
    let body = if wants_json { json_body(&info, &operation_id) } else { html_body(&state, &info, &operation_id) };
    let mut fresh = body.into_response();
    *fresh.status_mut() = info.status;
    // Keep what earlier layers set (cookies, WWW-Authenticate), but the body is ours now.
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.remove(header::CONTENT_TYPE);
    for (name, value) in fresh.headers() {
        parts.headers.insert(name.clone(), value.clone());
    }
    if let Some(secs) = info.retry_after_secs {
        parts.headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    parts.status = info.status;
    Response::from_parts(parts, fresh.into_body())
}

fn error_info(response: &Response, status: StatusCode) -> ErrorInfo {
    if let Some(info) = response.extensions().get::<ErrorInfo>() {
        return info.clone();
    }
    if response.extensions().get::<tower_http::csrf::ProtectionError>().is_some() {
        return AppError::Csrf.info();
    }
    ErrorInfo::from_status(status)
}

fn json_body(info: &ErrorInfo, operation_id: &str) -> Response {
    let body = ErrorBody {
        code: info.code,
        message: info.message.clone(),
        field: info.field.clone(),
        operation_id: operation_id.to_string(),
    };
    axum::Json(body).into_response()
}

fn html_body(state: &AppState, info: &ErrorInfo, operation_id: &str) -> Response {
    let page = ErrorPage { layout: crate::pages::Layout::anonymous(state, "Error"), info, operation_id };
    match page.render() {
        Ok(html) => Html(html).into_response(),
        // A template that fails to render is a bug; plain text still carries the id.
        Err(_) => format!("{} (operation {operation_id})", info.message).into_response(),
    }
}
