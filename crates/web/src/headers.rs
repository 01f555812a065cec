//! Security headers on every response, errors included (kanidm's habit).
//!
//! The pages need no inline script or style and load nothing from elsewhere, so the policy is strict:
//! everything from our own origin, no framing, no plugins, forms post only to us. The TOTP QR code is
//! inline SVG, which the policy allows without `data:` images.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; \
                   object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const PERMISSIONS: &str = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), \
                           interest-cohort=(), browsing-topics=()";

/// Two years, the HSTS preload list's minimum.
const HSTS: &str = "max-age=63072000; includeSubDomains";

/// Adds the headers after the handler ran, overriding nothing a handler chose deliberately except the
/// framing and sniffing rules, which no page may relax.
pub async fn security_headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    set(headers, header::CONTENT_SECURITY_POLICY, CSP);
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(headers, header::REFERRER_POLICY, "no-referrer");
    set(headers, HeaderName::from_static("permissions-policy"), PERMISSIONS);
    set(headers, HeaderName::from_static("cross-origin-opener-policy"), "same-origin");
    set(headers, HeaderName::from_static("cross-origin-resource-policy"), "same-origin");
    if state.config.secure_cookies() {
        set(headers, header::STRICT_TRANSPORT_SECURITY, HSTS);
    }
    // Pages show personal data: no shared or back-button caches unless a handler chose otherwise (the CSS).
    if !headers.contains_key(header::CACHE_CONTROL) {
        set(headers, header::CACHE_CONTROL, "no-store");
    }
    response
}

fn set(headers: &mut HeaderMap, name: HeaderName, value: &'static str) {
    headers.insert(name, HeaderValue::from_static(value));
}
