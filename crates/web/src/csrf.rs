//! Cross-site request forgery, refused three ways, each enough on its own against the usual attack:
//!
//! 1. tower-http's [`CsrfLayer`] refuses cross-origin unsafe requests by `Sec-Fetch-Site` / `Origin`
//!    (the public origin is trusted byte for byte; otherwise the `Origin` must match `Host`);
//! 2. session cookies are `SameSite=Lax` and `HttpOnly` (see `app.rs`), so another site's form posts
//!    arrive without them;
//! 3. a per-session synchronizer token: every form carries [`CsrfToken`] in a hidden `csrf_token`
//!    field, and [`verify`] refuses any unsafe request without the session's token — before the handler
//!    runs, so no handler can forget it.
//!
//! Requests under `/api/` (bearer tokens, never cookies) and `/webhooks/` (signed by the platform) are
//! exempt: they carry no ambient credentials to forge.
//!
//! In a template (the struct holds `csrf: CsrfToken`):
//! ```html
//! <form method="post" action="/things">
//!   <input type="hidden" name="csrf_token" value="{{ csrf }}">
//! ```

use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::csrf::{ConfigError, CsrfLayer};
use tower_sessions::Session;

use crate::error::AppError;

/// The form field every form must carry.
pub const FIELD: &str = "csrf_token";
const SESSION_KEY: &str = "csrf";
/// Largest body read to find the token (roster uploads included).
const MAX_BODY: usize = 16 * 1024 * 1024;

/// The session's anti-forgery token, for templates. Extract it in any page handler; it is created on
/// first use and rotated when the user signs in.
#[derive(Clone, Debug)]
pub struct CsrfToken(pub String);

impl std::fmt::Display for CsrfToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CsrfToken {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<CsrfToken, AppError> {
        let session = parts.extensions.get::<Session>().cloned().ok_or_else(no_session)?;
        token(&session).await.map(CsrfToken)
    }
}

fn no_session() -> AppError {
    AppError::internal("session layer missing")
}

/// The session's token, created if it has none.
pub async fn token(session: &Session) -> Result<String, AppError> {
    if let Some(token) = session.get::<String>(SESSION_KEY).await.map_err(AppError::internal)? {
        return Ok(token);
    }
    rotate(session).await
}

/// Replaces the session's token (at sign-in, so a token seen before sign-in is useless after).
pub async fn rotate(session: &Session) -> Result<String, AppError> {
    let fresh = hex::encode(rand::random::<[u8; 32]>());
    session.insert(SESSION_KEY, &fresh).await.map_err(AppError::internal)?;
    Ok(fresh)
}

/// Paths whose requests carry no cookies to forge: API (bearer tokens) and platform webhooks (signed).
pub fn exempt(path: &str) -> bool {
    path.starts_with("/api/") || path.starts_with("/webhooks/")
}

/// The Fetch-Metadata / Origin check, trusting the configured public origin.
pub fn origin_layer(public_origin: &str) -> Result<CsrfLayer, ConfigError> {
    Ok(CsrfLayer::new().add_trusted_origin(public_origin)?.with_insecure_bypass(|_, uri| exempt(uri.path())))
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Refuses unsafe requests whose body lacks the session's token. Runs inside the session layer.
pub async fn verify(request: Request, next: Next) -> Response {
    if is_safe(request.method()) || exempt(request.uri().path()) {
        return next.run(request).await;
    }
    match check(request).await {
        Ok(request) => next.run(request).await,
        Err(err) => err.into_response(),
    }
}

/// Reads the body, compares its token with the session's, and gives the request back intact.
async fn check(request: Request) -> Result<Request, AppError> {
    let session = request.extensions().get::<Session>().cloned().ok_or_else(no_session)?;
    let content_type =
        request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_BODY)
        .await
        .map_err(|_| AppError::invalid("body", "the upload is too large (16 MB at most)"))?;
    let sent = submitted_token(&content_type, &bytes).ok_or(AppError::Csrf)?;
    // No token in the session means it never rendered a form: nothing can match.
    let expected = session.get::<String>(SESSION_KEY).await.map_err(AppError::internal)?.ok_or(AppError::Csrf)?;
    if !constant_time_eq(sent.as_bytes(), expected.as_bytes()) {
        return Err(AppError::Csrf);
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

fn submitted_token(content_type: &str, body: &Bytes) -> Option<String> {
    if content_type.starts_with("application/x-www-form-urlencoded") {
        return form_urlencoded::parse(body).find(|(k, _)| k == FIELD).map(|(_, v)| v.into_owned());
    }
    if content_type.starts_with("multipart/form-data") {
        return multipart_field(body, FIELD);
    }
    None
}

/// Finds a small text field in a multipart body. Deliberately simple: an attacker who could plant a
/// look-alike part would still need the session's token to match, so a mismatch only ever refuses.
fn multipart_field(body: &[u8], name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\"");
    let at = find(body, marker.as_bytes())?;
    let rest = &body[at + marker.len()..];
    let start = find(rest, b"\r\n\r\n")? + 4;
    let value = &rest[start..];
    let end = find(value, b"\r\n")?;
    String::from_utf8(value[..end].to_vec()).ok()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Compares without stopping at the first difference, so timing reveals nothing about the token.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_token_in_forms_and_uploads() {
        let form = Bytes::from_static(b"email=a%40b&csrf_token=abc123&x=1");
        assert_eq!(submitted_token("application/x-www-form-urlencoded", &form).as_deref(), Some("abc123"));
        let upload = Bytes::from_static(
            b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nabc123\r\n--XyZ\r\n\
              Content-Disposition: form-data; name=\"file\"; filename=\"r.csv\"\r\n\r\nUPN\r\n--XyZ--\r\n",
        );
        assert_eq!(submitted_token("multipart/form-data; boundary=XyZ", &upload).as_deref(), Some("abc123"));
        assert_eq!(submitted_token("application/json", &form), None);
        assert_eq!(submitted_token("application/x-www-form-urlencoded", &Bytes::from_static(b"a=1")), None);
    }

    #[test]
    fn comparison_needs_every_byte() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }

    #[test]
    fn only_cookieless_paths_are_exempt() {
        assert!(exempt("/api/v1/me") && exempt("/webhooks/facebook"));
        assert!(!exempt("/sign-in") && !exempt("/apiary") && !exempt("/"));
    }
}
