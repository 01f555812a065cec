//! `GET /channels` and `GET /api/v1/channels`: the registry.

use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::response::Html;
use school::channel::Channel;

use super::{ChannelJson, kind_words, status_words};
use crate::api::{ApiResult, day};
use crate::csrf::CsrfToken;
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiSigned, Signed};
use crate::guard::deny;
use crate::pages::Layout;
use crate::state::AppState;

/// The action refused to people who may not see the registry.
pub const READ: &str = "channel.read";

struct Row {
    id: String,
    name: String,
    kind: &'static str,
    handle: String,
    url: String,
    status: &'static str,
    credentials: String,
}

#[derive(Template)]
#[template(path = "channels/list.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<Row>,
    can_register: bool,
}

/// `GET /channels`.
pub async fn page(State(state): State<AppState>, signed: Signed, csrf: CsrfToken) -> Result<Html<String>, AppError> {
    let Some(reader) = signed.principal.channel_reader() else {
        return Err(deny(&state, &signed, READ, "route", "/channels").await);
    };
    let channels = state.store.channels(&reader).await?;
    let mut rows = Vec::with_capacity(channels.len());
    for c in channels {
        let set_at = state.store.channel_credentials_set_at(&reader, &c.id).await?;
        rows.push(row(c, set_at.map(day)));
    }
    let page = ListPage {
        layout: Layout::signed(&state, &signed, &csrf, "Channels", "/channels"),
        rows,
        can_register: signed.principal.channel_admin().is_some(),
    };
    Ok(Html(page.render().map_err(AppError::internal)?))
}

fn row(c: Channel, set_on: Option<String>) -> Row {
    Row {
        id: c.id.0,
        name: c.name,
        kind: kind_words(c.kind),
        handle: c.handle,
        url: c.url.unwrap_or_default(),
        status: status_words(c.status),
        credentials: set_on.map_or_else(|| "Not set".to_string(), |d| format!("Set on {d}")),
    }
}

/// The school's channels, by name. Credentials are never included.
#[utoipa::path(
    get,
    path = "/api/v1/channels",
    tag = "channels",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The registry", body = [ChannelJson]),
        (status = 401, description = "Missing, unknown or revoked token", body = ErrorBody),
        (status = 403, description = "The token's owner may not see the registry", body = ErrorBody),
    )
)]
pub async fn api(State(state): State<AppState>, signed: ApiSigned) -> ApiResult<Json<Vec<ChannelJson>>> {
    let Some(reader) = signed.principal.channel_reader() else {
        return Err(deny(&state, &signed, READ, "route", "/api/v1/channels").await.into());
    };
    let mut out = Vec::new();
    for c in state.store.channels(&reader).await? {
        let set_at = state.store.channel_credentials_set_at(&reader, &c.id).await?;
        out.push(ChannelJson::new(&c, set_at));
    }
    Ok(Json(out))
}
