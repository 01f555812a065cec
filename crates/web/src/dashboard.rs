//! `GET /`: the dashboard shell — the school's name and the areas this person's role reaches.

use askama::Template;
use axum::extract::State;
use axum::routing::get;
use utoipa_axum::router::OpenApiRouter;

use crate::csrf::CsrfToken;
use crate::error::AppError;
use crate::extract::Signed;
use crate::pages::{self, Layout};
use crate::state::AppState;

#[derive(Template, askama_web::WebTemplate)]
#[template(path = "dashboard.html")]
struct Dashboard {
    layout: Layout,
    role: &'static str,
    /// (path, label), the dashboard link itself left out.
    areas: Vec<(&'static str, &'static str)>,
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().route("/", get(show))
}

async fn show(State(state): State<AppState>, signed: Signed, csrf: CsrfToken) -> Result<Dashboard, AppError> {
    let layout = Layout::signed(&state, &signed, &csrf, "Dashboard", "/");
    let role = layout.role.unwrap_or("");
    let areas = pages::areas(&signed.principal).into_iter().filter(|(href, _)| *href != "/").collect();
    Ok(Dashboard { role, layout, areas })
}
