//! Content suggestions (P2.4): any member of staff sends one to the headteacher's queue; the headteacher
//! accepts it (it can become a draft: the text is kept for the outgoing-posts flow) or declines it with
//! a note to the author.
//!
//! - `queue.rs`: `GET /suggestions` (the form and your own, or the queue), `GET /api/v1/suggestions`
//! - `submit.rs`: `POST /suggestions`, `POST /api/v1/suggestions` (`suggester`)
//! - `decide.rs`: `POST /suggestions/{id}/decision`, `POST /api/v1/suggestions/{id}/decision`
//!   (`suggestion_reviewer`)

use axum::routing::{get, post};
use school::suggestion::Suggestion;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::{rfc3339, schema};
use crate::state::AppState;

mod decide;
mod queue;
mod submit;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .route("/suggestions", get(queue::page).post(submit::submit))
        .route("/suggestions/{id}/decision", post(decide::submit))
        .routes(routes!(queue::api, submit::api))
        .routes(routes!(decide::api))
}

/// A suggestion as the API shows it.
#[derive(Serialize, ToSchema)]
#[schema(as = Suggestion)]
pub struct SuggestionJson {
    pub id: String,
    /// The author's user id.
    pub author: String,
    pub text: String,
    #[schema(schema_with = schema::suggestion_status)]
    pub status: &'static str,
    /// RFC 3339.
    pub created_at: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    /// The headteacher's note to the author.
    pub note: Option<String>,
}

impl From<&Suggestion> for SuggestionJson {
    fn from(s: &Suggestion) -> SuggestionJson {
        SuggestionJson {
            id: s.id.0.clone(),
            author: s.author.0.clone(),
            text: s.text.clone(),
            status: s.status.as_str(),
            created_at: rfc3339(s.created_at),
            decided_by: s.decided_by.as_ref().map(|u| u.0.clone()),
            decided_at: s.decided_at.map(rfc3339),
            note: s.note.clone(),
        }
    }
}

/// The longest suggestion (the store's limit too) and note.
pub const MAX_TEXT: usize = 5_000;
pub const MAX_NOTE: usize = 1_000;
