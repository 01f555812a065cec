//! Sending a suggestion (any member of staff): `POST /suggestions` and `POST /api/v1/suggestions`.
//! The store audits it (`suggestion.create`).

use axum::Form;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use school::audit::actions;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{MAX_TEXT, SuggestionJson, queue};
use crate::api::{self, ApiResult, FieldErrors};
use crate::csrf::CsrfToken;
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiSigned, Signed};
use crate::guard::deny;
use crate::state::AppState;

/// A suggestion as sent.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[schema(as = NewSuggestion)]
pub struct SuggestionInput {
    /// What to post: 1 to 5,000 characters.
    #[serde(default)]
    pub text: String,
}

fn check(input: &SuggestionInput) -> Result<&str, FieldErrors> {
    let text = input.text.trim();
    let mut errors = FieldErrors::default();
    if text.is_empty() {
        errors.add("text", "Write what you suggest posting");
    } else if text.chars().count() > MAX_TEXT {
        errors.add("text", format!("Keep it to {MAX_TEXT} characters: a post, not a document"));
    }
    if errors.is_empty() { Ok(text) } else { Err(errors) }
}

/// `POST /suggestions`: sends it, then back to the list with a confirmation.
pub async fn submit(
    State(state): State<AppState>,
    signed: Signed,
    csrf: CsrfToken,
    Form(input): Form<SuggestionInput>,
) -> Result<Response, AppError> {
    let Some(suggester) = signed.principal.suggester() else {
        return Err(deny(&state, &signed, actions::SUGGESTION_CREATE, "route", "/suggestions").await);
    };
    let text = match check(&input) {
        Ok(text) => text,
        Err(errors) => {
            return queue::render(&state, &signed, &csrf, Some(input.text.clone()), None, errors, false).await;
        }
    };
    state.store.suggest(&suggester, signed.from.origin(), text).await?;
    Ok(Redirect::to("/suggestions?sent=1").into_response())
}

/// Sends a suggestion to the headteacher's queue.
#[utoipa::path(
    post,
    path = "/api/v1/suggestions",
    tag = "suggestions",
    request_body = SuggestionInput,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Queued", body = SuggestionJson),
        (status = 400, description = "Empty or too long (`field` is `text`)", body = ErrorBody),
        (status = 401, description = "Missing, unknown or revoked token", body = ErrorBody),
        (status = 403, description = "Governors and the trust's team do not suggest, or the token is read-only", body = ErrorBody),
    )
)]
pub async fn api(State(state): State<AppState>, signed: ApiSigned, body: Bytes) -> ApiResult<Response> {
    let Some(suggester) = signed.principal.suggester() else {
        return Err(deny(&state, &signed, actions::SUGGESTION_CREATE, "route", "/api/v1/suggestions").await.into());
    };
    let input: SuggestionInput = api::json(&body)?;
    let text = check(&input).map_err(FieldErrors::into_api)?;
    let suggestion = state.store.suggest(&suggester, signed.from.origin(), text).await?;
    Ok((StatusCode::CREATED, Json(SuggestionJson::from(&suggestion))).into_response())
}
