//! `GET /suggestions` and `GET /api/v1/suggestions`: for staff, the form and what became of their own
//! suggestions; for the headteacher, the queue.

use askama::Template;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use school::suggestion::{Suggestion, SuggestionStatus};
use serde::Deserialize;
use utoipa::IntoParams;

use super::SuggestionJson;
use crate::api::{ApiError, ApiResult, FieldErrors, moment, user_name};
use crate::csrf::CsrfToken;
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiSigned, Signed};
use crate::guard::deny;
use crate::pages::{Layout, with_status};
use crate::state::AppState;

/// The action refused to people who neither suggest nor review.
const READ: &str = "suggestion.read";

pub struct Item {
    pub id: String,
    /// For the queue's decision form shown again: its problems and the note as typed.
    pub decision_error: Option<String>,
    pub note_error: Option<String>,
    pub note_draft: String,
    pub author: String,
    pub text: String,
    pub status: &'static str,
    pub created: String,
    pub decided: String,
    pub note: String,
}

fn status_words(status: SuggestionStatus) -> &'static str {
    match status {
        SuggestionStatus::Open => "Waiting for the headteacher",
        SuggestionStatus::Accepted => "Accepted: it can become a draft",
        SuggestionStatus::Declined => "Declined",
    }
}

async fn items(state: &AppState, suggestions: Vec<Suggestion>) -> Vec<Item> {
    let mut out = Vec::with_capacity(suggestions.len());
    for s in suggestions {
        let decided = match (&s.decided_by, s.decided_at) {
            (Some(by), Some(at)) => format!("{} by {}", moment(at), user_name(state, &by.0).await),
            _ => String::new(),
        };
        out.push(Item {
            id: s.id.0,
            author: user_name(state, &s.author.0).await,
            text: s.text,
            status: status_words(s.status),
            created: moment(s.created_at),
            decided,
            note: s.note.unwrap_or_default(),
            decision_error: None,
            note_error: None,
            note_draft: String::new(),
        });
    }
    out
}

#[derive(Template)]
#[template(path = "suggestions/list.html")]
struct SuggestionsPage {
    layout: Layout,
    can_suggest: bool,
    draft: String,
    errors: FieldErrors,
    sent: bool,
    mine: Vec<Item>,
    /// For the headteacher: open suggestions, oldest first, and decided ones.
    queue: Option<(Vec<Item>, Vec<Item>)>,
}

/// What was typed into one decision form that is shown again: the suggestion and the note.
pub type NoteDraft = Option<(String, String)>;

/// Renders the page; `draft`, `note` and `errors` show a form again with what was typed. A decision
/// form's problems are keyed `decision-<id>` and `note-<id>`, the ids of its fields.
pub async fn render(
    state: &AppState,
    signed: &Signed,
    csrf: &CsrfToken,
    draft: Option<String>,
    note: NoteDraft,
    errors: FieldErrors,
    sent: bool,
) -> Result<Response, AppError> {
    let suggester = signed.principal.suggester();
    let mine = match &suggester {
        Some(s) => items(state, state.store.my_suggestions(s).await?).await,
        None => vec![],
    };
    let queue = match signed.principal.suggestion_reviewer() {
        Some(reviewer) => {
            let all = state.store.suggestions(&reviewer, None).await?;
            let (open, decided): (Vec<_>, Vec<_>) = all.into_iter().partition(|s| s.status == SuggestionStatus::Open);
            let mut decided = items(state, decided).await;
            decided.reverse();
            let mut open = items(state, open).await;
            for item in &mut open {
                item.decision_error = errors.get(&format!("decision-{}", item.id)).map(str::to_string);
                item.note_error = errors.get(&format!("note-{}", item.id)).map(str::to_string);
                if let Some((id, text)) = &note
                    && id == &item.id
                {
                    item.note_draft = text.clone();
                }
            }
            Some((open, decided))
        }
        None => None,
    };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = SuggestionsPage {
        layout: Layout::signed(state, signed, csrf, "Suggestions", "/suggestions"),
        can_suggest: suggester.is_some(),
        draft: draft.unwrap_or_default(),
        errors,
        sent,
        mine,
        queue,
    };
    Ok(with_status(status, page.render().map_err(AppError::internal)))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Set after a suggestion was sent (pages only).
    #[param(ignore)]
    sent: Option<String>,
    /// `open`, `accepted` or `declined`; all when absent.
    status: Option<String>,
}

/// `GET /suggestions`.
pub async fn page(
    State(state): State<AppState>,
    signed: Signed,
    csrf: CsrfToken,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    if signed.principal.suggester().is_none() && signed.principal.suggestion_reviewer().is_none() {
        return Err(deny(&state, &signed, READ, "route", "/suggestions").await);
    }
    render(&state, &signed, &csrf, None, None, FieldErrors::default(), query.sent.is_some()).await
}

/// Suggestions: the headteacher gets the school's queue, anyone else who may suggest gets their own.
#[utoipa::path(
    get,
    path = "/api/v1/suggestions",
    tag = "suggestions",
    params(ListQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The queue (headteacher) or your own suggestions, oldest first", body = [SuggestionJson]),
        (status = 400, description = "An unknown status (`field` is `status`)", body = ErrorBody),
        (status = 401, description = "Missing, unknown or revoked token", body = ErrorBody),
        (status = 403, description = "Governors and the trust's team have no suggestions", body = ErrorBody),
    )
)]
pub async fn api(
    State(state): State<AppState>,
    signed: ApiSigned,
    Query(query): Query<ListQuery>,
) -> ApiResult<Json<Vec<SuggestionJson>>> {
    let (reviewer, suggester) = (signed.principal.suggestion_reviewer(), signed.principal.suggester());
    if reviewer.is_none() && suggester.is_none() {
        return Err(deny(&state, &signed, READ, "route", "/api/v1/suggestions").await.into());
    }
    let status = match query.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            s.parse::<SuggestionStatus>()
                .map_err(|_| ApiError::invalid("status", "expected open, accepted or declined"))?,
        ),
    };
    let list = match (reviewer, suggester) {
        (Some(reviewer), _) => state.store.suggestions(&reviewer, status).await?,
        (None, Some(suggester)) => {
            let mut own = state.store.my_suggestions(&suggester).await?;
            own.retain(|s| status.is_none_or(|st| s.status == st));
            own.reverse();
            own
        }
        (None, None) => unreachable!("refused above"),
    };
    Ok(Json(list.iter().map(SuggestionJson::from).collect()))
}
