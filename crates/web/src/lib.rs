//! Gatehouse's HTTP front: server-rendered pages for people, a JSON API for programs, sign-in with a
//! second factor, sessions in the database, CSRF protection, observability.
//!
//! # Structure
//!
//! - [`serve`] runs the app on an already-bound listener until a shutdown future completes (tests bind
//!   port 0); [`router`] builds it. `app.rs` merges the areas and stacks the layers.
//! - [`AppState`] (`state.rs`): the storage, the school's policy, [`Config`]; built once, cloned into
//!   every handler. `state.store` is the `store` crate's [`store::Store`]; its errors convert into
//!   [`AppError`] with `?`.
//! - [`AppError`] (`error.rs`): the one error type, with stable codes and statuses, rendered as an
//!   HTML page or a JSON body with the operation id (= request id in the logs and `x-request-id`).
//! - Extractors (`extract.rs`): [`Signed`] for pages, [`ApiSigned`] for `/api/v1` bearer tokens,
//!   [`ClientAddr`]; [`CsrfToken`] (`csrf.rs`) for forms.
//! - [`deny`] (`guard.rs`): a refused capability check, audited, as a 403.
//! - Pages (`pages.rs`): [`Layout`] and `templates/base.html`, which every page template extends.
//! - Areas: `auth` (sign-in, MFA, sign-out, account and API tokens), `dashboard`; later `people`,
//!   `consent`, `import`, `channels`, `suggestions`, `audit`, `api`, each one `.merge` in `app.rs`.
//!
//! # Writing a page handler
//!
//! ```text
//! async fn list(State(state): State<AppState>, signed: Signed, csrf: CsrfToken) -> Result<Page, AppError> {
//!     let Some(reader) = signed.principal.people_reader() else {
//!         return Err(deny(&state, &signed, "people.read", "route", "/people").await);
//!     };
//!     let layout = Layout::signed(&state, &signed, &csrf, "People", "/people");
//!     …
//! }
//! ```
//!
//! Forms need nothing but the hidden `csrf_token` field: the token is checked before any handler runs.
//! A change made through a store method is audited by the store in the same transaction; [`deny`]
//! records refusals, and [`append_audit`] (with [`audit_entry`]) anything else worth a line.
//!
//! # Writing an API handler
//!
//! Annotate it with `#[utoipa::path(get, path = "/api/v1/…", security(("bearer" = [])), …)]`, take
//! [`ApiSigned`] (a read-only token is refused with 403 on any method but GET/HEAD/OPTIONS before the
//! handler runs, and the refusal is audited), return `Result<Json<T>, AppError>` (errors become
//! `{code, message, field, operation_id}`), and register it with `.routes(routes!(handler))` in the
//! area's `routes()`.

mod api;
mod app;
mod audit;
mod auth;
mod channels;
mod consent;
mod csrf;
mod dashboard;
mod error;
mod extract;
mod figures;
mod guard;
mod headers;
mod import;
mod observe;
mod pages;
mod people;
mod session;
mod state;
mod suggestions;
mod sweeper;

use std::future::Future;
use std::net::SocketAddr;

pub use app::router;
pub use auth::password::hash as hash_password;
pub use csrf::CsrfToken;
pub use error::{AppError, ErrorBody};
pub use extract::{Actor, ApiSigned, ClientAddr, READ_ONLY_TOKEN_WRITE, Scope, Signed};
pub use guard::{append as append_audit, deny, entry as audit_entry};
pub use observe::{RequestId, init_logging};
pub use pages::{Layout, NavLink, with_status};
pub use state::{AppState, Config, ConfigError, Limits, MetricsToken};

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("CSRF configuration: {0}")]
    Csrf(#[from] tower_http::csrf::ConfigError),
    #[error("serving: {0}")]
    Io(#[from] std::io::Error),
}

/// Serves the app on `listener` until `shutdown` completes, then finishes in-flight requests. Meanwhile
/// expired sessions are deleted from the database (at start, then every `config.session_sweep_every`);
/// that stops with the same signal, and has stopped when this returns.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let app = router(state.clone())?;
    // The sweeper stops when `stop` is dropped: when the signal comes, or when serving fails first.
    let (stop, stopped) = tokio::sync::watch::channel(());
    let sweeper = tokio::spawn(sweeper::run(state, stopped));
    let shutdown = async move {
        shutdown.await;
        drop(stop);
    };
    tracing::info!(address = %listener.local_addr()?, "listening");
    let served = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await;
    if let Err(err) = sweeper.await {
        tracing::error!(error = %err, "the expired-session sweeper panicked");
    }
    Ok(served?)
}
