//! People and their consents (P2.6): who may be named or shown, as pages and as `/api/v1/people`.
//!
//! Reading needs [`people_reader`](school::access::Principal::people_reader) (the headteacher, the
//! safeguarding leads, the trust's team, and staff who may post somewhere, since they must check consent
//! before posting); changing a consent needs `people_admin` (`consent.rs`); importing a roster too
//! (`import.rs`).
//!
//! - `list.rs`: `GET /people`, `GET /api/v1/people` — filter by kind, year, class, current; search by name.
//! - `show.rs`: `GET /people/{id}`, `GET /api/v1/people/{id}` — a person, their consents, their links.

use axum::routing::get;
use school::consent::{Consent, ConsentUse};
use school::people::Person;
use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::{moment, rfc3339, schema};
use crate::state::AppState;

mod list;
mod show;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .route("/people", get(list::page))
        .route("/people/{id}", get(show::page))
        .routes(routes!(list::api))
        .routes(routes!(show::api))
}

/// A person as the API shows them.
#[derive(Serialize, ToSchema)]
#[schema(as = Person)]
pub struct PersonJson {
    pub id: String,
    /// The MIS identifier (a pupil's UPN).
    pub external_id: Option<String>,
    #[schema(schema_with = schema::person_kind)]
    pub kind: &'static str,
    pub legal_first: String,
    pub legal_last: String,
    pub preferred_first: Option<String>,
    /// The name to use: preferred (or legal) first name and surname.
    pub display_name: String,
    /// Nursery is -1, Reception 0, then 1 to 13.
    pub year: Option<i64>,
    /// Registration group or class.
    pub reg_group: Option<String>,
    /// On roll (or employed) now.
    pub current: bool,
}

impl From<&Person> for PersonJson {
    fn from(p: &Person) -> PersonJson {
        PersonJson {
            id: p.id.0.clone(),
            external_id: p.external_id.clone(),
            kind: p.kind.as_str(),
            legal_first: p.legal_first.clone(),
            legal_last: p.legal_last.clone(),
            preferred_first: p.preferred_first.clone(),
            display_name: p.display_name(),
            year: p.year.map(|y| y.number()),
            reg_group: p.reg_group.clone(),
            current: p.current,
        }
    }
}

/// One consent as the API shows it.
#[derive(Serialize, ToSchema)]
#[schema(as = Consent)]
pub struct ConsentJson {
    /// The use's short name, e.g. `photo_online`.
    #[serde(rename = "use")]
    pub use_name: String,
    /// The state that counts now (a granted consent past its expiry reads as expired).
    #[schema(schema_with = schema::consent_state)]
    pub state: &'static str,
    /// The state as recorded.
    #[schema(schema_with = schema::consent_state)]
    pub recorded: &'static str,
    #[schema(schema_with = schema::consent_source)]
    pub source: &'static str,
    /// Who recorded it: a user id, or `system` for imports from the command line.
    pub by: String,
    /// When it was recorded (RFC 3339).
    pub at: String,
    /// When a granted consent lapses (RFC 3339).
    pub expires_at: Option<String>,
}

impl ConsentJson {
    pub fn new(c: &Consent, now: OffsetDateTime) -> ConsentJson {
        ConsentJson {
            use_name: c.use_name.clone(),
            state: c.state_at(now).as_str(),
            recorded: c.recorded.as_str(),
            source: c.source.as_str(),
            by: c.by.clone(),
            at: rfc3339(c.at),
            expires_at: c.expires_at.map(rfc3339),
        }
    }
}

/// Words for a consent state: the pages never rely on colour alone.
pub fn state_words(state: school::consent::ConsentState) -> &'static str {
    use school::consent::ConsentState::*;
    match state {
        Granted => "Granted",
        Refused => "Refused",
        Withdrawn => "Withdrawn",
        Expired => "Expired",
    }
}

pub fn source_words(source: school::consent::ConsentSource) -> &'static str {
    use school::consent::ConsentSource::*;
    match source {
        MisImport => "MIS import",
        PaperForm => "Paper form",
        Parent => "Parent",
        Staff => "Staff",
    }
}

/// One use's consent for a page: the words, and a class that adds an icon-free visual cue.
pub struct ConsentCell {
    pub use_name: String,
    pub label: String,
    /// "Granted", "Refused", …, or "Not recorded".
    pub state: &'static str,
    /// `granted`, `refused`, … or `none`, for the stylesheet.
    pub class: &'static str,
    pub source: &'static str,
    pub by: String,
    pub at: String,
    pub expires: String,
}

impl ConsentCell {
    /// The cell for `use_` given whatever is on record; `by` is the recorder's name for people.
    pub fn new(use_: &ConsentUse, consent: Option<&Consent>, by: String, now: OffsetDateTime) -> ConsentCell {
        let blank = || ConsentCell {
            use_name: use_.name.clone(),
            label: use_.label.clone(),
            state: "Not recorded",
            class: "none",
            source: "",
            by: String::new(),
            at: String::new(),
            expires: String::new(),
        };
        match consent {
            None => blank(),
            Some(c) => {
                let state = c.state_at(now);
                ConsentCell {
                    state: state_words(state),
                    class: state.as_str(),
                    source: source_words(c.source),
                    by,
                    at: moment(c.at),
                    expires: c.expires_at.map(moment).unwrap_or_default(),
                    ..blank()
                }
            }
        }
    }
}
