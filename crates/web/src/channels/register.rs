//! Registering a channel (P2.1, headteacher only): `GET /channels/new`, `POST /channels`,
//! `POST /api/v1/channels`. The store audits the registration (`channel.add`).

use askama::Template;
use axum::Form;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use school::audit::actions;

use super::{ChannelInput, ChannelJson, check};
use crate::api::{self, ApiResult, FieldErrors};
use crate::csrf::CsrfToken;
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiSigned, Signed};
use crate::guard::deny;
use crate::pages::{Layout, with_status};
use crate::state::AppState;

/// The channel form, for registering and for editing.
#[derive(Template)]
#[template(path = "channels/form.html")]
pub struct ChannelForm {
    pub layout: Layout,
    pub action: String,
    pub heading: String,
    pub back: String,
    pub editing: bool,
    pub input: ChannelInput,
    pub errors: FieldErrors,
}

impl ChannelForm {
    pub fn respond(self) -> Response {
        let status = if self.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
        with_status(status, self.render().map_err(AppError::internal))
    }
}

fn new_form(state: &AppState, signed: &Signed, csrf: &CsrfToken, input: ChannelInput, errors: FieldErrors) -> Response {
    ChannelForm {
        layout: Layout::signed(state, signed, csrf, "Register a channel", "/channels"),
        action: "/channels".into(),
        heading: "Register a channel".into(),
        back: "/channels".into(),
        editing: false,
        input,
        errors,
    }
    .respond()
}

/// `GET /channels/new`.
pub async fn form(State(state): State<AppState>, signed: Signed, csrf: CsrfToken) -> Result<Response, AppError> {
    if signed.principal.channel_admin().is_none() {
        return Err(deny(&state, &signed, actions::CHANNEL_ADD, "route", "/channels/new").await);
    }
    Ok(new_form(&state, &signed, &csrf, ChannelInput::default(), FieldErrors::default()))
}

/// `POST /channels`: registers it, then shows its page (where credentials and grants are entered).
pub async fn submit(
    State(state): State<AppState>,
    signed: Signed,
    csrf: CsrfToken,
    Form(input): Form<ChannelInput>,
) -> Result<Response, AppError> {
    let Some(admin) = signed.principal.channel_admin() else {
        return Err(deny(&state, &signed, actions::CHANNEL_ADD, "route", "/channels").await);
    };
    let (new, _) = match check(&input, false) {
        Ok(checked) => checked,
        Err(errors) => return Ok(new_form(&state, &signed, &csrf, input, errors)),
    };
    match state.store.add_channel(&admin, signed.from.origin(), &new).await {
        Ok(channel) => Ok(Redirect::to(&format!("/channels/{}", channel.id.0)).into_response()),
        Err(store::Error::Conflict(_)) => {
            let mut errors = FieldErrors::default();
            errors.add("handle", "A channel on this platform with this handle is already registered");
            Ok(new_form(&state, &signed, &csrf, input, errors))
        }
        Err(err) => Err(err.into()),
    }
}

/// Registers a channel (active, without credentials).
#[utoipa::path(
    post,
    path = "/api/v1/channels",
    tag = "channels",
    request_body = ChannelInput,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Registered; `Location` names it", body = ChannelJson),
        (status = 400, description = "A field is wrong (`field` names it)", body = ErrorBody),
        (status = 401, description = "Missing, unknown or revoked token", body = ErrorBody),
        (status = 403, description = "Only the headteacher registers channels, with a read-and-change token", body = ErrorBody),
        (status = 409, description = "A channel on this platform with this handle exists", body = ErrorBody),
    )
)]
pub async fn api(State(state): State<AppState>, signed: ApiSigned, body: Bytes) -> ApiResult<Response> {
    let Some(admin) = signed.principal.channel_admin() else {
        return Err(deny(&state, &signed, actions::CHANNEL_ADD, "route", "/api/v1/channels").await.into());
    };
    let input: ChannelInput = api::json(&body)?;
    let (new, _) = check(&input, false).map_err(FieldErrors::into_api)?;
    let channel = state.store.add_channel(&admin, signed.from.origin(), &new).await?;
    let location = format!("/api/v1/channels/{}", channel.id.0);
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(ChannelJson::new(&channel, None))).into_response())
}
