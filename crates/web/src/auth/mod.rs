//! Signing in and out: password, second factor, sessions, API tokens, and the school's OpenID Connect
//! provider (`providers.rs`, for whoever administers the school's accounts).
//!
//! Flow: `GET/POST /sign-in` (password) → for roles that need it, `/mfa/enrol` the first time (QR code
//! and typed key) or `/mfa` (a code) → the dashboard. A session gets no [`Principal`] until every
//! factor its role requires has succeeded; until then [`crate::Signed`] redirects to the missing step.
//!
//! [`Principal`]: school::access::Principal

use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

mod account;
pub mod factor;
mod mfa;
mod oidc;
pub mod password;
mod providers;
mod sign_in;
mod throttle;

/// The sign-in area's pages and its API endpoints.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .route("/sign-in", get(sign_in::page).post(sign_in::submit))
        .route("/mfa", get(mfa::verify_page).post(mfa::verify_submit))
        .route("/auth/oidc/{school}/start", get(oidc::start))
        .route(oidc::CALLBACK_PATH, get(oidc::callback))
        .route("/mfa/enrol", get(mfa::enrol_page).post(mfa::enrol_submit))
        .route("/sign-out", post(sign_in::sign_out))
        .route("/sign-out/everywhere", post(account::sign_out_everywhere))
        .route("/account", get(account::page))
        .route("/account/tokens", post(account::create_token))
        .route("/account/tokens/{id}/revoke", post(account::revoke_token))
        .route(providers::PATH, get(providers::page).post(providers::submit))
        .routes(routes!(account::me::me))
}
