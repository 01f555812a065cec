//! Who may use a channel (P2.3): the headteacher grants or revokes `may_post` and `may_moderate` per
//! member of staff. `POST /channels/{id}/grants` and `…/grants/{user}/revoke` (forms);
//! `GET /api/v1/channels/{id}/grants`, `PUT` and `DELETE /api/v1/channels/{id}/grants/{user}`.
//! The store audits each grant (`channel.grant`) and revocation (`channel.revoke`).

use axum::Form;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Redirect;
use school::access::{ChannelAdmin, ChannelId, UserId};
use school::audit::actions;
use school::channel::ChannelGrant;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::list::READ;
use crate::api::{self, ApiError, ApiResult, rfc3339};
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiSigned, Signed};
use crate::guard::deny;
use crate::state::AppState;

/// A staff member's rights on a channel.
#[derive(Serialize, ToSchema)]
#[schema(as = Grant)]
pub struct GrantJson {
    pub channel: String,
    pub user: String,
    pub may_post: bool,
    pub may_moderate: bool,
    /// Who granted it (a user id).
    pub granted_by: String,
    /// When (RFC 3339).
    pub granted_at: String,
}

impl From<&ChannelGrant> for GrantJson {
    fn from(g: &ChannelGrant) -> GrantJson {
        GrantJson {
            channel: g.channel.0.clone(),
            user: g.user.0.clone(),
            may_post: g.may_post,
            may_moderate: g.may_moderate,
            granted_by: g.granted_by.clone(),
            granted_at: rfc3339(g.granted_at),
        }
    }
}

/// The grant form: a user and two checkboxes (absent when unticked).
#[derive(Deserialize)]
pub struct GrantForm {
    user: String,
    may_post: Option<String>,
    may_moderate: Option<String>,
}

/// Writes a grant; with neither right it is removed. The store refuses governors and users of other
/// schools (422 and 404).
async fn write(
    state: &AppState,
    admin: &ChannelAdmin<'_>,
    origin: store::Origin,
    channel: &ChannelId,
    user: &UserId,
    post: bool,
    moderate: bool,
) -> Result<(), store::Error> {
    state.store.grant(admin, origin, user, channel, post, moderate).await
}

/// `POST /channels/{id}/grants`.
pub async fn grant(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(form): Form<GrantForm>,
) -> Result<Redirect, AppError> {
    let Some(admin) = signed.principal.channel_admin() else {
        return Err(deny(&state, &signed, actions::CHANNEL_GRANT, "channel", &id).await);
    };
    let channel = ChannelId(id);
    let user = UserId(form.user.trim().to_string());
    write(&state, &admin, signed.from.origin(), &channel, &user, form.may_post.is_some(), form.may_moderate.is_some())
        .await?;
    Ok(Redirect::to(&format!("/channels/{}#grants", channel.0)))
}

/// `POST /channels/{id}/grants/{user}/revoke`.
pub async fn revoke(
    State(state): State<AppState>,
    signed: Signed,
    Path((id, user)): Path<(String, String)>,
) -> Result<Redirect, AppError> {
    let Some(admin) = signed.principal.channel_admin() else {
        return Err(deny(&state, &signed, actions::CHANNEL_REVOKE, "channel", &id).await);
    };
    let channel = ChannelId(id);
    write(&state, &admin, signed.from.origin(), &channel, &UserId(user), false, false).await?;
    Ok(Redirect::to(&format!("/channels/{}#grants", channel.0)))
}

/// Who may use a channel, and how.
#[utoipa::path(
    get,
    path = "/api/v1/channels/{id}/grants",
    tag = "channels",
    params(("id" = String, Path, description = "The channel's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The grants", body = [GrantJson]),
        (status = 401, description = "Missing, unknown or revoked token", body = ErrorBody),
        (status = 403, description = "The token's owner may not see the registry", body = ErrorBody),
        (status = 404, description = "No such channel in this school", body = ErrorBody),
    )
)]
pub async fn list_api(
    State(state): State<AppState>,
    signed: ApiSigned,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<GrantJson>>> {
    let Some(reader) = signed.principal.channel_reader() else {
        return Err(deny(&state, &signed, READ, "channel", &id).await.into());
    };
    let channel = ChannelId(id);
    state.store.channel(&reader, &channel).await?;
    let grants = state.store.channel_grants(&reader, &channel).await?;
    Ok(Json(grants.iter().map(GrantJson::from).collect()))
}

/// The rights to give.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantInput {
    #[serde(default)]
    may_post: bool,
    #[serde(default)]
    may_moderate: bool,
}

/// Grants a member of staff the use of a channel (replacing any grant they had).
#[utoipa::path(
    put,
    path = "/api/v1/channels/{id}/grants/{user}",
    tag = "channels",
    params(
        ("id" = String, Path, description = "The channel's id"),
        ("user" = String, Path, description = "The staff member's user id"),
    ),
    request_body = GrantInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The grant as it now is", body = GrantJson),
        (status = 400, description = "Neither right given (use DELETE to revoke), or the user is a governor", body = ErrorBody),
        (status = 401, description = "Missing, unknown or revoked token", body = ErrorBody),
        (status = 403, description = "Only the headteacher grants, with a read-and-change token", body = ErrorBody),
        (status = 404, description = "No such channel or user in this school", body = ErrorBody),
    )
)]
pub async fn put_api(
    State(state): State<AppState>,
    signed: ApiSigned,
    Path((id, user)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult<Json<GrantJson>> {
    let Some(admin) = signed.principal.channel_admin() else {
        return Err(deny(&state, &signed, actions::CHANNEL_GRANT, "channel", &id).await.into());
    };
    let input: GrantInput = api::json(&body)?;
    if !input.may_post && !input.may_moderate {
        return Err(ApiError::invalid("may_post", "give at least one right; DELETE removes a grant"));
    }
    let (channel, user) = (ChannelId(id), UserId(user));
    write(&state, &admin, signed.from.origin(), &channel, &user, input.may_post, input.may_moderate).await?;
    let reader = signed.principal.channel_reader().ok_or(AppError::Forbidden)?;
    let grants = state.store.channel_grants(&reader, &channel).await?;
    let grant = grants.iter().find(|g| g.user == user).ok_or(AppError::NotFound)?;
    Ok(Json(grant.into()))
}

/// Revokes a member of staff's use of a channel. Revoking what is not granted changes nothing.
#[utoipa::path(
    delete,
    path = "/api/v1/channels/{id}/grants/{user}",
    tag = "channels",
    params(
        ("id" = String, Path, description = "The channel's id"),
        ("user" = String, Path, description = "The staff member's user id"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, description = "Missing, unknown or revoked token", body = ErrorBody),
        (status = 403, description = "Only the headteacher revokes, with a read-and-change token", body = ErrorBody),
        (status = 404, description = "No such channel or user in this school", body = ErrorBody),
    )
)]
pub async fn delete_api(
    State(state): State<AppState>,
    signed: ApiSigned,
    Path((id, user)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let Some(admin) = signed.principal.channel_admin() else {
        return Err(deny(&state, &signed, actions::CHANNEL_REVOKE, "channel", &id).await.into());
    };
    write(&state, &admin, signed.from.origin(), &ChannelId(id), &UserId(user), false, false).await?;
    Ok(StatusCode::NO_CONTENT)
}
