//! Editing a channel's details and status (headteacher only): `GET /channels/{id}/edit`,
//! `POST /channels/{id}`, `PATCH /api/v1/channels/{id}`. The store audits each change
//! (`channel.update`).

use axum::Form;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use school::access::{ChannelAdmin, ChannelId};
use school::audit::actions;
use school::channel::{Channel, ChannelStatus, NewChannel};
use serde::Deserialize;
use utoipa::ToSchema;

use super::register::ChannelForm;
use super::{ChannelInput, ChannelJson, check};
use crate::api::{self, ApiResult, FieldErrors, schema};
use crate::csrf::CsrfToken;
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiSigned, Signed};
use crate::guard::deny;
use crate::pages::Layout;
use crate::state::AppState;

fn edit_form(
    state: &AppState,
    signed: &Signed,
    csrf: &CsrfToken,
    channel: &Channel,
    input: ChannelInput,
    errors: FieldErrors,
) -> Response {
    ChannelForm {
        layout: Layout::signed(state, signed, csrf, &format!("Edit {}", channel.name), "/channels"),
        action: format!("/channels/{}", channel.id.0),
        heading: format!("Edit {}", channel.name),
        back: format!("/channels/{}", channel.id.0),
        editing: true,
        input,
        errors,
    }
    .respond()
}

/// Loads the channel being edited (the admin can read what it administers).
async fn load(state: &AppState, principal: &school::access::Principal, id: &ChannelId) -> Result<Channel, AppError> {
    let reader = principal.channel_reader().ok_or(AppError::Forbidden)?;
    Ok(state.store.channel(&reader, id).await?)
}

/// Writes what changed: the details (the store writes nothing when none did), then the status, each
/// audited by the store.
async fn apply(
    state: &AppState,
    admin: &ChannelAdmin<'_>,
    origin: store::Origin,
    before: &Channel,
    new: &NewChannel,
    status: Option<ChannelStatus>,
) -> Result<(), store::Error> {
    state.store.update_channel(admin, origin, &before.id, new).await?;
    if let Some(status) = status.filter(|s| *s != before.status) {
        state.store.set_channel_status(admin, origin, &before.id, status).await?;
    }
    Ok(())
}

/// `GET /channels/{id}/edit`.
pub async fn form(
    State(state): State<AppState>,
    signed: Signed,
    csrf: CsrfToken,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    if signed.principal.channel_admin().is_none() {
        return Err(deny(&state, &signed, actions::CHANNEL_UPDATE, "channel", &id).await);
    }
    let channel = load(&state, &signed.principal, &ChannelId(id)).await?;
    Ok(edit_form(&state, &signed, &csrf, &channel, ChannelInput::of(&channel), FieldErrors::default()))
}

/// `POST /channels/{id}`: saves the details, then back to the channel's page.
pub async fn submit(
    State(state): State<AppState>,
    signed: Signed,
    csrf: CsrfToken,
    Path(id): Path<String>,
    Form(input): Form<ChannelInput>,
) -> Result<Response, AppError> {
    let Some(admin) = signed.principal.channel_admin() else {
        return Err(deny(&state, &signed, actions::CHANNEL_UPDATE, "channel", &id).await);
    };
    let channel = load(&state, &signed.principal, &ChannelId(id)).await?;
    let (new, status) = match check(&input, true) {
        Ok(checked) => checked,
        Err(errors) => return Ok(edit_form(&state, &signed, &csrf, &channel, input, errors)),
    };
    match apply(&state, &admin, signed.from.origin(), &channel, &new, status).await {
        Ok(()) => Ok(Redirect::to(&format!("/channels/{}", channel.id.0)).into_response()),
        Err(store::Error::Conflict(_)) => {
            let mut errors = FieldErrors::default();
            errors.add("handle", "A channel on this platform with this handle is already registered");
            Ok(edit_form(&state, &signed, &csrf, &channel, input, errors))
        }
        Err(err) => Err(err.into()),
    }
}

/// The fields to change; those left out stay as they are (an empty `url` removes the address).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChannelPatch {
    #[schema(schema_with = schema::channel_kind)]
    kind: Option<String>,
    name: Option<String>,
    handle: Option<String>,
    url: Option<String>,
    #[schema(schema_with = schema::channel_status)]
    status: Option<String>,
}

impl ChannelPatch {
    fn over(self, channel: &Channel) -> ChannelInput {
        let base = ChannelInput::of(channel);
        ChannelInput {
            kind: self.kind.unwrap_or(base.kind),
            name: self.name.unwrap_or(base.name),
            handle: self.handle.unwrap_or(base.handle),
            url: self.url.or(base.url),
            status: self.status.or(base.status),
        }
    }
}

/// Changes a channel's details or status.
#[utoipa::path(
    patch,
    path = "/api/v1/channels/{id}",
    tag = "channels",
    params(("id" = String, Path, description = "The channel's id")),
    request_body = ChannelPatch,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The channel as it now is", body = ChannelJson),
        (status = 400, description = "A field is wrong (`field` names it)", body = ErrorBody),
        (status = 401, description = "Missing, unknown or revoked token", body = ErrorBody),
        (status = 403, description = "Only the headteacher edits channels, with a read-and-change token", body = ErrorBody),
        (status = 404, description = "No such channel in this school", body = ErrorBody),
        (status = 409, description = "A channel on this platform with this handle exists", body = ErrorBody),
    )
)]
pub async fn api(
    State(state): State<AppState>,
    signed: ApiSigned,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<ChannelJson>> {
    let Some(admin) = signed.principal.channel_admin() else {
        return Err(deny(&state, &signed, actions::CHANNEL_UPDATE, "channel", &id).await.into());
    };
    let patch: ChannelPatch = api::json(&body)?;
    let channel = load(&state, &signed.principal, &ChannelId(id)).await?;
    let (new, status) = check(&patch.over(&channel), true).map_err(FieldErrors::into_api)?;
    apply(&state, &admin, signed.from.origin(), &channel, &new, status).await?;
    let reader = signed.principal.channel_reader().ok_or(AppError::Forbidden)?;
    let after = state.store.channel(&reader, &channel.id).await?;
    let set_at = state.store.channel_credentials_set_at(&reader, &after.id).await?;
    Ok(Json(ChannelJson::new(&after, set_at)))
}
