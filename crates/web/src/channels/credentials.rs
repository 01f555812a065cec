//! Entering a channel's platform credentials (headteacher only): `GET/POST /channels/{id}/credentials`
//! and `PUT /api/v1/channels/{id}/credentials`.
//!
//! The value is handed straight to the store, which encrypts it; nothing here keeps, logs or echoes it
//! — a form shown again for a problem has the field empty — and no response ever contains it: pages and
//! the API say only when credentials were set.

use askama::Template;
use axum::Form;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use school::access::{ChannelAdmin, ChannelId};
use school::audit::actions;
use serde::Deserialize;
use store::PlatformCredentials;
use utoipa::ToSchema;

use crate::api::{self, ApiResult, FieldErrors, day};
use crate::csrf::CsrfToken;
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiSigned, Signed};
use crate::guard::deny;
use crate::pages::{Layout, with_status};
use crate::state::AppState;

/// Long enough for a page token or an API key pair as JSON.
const MAX_CREDENTIALS: usize = 8 * 1024;

/// New credentials for a channel.
#[derive(Deserialize, ToSchema)]
#[schema(as = ChannelCredentials)]
pub struct CredentialsInput {
    /// A page access token, or the platform's key pair as JSON: stored encrypted, never returned.
    #[serde(default)]
    #[schema(format = Password, write_only)]
    credentials: String,
}

// No `Debug` that could print the secret.
impl std::fmt::Debug for CredentialsInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CredentialsInput(<redacted>)")
    }
}

fn check(input: CredentialsInput) -> Result<PlatformCredentials, FieldErrors> {
    let mut errors = FieldErrors::default();
    let text = input.credentials.trim();
    if text.is_empty() {
        errors.add("credentials", "Enter the credentials the platform gave you");
    } else if text.len() > MAX_CREDENTIALS {
        errors.add("credentials", "These are longer than any platform's credentials: check what was pasted");
    }
    if errors.is_empty() { Ok(PlatformCredentials::new(text)) } else { Err(errors) }
}

#[derive(Template)]
#[template(path = "channels/credentials.html")]
struct CredentialsForm {
    layout: Layout,
    id: String,
    name: String,
    set_on: Option<String>,
    errors: FieldErrors,
}

async fn render(
    state: &AppState,
    signed: &Signed,
    csrf: &CsrfToken,
    id: &ChannelId,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let reader = signed.principal.channel_reader().ok_or(AppError::Forbidden)?;
    let channel = state.store.channel(&reader, id).await?;
    let set_at = state.store.channel_credentials_set_at(&reader, id).await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = CredentialsForm {
        layout: Layout::signed(state, signed, csrf, &format!("Credentials for {}", channel.name), "/channels"),
        id: id.0.clone(),
        name: channel.name,
        set_on: set_at.map(day),
        errors,
    };
    Ok(with_status(status, page.render().map_err(AppError::internal)))
}

async fn store_them(
    state: &AppState,
    admin: &ChannelAdmin<'_>,
    origin: store::Origin,
    id: &ChannelId,
    secret: &PlatformCredentials,
) -> Result<(), store::Error> {
    state.store.set_channel_credentials(admin, origin, &state.config.secret_key, id, secret).await
}

/// `GET /channels/{id}/credentials`.
pub async fn form(
    State(state): State<AppState>,
    signed: Signed,
    csrf: CsrfToken,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    if signed.principal.channel_admin().is_none() {
        return Err(deny(&state, &signed, actions::CHANNEL_CREDENTIALS_SET, "channel", &id).await);
    }
    render(&state, &signed, &csrf, &ChannelId(id), FieldErrors::default()).await
}

/// `POST /channels/{id}/credentials`: stores them, then back to the channel's page.
pub async fn submit(
    State(state): State<AppState>,
    signed: Signed,
    csrf: CsrfToken,
    Path(id): Path<String>,
    Form(input): Form<CredentialsInput>,
) -> Result<Response, AppError> {
    let Some(admin) = signed.principal.channel_admin() else {
        return Err(deny(&state, &signed, actions::CHANNEL_CREDENTIALS_SET, "channel", &id).await);
    };
    let id = ChannelId(id);
    let secret = match check(input) {
        Ok(secret) => secret,
        Err(errors) => return render(&state, &signed, &csrf, &id, errors).await,
    };
    store_them(&state, &admin, signed.from.origin(), &id, &secret).await?;
    Ok(Redirect::to(&format!("/channels/{}#credentials", id.0)).into_response())
}

/// Sets or replaces a channel's platform credentials. They are stored encrypted and never returned.
#[utoipa::path(
    put,
    path = "/api/v1/channels/{id}/credentials",
    tag = "channels",
    params(("id" = String, Path, description = "The channel's id")),
    request_body = CredentialsInput,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Stored"),
        (status = 400, description = "Empty or implausibly long (`field` is `credentials`)", body = ErrorBody),
        (status = 401, description = "Missing, unknown or revoked token", body = ErrorBody),
        (status = 403, description = "Only the headteacher sets credentials, with a read-and-change token", body = ErrorBody),
        (status = 404, description = "No such channel in this school", body = ErrorBody),
    )
)]
pub async fn api(
    State(state): State<AppState>,
    signed: ApiSigned,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<StatusCode> {
    let Some(admin) = signed.principal.channel_admin() else {
        return Err(deny(&state, &signed, actions::CHANNEL_CREDENTIALS_SET, "channel", &id).await.into());
    };
    let secret = check(api::json(&body)?).map_err(FieldErrors::into_api)?;
    store_them(&state, &admin, signed.from.origin(), &ChannelId(id), &secret).await?;
    Ok(StatusCode::NO_CONTENT)
}
