//! Observability: request ids, JSON logs, Prometheus metrics, `/healthz`.
//!
//! Every request gets an id (a client's or a proxy's `x-request-id` if it sent a sane one, else a fresh
//! random one). The id is in the request's log span, in the `x-request-id` response header and on every
//! error page and error body as the "operation id", so a person quoting it leads straight to the logs.
//!
//! Logs carry the method, the route *pattern* and the status — never query strings, bodies, cookies or
//! headers, so passwords, codes, tokens, session ids and safeguarding text cannot reach them.
//!
//! Metrics live in a recorder owned by the [`AppState`](crate::AppState), not a process-wide global,
//! so two servers in one test process do not share counters.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle, PrometheusRecorder};
use tower_http::request_id::{MakeRequestId, RequestId as TowerRequestId};
use tracing::Span;

use crate::error::AppError;
use crate::state::AppState;

/// The request id of the current request, as text. Read it with [`request_id`].
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// Makes request ids: 16 random bytes as hex.
#[derive(Clone, Copy, Default)]
pub struct MakeId;

impl MakeRequestId for MakeId {
    fn make_request_id<B>(&mut self, _request: &axum::http::Request<B>) -> Option<TowerRequestId> {
        let id = hex::encode(rand::random::<[u8; 16]>());
        HeaderValue::from_str(&id).ok().map(TowerRequestId::new)
    }
}

/// A request id from outside is kept only if it is short and plain, so it cannot smuggle text into logs.
fn acceptable(id: &HeaderValue) -> bool {
    let bytes = id.as_bytes();
    (1..=64).contains(&bytes.len()) && bytes.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
}

/// Drops an unacceptable incoming `x-request-id` so [`MakeId`] replaces it; then exposes the id as
/// [`RequestId`] in the request's extensions for handlers and the error renderer.
pub async fn sanitise_request_id(mut request: Request, next: Next) -> Response {
    if request.headers().get("x-request-id").is_some_and(|v| !acceptable(v)) {
        request.headers_mut().remove("x-request-id");
    }
    next.run(request).await
}

/// Copies tower-http's id into our own extension (runs after `SetRequestIdLayer`).
pub async fn expose_request_id(mut request: Request, next: Next) -> Response {
    let id = request
        .extensions()
        .get::<TowerRequestId>()
        .and_then(|id| id.header_value().to_str().ok())
        .unwrap_or("unknown")
        .to_string();
    request.extensions_mut().insert(RequestId(id));
    next.run(request).await
}

/// The span every request's log lines sit in. Only the path, never the query string.
pub fn request_span(request: &axum::http::Request<axum::body::Body>) -> Span {
    let id = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("unknown");
    tracing::info_span!(
        "request",
        request_id = %id,
        method = %request.method(),
        path = %request.uri().path(),
    )
}

/// Installs JSON logs on stdout with an `RUST_LOG`-style filter (default `info`). Call once, from the binary.
pub fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_current_span(true)
        .with_span_list(false)
        .try_init();
}

/// The server's metrics: a Prometheus recorder and the handle that renders it.
#[derive(Clone)]
pub struct Metrics {
    recorder: Arc<PrometheusRecorder>,
    handle: PrometheusHandle,
}

impl Metrics {
    pub fn new() -> Metrics {
        // Sign-in pages hash passwords (tens of ms); the buckets reach a few seconds for that reason.
        let buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full("http_request_duration_seconds".into()), &buckets)
            .expect("buckets are not empty")
            .build_recorder();
        let handle = recorder.handle();
        Metrics { recorder: Arc::new(recorder), handle }
    }

    /// Runs `f` with this server's recorder, so `metrics::counter!` etc. inside it land here.
    pub fn record<T>(&self, f: impl FnOnce() -> T) -> T {
        metrics::with_local_recorder(self.recorder.as_ref(), f)
    }

    pub fn render(&self) -> String {
        self.handle.render()
    }
}

impl Default for Metrics {
    fn default() -> Metrics {
        Metrics::new()
    }
}

/// Counts requests and their latency by method, route pattern and status.
pub async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = request.method().to_string();
    // The pattern (`/people/{id}`), not the path: one series per route, not per object.
    let route = request.extensions().get::<MatchedPath>().map_or("unmatched", |p| p.as_str()).to_string();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    let elapsed = start.elapsed().as_secs_f64();
    tracing::info!(status = response.status().as_u16(), latency_ms = elapsed * 1000.0, route = %route, "response");
    state.metrics.record(|| {
        let labels = [("method", method), ("route", route), ("status", status)];
        metrics::counter!("http_requests_total", &labels).increment(1);
        metrics::histogram!("http_request_duration_seconds", &labels).record(elapsed);
    });
    response
}

/// `GET /metrics`: Prometheus text format, for a scraper with the configured bearer token. Route
/// patterns and counts say what the school uses and when, so they are not for everyone; with no token
/// configured the route answers as if it did not exist.
pub async fn metrics_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(expected) = &state.config.metrics_token else {
        return AppError::NotFound.into_response();
    };
    if !crate::extract::bearer(&headers).is_some_and(|offered| expected.matches(offered)) {
        let mut refused = AppError::Unauthenticated.into_response();
        refused.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"metrics\""));
        return refused;
    }
    let body = state.metrics.render();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], body).into_response()
}

/// `GET /healthz`: 200 "ok" when the database answers, 503 otherwise (so a balancer takes us out).
pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(err) => {
            tracing::error!(error = %err, "health check: database unreachable");
            // Plain text for the balancer or probe that asks, not the error page people get.
            let mut response = (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response();
            response.extensions_mut().insert(crate::pages::OwnBody);
            response
        }
    }
}

/// The id of the request these extensions belong to.
pub fn request_id(extensions: &axum::http::Extensions) -> String {
    extensions.get::<RequestId>().map_or_else(|| "unknown".to_string(), |id| id.0.clone())
}
