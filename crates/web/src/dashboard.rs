//! `GET /`: the dashboard shell — the school's name, the areas this person's role reaches, and for those
//! who may see them (the headteacher, governors, the trust's team) the school's figures at a glance.

use askama::Template;
use axum::extract::State;
use axum::routing::get;
use utoipa_axum::router::OpenApiRouter;

use crate::csrf::CsrfToken;
use crate::error::AppError;
use crate::extract::Signed;
use crate::figures::{self, FiguresJson};
use crate::pages::{self, Layout};
use crate::state::AppState;

#[derive(Template, askama_web::WebTemplate)]
#[template(path = "dashboard.html")]
struct Dashboard {
    layout: Layout,
    role: &'static str,
    /// (path, label), the dashboard link itself left out.
    areas: Vec<(&'static str, &'static str)>,
    /// Counts only; `None` for roles that may not see them.
    figures: Option<FiguresJson>,
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().route("/", get(show))
}

async fn show(State(state): State<AppState>, signed: Signed, csrf: CsrfToken) -> Result<Dashboard, AppError> {
    let layout = Layout::signed(&state, &signed, &csrf, "Dashboard", "/");
    let role = layout.role.unwrap_or("");
    let areas = pages::areas(&signed.principal).into_iter().filter(|(href, _)| *href != "/").collect();
    // Governors come to Gatehouse for these numbers: show them where they land, not one click away.
    let figures = figures::for_principal(&state, &signed.principal).await?.map(FiguresJson::from);
    Ok(Dashboard { role, layout, areas, figures })
}
