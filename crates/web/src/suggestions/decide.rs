//! Deciding a suggestion (the headteacher): `POST /suggestions/{id}/decision` and
//! `POST /api/v1/suggestions/{id}/decision`. Accepting keeps the text for the outgoing-posts flow (it
//! can become a draft); declining needs a note to the author. Deciding one already decided is a 409.
//! The store audits the decision (`suggestion.decide`).

use axum::Form;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use school::audit::actions;
use school::suggestion::{Decision, SuggestionId};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{MAX_NOTE, SuggestionJson, queue};
use crate::api::{self, ApiError, ApiResult, FieldErrors, schema};
use crate::csrf::CsrfToken;
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiSigned, Signed};
use crate::guard::deny;
use crate::state::AppState;

/// A decision as sent.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[schema(as = SuggestionDecision)]
pub struct DecisionInput {
    #[schema(schema_with = schema::decision)]
    #[serde(default)]
    pub decision: String,
    /// A note to the author: needed when declining.
    #[serde(default)]
    pub note: Option<String>,
}

/// The decision and its note, checked: a decline says why.
fn check(input: &DecisionInput) -> Result<(Decision, Option<&str>), (&'static str, String)> {
    let decision = match input.decision.trim() {
        "accept" => Decision::Accept,
        "decline" => Decision::Decline,
        _ => return Err(("decision", "Choose accept or decline".into())),
    };
    let note = input.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    match note {
        None if decision == Decision::Decline => {
            Err(("note", "Say why it is declined: the author will read it".into()))
        }
        Some(n) if n.chars().count() > MAX_NOTE => Err(("note", format!("Keep the note to {MAX_NOTE} characters"))),
        _ => Ok((decision, note)),
    }
}

/// `POST /suggestions/{id}/decision`: records it, then back to the queue; a problem shows the queue
/// again with the message beside that suggestion's form.
pub async fn submit(
    State(state): State<AppState>,
    signed: Signed,
    csrf: CsrfToken,
    Path(id): Path<String>,
    Form(input): Form<DecisionInput>,
) -> Result<Response, AppError> {
    let Some(reviewer) = signed.principal.suggestion_reviewer() else {
        return Err(deny(&state, &signed, actions::SUGGESTION_DECIDE, "suggestion", &id).await);
    };
    let (decision, note) = match check(&input) {
        Ok(checked) => checked,
        Err((field, problem)) => {
            let mut errors = FieldErrors::default();
            errors.add(format!("{field}-{id}"), problem);
            let typed = Some((id, input.note.clone().unwrap_or_default()));
            return queue::render(&state, &signed, &csrf, None, typed, errors, false).await;
        }
    };
    state.store.decide_suggestion(&reviewer, signed.from.origin(), &SuggestionId(id), decision, note).await?;
    Ok(Redirect::to("/suggestions#queue").into_response())
}

/// Accepts (it can become a draft) or declines (with a note) an open suggestion.
#[utoipa::path(
    post,
    path = "/api/v1/suggestions/{id}/decision",
    tag = "suggestions",
    params(("id" = String, Path, description = "The suggestion's id")),
    request_body = DecisionInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The suggestion as decided", body = SuggestionJson),
        (status = 400, description = "No decision, or a decline without a note (`field` names it)", body = ErrorBody),
        (status = 401, description = "Missing, unknown or revoked token", body = ErrorBody),
        (status = 403, description = "Only the headteacher decides, with a read-and-change token", body = ErrorBody),
        (status = 404, description = "No such suggestion in this school", body = ErrorBody),
        (status = 409, description = "Already decided", body = ErrorBody),
    )
)]
pub async fn api(
    State(state): State<AppState>,
    signed: ApiSigned,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<SuggestionJson>> {
    let Some(reviewer) = signed.principal.suggestion_reviewer() else {
        return Err(deny(&state, &signed, actions::SUGGESTION_DECIDE, "suggestion", &id).await.into());
    };
    let input: DecisionInput = api::json(&body)?;
    let (decision, note) = check(&input).map_err(|(field, problem)| ApiError::invalid(field, problem))?;
    let decided =
        state.store.decide_suggestion(&reviewer, signed.from.origin(), &SuggestionId(id), decision, note).await?;
    Ok(Json((&decided).into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(decision: &str, note: &str) -> DecisionInput {
        DecisionInput { decision: decision.into(), note: Some(note.into()) }
    }

    #[test]
    fn a_decline_says_why() {
        assert_eq!(check(&input("accept", " ")).unwrap(), (Decision::Accept, None));
        assert_eq!(check(&input("decline", "Not this term")).unwrap(), (Decision::Decline, Some("Not this term")));
        assert_eq!(check(&input("decline", "")).unwrap_err().0, "note");
        assert_eq!(check(&input("later", "x")).unwrap_err().0, "decision");
    }
}
