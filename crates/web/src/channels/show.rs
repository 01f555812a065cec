//! `GET /channels/{id}` and `GET /api/v1/channels/{id}`: a channel, whether its credentials are set
//! (never what they are), who may use it, and — for the headteacher — the refused attempts to use it.

use askama::Template;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Html;
use school::access::{ChannelId, ChannelReader, Role};
use school::audit::Outcome;
use school::channel::ChannelGrant;
use store::AuditFilter;

use super::{ChannelJson, kind_words, list::READ, status_words};
use crate::api::{ApiResult, day, moment, user_name};
use crate::csrf::CsrfToken;
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiSigned, Signed};
use crate::guard::deny;
use crate::pages::Layout;
use crate::state::AppState;

/// How many refused attempts the channel's page lists; the audit log has them all.
const REFUSED_SHOWN: i64 = 20;

pub struct GrantRow {
    pub user: String,
    pub name: String,
    pub may_post: bool,
    pub may_moderate: bool,
    pub granted_by: String,
    pub granted_at: String,
}

pub struct Refusal {
    pub at: String,
    pub who: String,
    pub action: String,
    pub from: String,
}

pub struct StaffOption {
    pub id: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "channels/show.html")]
struct ShowPage {
    layout: Layout,
    id: String,
    name: String,
    kind: &'static str,
    handle: String,
    url: String,
    status: &'static str,
    credentials_set_on: Option<String>,
    grants: Vec<GrantRow>,
    may_post: bool,
    may_moderate: bool,
    admin: bool,
    staff: Vec<StaffOption>,
    refused: Option<Vec<Refusal>>,
}

async fn grant_rows(state: &AppState, grants: Vec<ChannelGrant>) -> Vec<GrantRow> {
    let mut rows = Vec::with_capacity(grants.len());
    for g in grants {
        rows.push(GrantRow {
            name: user_name(state, &g.user.0).await,
            user: g.user.0,
            may_post: g.may_post,
            may_moderate: g.may_moderate,
            granted_by: user_name(state, &g.granted_by).await,
            granted_at: moment(g.granted_at),
        });
    }
    rows
}

/// The people a grant may name: staff and safeguarding leads with working accounts (the headteacher
/// needs no grant; governors see figures only, and the store refuses them one).
async fn grantable(state: &AppState, signed: &Signed) -> Result<Vec<StaffOption>, AppError> {
    let Some(users) = signed.principal.user_admin() else { return Ok(vec![]) };
    let mut staff: Vec<StaffOption> = state
        .store
        .users(&users)
        .await?
        .into_iter()
        .filter(|u| !u.disabled && matches!(u.role, Role::Staff | Role::Dsl | Role::DeputyDsl))
        .map(|u| StaffOption { id: u.id.0, label: format!("{} ({})", u.display_name, u.email) })
        .collect();
    staff.sort_by(|a, b| a.label.cmp(&b.label));
    Ok(staff)
}

/// The refused attempts on this channel, for whoever may read the audit log.
async fn refusals(state: &AppState, signed: &Signed, id: &ChannelId) -> Result<Option<Vec<Refusal>>, AppError> {
    let Some(auditor) = signed.principal.audit_reader() else { return Ok(None) };
    let filter = AuditFilter {
        outcome: Some(Outcome::Denied),
        object_kind: Some("channel".into()),
        object_id: Some(id.0.clone()),
        limit: Some(REFUSED_SHOWN),
        ..AuditFilter::default()
    };
    let mut out = Vec::new();
    for e in state.store.audit(&auditor, &filter).await? {
        out.push(Refusal {
            at: moment(e.at),
            who: user_name(state, &e.actor.to_string()).await,
            action: e.action,
            from: e.from.unwrap_or_default(),
        });
    }
    Ok(Some(out))
}

async fn load_json(state: &AppState, reader: &ChannelReader<'_>, id: &ChannelId) -> Result<ChannelJson, AppError> {
    let channel = state.store.channel(reader, id).await?;
    let set_at = state.store.channel_credentials_set_at(reader, id).await?;
    Ok(ChannelJson::new(&channel, set_at))
}

/// `GET /channels/{id}`.
pub async fn page(
    State(state): State<AppState>,
    signed: Signed,
    csrf: CsrfToken,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    let Some(reader) = signed.principal.channel_reader() else {
        return Err(deny(&state, &signed, READ, "channel", &id).await);
    };
    let id = ChannelId(id);
    let channel = state.store.channel(&reader, &id).await?;
    let set_at = state.store.channel_credentials_set_at(&reader, &id).await?;
    let grants = grant_rows(&state, state.store.channel_grants(&reader, &id).await?).await;
    let page = ShowPage {
        layout: Layout::signed(&state, &signed, &csrf, &channel.name, "/channels"),
        id: id.0.clone(),
        kind: kind_words(channel.kind),
        handle: channel.handle,
        url: channel.url.unwrap_or_default(),
        status: status_words(channel.status),
        credentials_set_on: set_at.map(day),
        grants,
        may_post: signed.principal.channel_poster(&id).is_some(),
        may_moderate: signed.principal.channel_moderator(&id).is_some(),
        admin: signed.principal.channel_admin().is_some(),
        staff: grantable(&state, &signed).await?,
        refused: refusals(&state, &signed, &id).await?,
        name: channel.name,
    };
    Ok(Html(page.render().map_err(AppError::internal)?))
}

/// One channel. Credentials are never included: only whether and when they were set.
#[utoipa::path(
    get,
    path = "/api/v1/channels/{id}",
    tag = "channels",
    params(("id" = String, Path, description = "The channel's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The channel", body = ChannelJson),
        (status = 401, description = "Missing, unknown or revoked token", body = ErrorBody),
        (status = 403, description = "The token's owner may not see the registry", body = ErrorBody),
        (status = 404, description = "No such channel in this school", body = ErrorBody),
    )
)]
pub async fn api(
    State(state): State<AppState>,
    signed: ApiSigned,
    Path(id): Path<String>,
) -> ApiResult<Json<ChannelJson>> {
    let Some(reader) = signed.principal.channel_reader() else {
        return Err(deny(&state, &signed, READ, "channel", &id).await.into());
    };
    Ok(Json(load_json(&state, &reader, &ChannelId(id)).await?))
}
