//! The router: every area's routes merged, then the layers every request passes through.
//!
//! Adding an area is one line in [`areas`]: `.merge(people::routes())`, where
//! `people::routes() -> OpenApiRouter<AppState>` registers pages with `.route(path, get(handler))`
//! (undocumented) and JSON endpoints with `.routes(routes!(handler))` (handlers annotated with
//! `#[utoipa::path(…, path = "/api/v1/…", security(("bearer" = [])))]`, which puts them in the
//! OpenAPI document at `/api/v1/openapi.json`).
//!
//! Layers, outermost first (so every response, errors included, gets the security headers and a
//! request id):
//!
//! 1. request id: accept a sane `x-request-id` or make one; echo it in the response;
//! 2. trace span with the id; security headers; metrics;
//! 3. [`render_errors`]: HTML or JSON bodies for every error status, with the operation id;
//! 4. tower-http's CSRF origin check; the session cookie (database-backed); the form-token check;
//! 5. panics become 500s (rendered by 3).

use axum::Router;
use axum::http::HeaderName;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::IntoResponse;
use axum::routing::get;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;

use crate::error::{AppError, render_errors};
use crate::state::AppState;
use crate::{
    audit, auth, channels, consent, csrf, dashboard, figures, headers, import, observe, pages, people, suggestions,
};

/// The top of the OpenAPI document; paths and schemas come from the routes.
#[derive(OpenApi)]
#[openapi(
    info(title = "Gatehouse API", description = "A school's social media policy, put into practice."),
    modifiers(&BearerAuth),
    components(schemas(crate::error::ErrorBody))
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some("A personal API token from /account"))
            .build();
        components.add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}

/// Every area's routes. Areas keep their own paths; nothing else here changes when one is added.
fn areas() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(auth::routes())
        .merge(dashboard::routes())
        .merge(people::routes())
        .merge(consent::routes())
        .merge(import::routes())
        .merge(channels::routes())
        .merge(suggestions::routes())
        .merge(audit::routes())
        .merge(figures::routes())
}

/// Routes that sit outside the areas: health, metrics, the stylesheet.
fn infrastructure() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(observe::healthz))
        .route("/metrics", get(observe::metrics_page))
        .route("/static/gatehouse.css", get(pages::stylesheet))
}

/// The whole application, ready for `axum::serve` (with connect info; see [`crate::serve`]).
pub fn router(state: AppState) -> Result<Router, tower_http::csrf::ConfigError> {
    let (routes, api) = areas().split_for_parts();
    let api_json = serde_json::to_value(&api).expect("the OpenAPI document serialises");
    let routes = routes
        .route("/api/v1/openapi.json", get(move || std::future::ready(axum::Json(api_json.clone()))))
        .merge(infrastructure())
        .fallback(|| async { AppError::NotFound });

    let request_id = HeaderName::from_static("x-request-id");
    let session_layer = SessionManagerLayer::new(state.store.session_store())
        .with_name(if state.config.secure_cookies() { "__Host-gatehouse" } else { "gatehouse" })
        .with_secure(state.config.secure_cookies())
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(time::Duration::hours(8)));

    let layers = ServiceBuilder::new()
        .layer(from_fn(observe::sanitise_request_id))
        .layer(SetRequestIdLayer::new(request_id.clone(), observe::MakeId))
        .layer(PropagateRequestIdLayer::new(request_id))
        .layer(from_fn(observe::expose_request_id))
        .layer(TraceLayer::new_for_http().make_span_with(observe::request_span))
        .layer(from_fn_with_state(state.clone(), headers::security_headers))
        .layer(from_fn_with_state(state.clone(), observe::track))
        .layer(from_fn_with_state(state.clone(), render_errors))
        .layer(csrf::origin_layer(&state.config.public_origin)?)
        .layer(session_layer)
        .layer(from_fn(csrf::verify))
        .layer(CatchPanicLayer::custom(panic_response));

    Ok(routes.layer(layers).with_state(state))
}

/// A panicking handler becomes a 500 with the standard body (the renderer fills it in).
fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> axum::response::Response {
    tracing::error!("handler panicked");
    AppError::internal("handler panicked").into_response()
}
