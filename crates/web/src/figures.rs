//! The figures governors may see (P7.2): counts only — people, consents granted per use, channels, open
//! suggestions — at `GET /figures` and `GET /api/v1/figures`, for `figures_reader` (the headteacher,
//! governors, the trust's team). [`for_principal`] gives the same numbers to the dashboard.

use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use school::access::Principal;
use serde::Serialize;
use store::Figures;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::ApiResult;
use crate::csrf::CsrfToken;
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiSigned, Signed};
use crate::guard::deny;
use crate::pages::Layout;
use crate::state::AppState;

const READ: &str = "figures.read";

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().route("/figures", get(page)).routes(routes!(api))
}

/// The figures, if this principal may see them: for the dashboard to show beside its links.
pub async fn for_principal(state: &AppState, principal: &Principal) -> Result<Option<Figures>, AppError> {
    match principal.figures_reader() {
        Some(reader) => Ok(Some(state.store.figures(&reader).await?)),
        None => Ok(None),
    }
}

/// Consents granted for one use.
#[derive(Serialize, ToSchema)]
pub struct UseCount {
    #[serde(rename = "use")]
    pub use_name: String,
    pub label: String,
    /// Current people with it granted and not expired.
    pub granted: u64,
}

/// Counts only: no names, no individual records.
#[derive(Serialize, ToSchema)]
#[schema(as = Figures)]
pub struct FiguresJson {
    /// Current pupils (leavers not counted).
    pub pupils: u64,
    pub staff: u64,
    /// Parents and carers.
    pub parents: u64,
    pub consents_granted: Vec<UseCount>,
    /// Channels active or paused.
    pub channels: u64,
    pub open_suggestions: u64,
}

impl From<Figures> for FiguresJson {
    fn from(f: Figures) -> FiguresJson {
        FiguresJson {
            pupils: f.pupils,
            staff: f.staff,
            parents: f.parents,
            consents_granted: f
                .consents_granted
                .into_iter()
                .map(|(use_name, label, granted)| UseCount { use_name, label, granted })
                .collect(),
            channels: f.channels,
            open_suggestions: f.open_suggestions,
        }
    }
}

#[derive(Template)]
#[template(path = "audit/figures.html")]
struct FiguresPage {
    layout: Layout,
    f: FiguresJson,
}

/// `GET /figures`.
async fn page(State(state): State<AppState>, signed: Signed, csrf: CsrfToken) -> Result<Html<String>, AppError> {
    let Some(figures) = for_principal(&state, &signed.principal).await? else {
        return Err(deny(&state, &signed, READ, "route", "/figures").await);
    };
    let page = FiguresPage { layout: Layout::signed(&state, &signed, &csrf, "Figures", "/figures"), f: figures.into() };
    Ok(Html(page.render().map_err(AppError::internal)?))
}

/// The school's figures: counts only.
#[utoipa::path(
    get,
    path = "/api/v1/figures",
    tag = "figures",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The counts", body = FiguresJson),
        (status = 401, description = "Missing, unknown or revoked token", body = ErrorBody),
        (status = 403, description = "The token's owner may not see figures", body = ErrorBody),
    )
)]
async fn api(State(state): State<AppState>, signed: ApiSigned) -> ApiResult<Json<FiguresJson>> {
    let Some(figures) = for_principal(&state, &signed.principal).await? else {
        return Err(deny(&state, &signed, READ, "route", "/api/v1/figures").await.into());
    };
    Ok(Json(figures.into()))
}
