//! Changing a consent (P2.6): `GET/POST /people/{id}/consents/{use}` (a form) and
//! `PUT /api/v1/people/{id}/consents/{use}`. Needs `people_admin`; the store records the change and its
//! audit entry (from, to, source, expiry) in one transaction.
//!
//! Reads as the action: permit (a refusal is audited whatever was sent) → check the input → load the
//! person and the use → write → respond.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Json};
use school::access::PeopleAdmin;
use school::consent::{ConsentChange, ConsentSource, ConsentState, ConsentUse};
use school::people::{Person, PersonId};
use serde::Deserialize;
use time::OffsetDateTime;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::{self, ApiResult, FieldErrors, day, parse_date, schema, start_of};
use crate::csrf::CsrfToken;
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiSigned, Signed};
use crate::guard::deny;
use crate::pages::{Layout, with_status};
use crate::people::ConsentJson;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().route("/people/{id}/consents/{use}", get(form).post(submit)).routes(routes!(api))
}

/// A consent decision as a form or a JSON body sends it.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[schema(as = ConsentChange)]
pub struct ConsentInput {
    #[schema(schema_with = schema::consent_state)]
    #[serde(default)]
    pub state: String,
    #[schema(schema_with = schema::consent_source)]
    #[serde(default)]
    pub source: String,
    /// For a granted consent: the day it lapses (`YYYY-MM-DD`), if it does.
    #[serde(default)]
    pub expires_on: Option<String>,
}

/// The decision, checked: a granted consent may lapse on a later day; other states have no expiry.
fn check(
    input: &ConsentInput,
    now: OffsetDateTime,
) -> Result<(ConsentState, ConsentSource, Option<OffsetDateTime>), FieldErrors> {
    let mut errors = FieldErrors::default();
    let state = input.state.trim().parse::<ConsentState>().ok();
    if state.is_none() {
        errors.add("state", "Choose granted, refused, withdrawn or expired");
    }
    let source = input.source.trim().parse::<ConsentSource>().ok();
    if source.is_none() {
        errors.add("source", "Choose how the decision reached the school");
    }
    let expires = match input.expires_on.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => None,
        Some(text) => match parse_date(text).map(start_of) {
            None => {
                errors.add("expires_on", "Enter the expiry as a date, for example 2027-07-31");
                None
            }
            Some(at) if at <= now => {
                errors.add("expires_on", "The expiry must be a day after today");
                None
            }
            Some(_) if state != Some(ConsentState::Granted) => {
                errors.add("expires_on", "Only a granted consent can have an expiry");
                None
            }
            Some(at) => Some(at),
        },
    };
    match (state, source, errors.is_empty()) {
        (Some(state), Some(source), true) => Ok((state, source, expires)),
        _ => Err(errors),
    }
}

/// The person and the use being changed; either missing is "not found".
async fn load(
    state: &AppState,
    admin: &PeopleAdmin<'_>,
    reader: &school::access::PeopleReader<'_>,
    id: &PersonId,
    use_name: &str,
) -> Result<(Person, ConsentUse), AppError> {
    let person = state.store.person(reader, id).await?;
    let uses = state.store.consent_uses(admin.school()).await?;
    let use_ = uses.into_iter().find(|u| u.name == use_name).ok_or(AppError::NotFound)?;
    Ok((person, use_))
}

#[derive(Template)]
#[template(path = "people/consent.html")]
struct ConsentForm {
    layout: Layout,
    person_id: String,
    person: String,
    use_name: String,
    label: String,
    current: String,
    input: ConsentInput,
    errors: FieldErrors,
}

impl ConsentForm {
    fn checked(&self, field: &str, value: &str) -> bool {
        match field {
            "state" => self.input.state == value,
            _ => self.input.source == value,
        }
    }
}

async fn render(
    state: &AppState,
    signed: &Signed,
    csrf: &CsrfToken,
    (person, use_): (Person, ConsentUse),
    input: Option<ConsentInput>,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let reader = signed.principal.people_reader().ok_or(AppError::Forbidden)?;
    let now = OffsetDateTime::now_utc();
    let on_record = state.store.consents(&reader, &person.id).await?.into_iter().find(|c| c.use_name == use_.name);
    let current = on_record.as_ref().map_or("Not recorded", |c| crate::people::state_words(c.state_at(now)));
    let input = input.unwrap_or_else(|| ConsentInput {
        state: on_record.as_ref().map(|c| c.recorded.as_str().to_string()).unwrap_or_default(),
        source: String::new(),
        expires_on: on_record.as_ref().and_then(|c| c.expires_at).map(day),
    });
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let name = person.display_name();
    let page = ConsentForm {
        layout: Layout::signed(state, signed, csrf, &format!("Change consent: {name}"), "/people"),
        person_id: person.id.0.clone(),
        person: name,
        use_name: use_.name,
        label: use_.label,
        current: current.to_string(),
        input,
        errors,
    };
    Ok(with_status(status, page.render().map_err(AppError::internal)))
}

/// `GET /people/{id}/consents/{use}`: the form, showing what is on record.
async fn form(
    State(state): State<AppState>,
    signed: Signed,
    csrf: CsrfToken,
    Path((id, use_name)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (Some(admin), Some(reader)) = (signed.principal.people_admin(), signed.principal.people_reader()) else {
        return Err(deny(&state, &signed, school::audit::actions::CONSENT_SET, "person", &id).await);
    };
    let loaded = load(&state, &admin, &reader, &PersonId(id), &use_name).await?;
    render(&state, &signed, &csrf, loaded, None, FieldErrors::default()).await
}

/// `POST /people/{id}/consents/{use}`: records the decision, then back to the person's page.
async fn submit(
    State(state): State<AppState>,
    signed: Signed,
    csrf: CsrfToken,
    Path((id, use_name)): Path<(String, String)>,
    Form(input): Form<ConsentInput>,
) -> Result<Response, AppError> {
    let (Some(admin), Some(reader)) = (signed.principal.people_admin(), signed.principal.people_reader()) else {
        return Err(deny(&state, &signed, school::audit::actions::CONSENT_SET, "person", &id).await);
    };
    let person = PersonId(id);
    let loaded = load(&state, &admin, &reader, &person, &use_name).await?;
    let (state_, source, expires_at) = match check(&input, OffsetDateTime::now_utc()) {
        Ok(checked) => checked,
        Err(errors) => return render(&state, &signed, &csrf, loaded, Some(input), errors).await,
    };
    let change = ConsentChange { person: person.clone(), use_name, state: state_, source, expires_at };
    state.store.set_consent(&admin, signed.from.origin(), &change).await?;
    Ok(Redirect::to(&format!("/people/{}#consents", person.0)).into_response())
}

/// Records a consent decision for one person and one use.
#[utoipa::path(
    put,
    path = "/api/v1/people/{id}/consents/{use}",
    tag = "people",
    params(
        ("id" = String, Path, description = "The person's id"),
        ("use" = String, Path, description = "The consent use, e.g. photo_online"),
    ),
    request_body = ConsentInput,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The consent as now recorded", body = ConsentJson),
        (status = 400, description = "A field is wrong (`field` names it)", body = ErrorBody),
        (status = 401, description = "Missing, unknown or revoked token", body = ErrorBody),
        (status = 403, description = "The token's owner may not change consents, or the token is read-only", body = ErrorBody),
        (status = 404, description = "No such person or use in this school", body = ErrorBody),
    )
)]
async fn api(
    State(state): State<AppState>,
    signed: ApiSigned,
    Path((id, use_name)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult<Json<ConsentJson>> {
    let (Some(admin), Some(reader)) = (signed.principal.people_admin(), signed.principal.people_reader()) else {
        return Err(deny(&state, &signed, school::audit::actions::CONSENT_SET, "person", &id).await.into());
    };
    let input: ConsentInput = api::json(&body)?;
    let now = OffsetDateTime::now_utc();
    let (state_, source, expires_at) = check(&input, now).map_err(FieldErrors::into_api)?;
    let person = PersonId(id);
    load(&state, &admin, &reader, &person, &use_name).await?;
    let change = ConsentChange { person, use_name, state: state_, source, expires_at };
    let consent = state.store.set_consent(&admin, signed.from.origin(), &change).await?;
    Ok(Json(ConsentJson::new(&consent, now)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(state: &str, source: &str, expires: &str) -> ConsentInput {
        ConsentInput { state: state.into(), source: source.into(), expires_on: Some(expires.into()) }
    }

    #[test]
    fn a_granted_consent_may_lapse_later() {
        let now = start_of(parse_date("2026-11-25").unwrap());
        let (state, source, expires) = check(&input("granted", "paper_form", "2027-07-31"), now).unwrap();
        assert_eq!((state, source), (ConsentState::Granted, ConsentSource::PaperForm));
        assert_eq!(expires.map(day).as_deref(), Some("2027-07-31"));
        assert_eq!(check(&input("refused", "parent", ""), now).unwrap().2, None);
    }

    #[test]
    fn every_problem_is_named_by_field() {
        let now = start_of(parse_date("2026-11-25").unwrap());
        let fields =
            |i: &ConsentInput| check(i, now).unwrap_err().0.into_iter().map(|(f, _)| f).collect::<Vec<String>>();
        assert_eq!(fields(&input("maybe", "", "31/07/2027")), ["state", "source", "expires_on"]);
        assert_eq!(fields(&input("granted", "parent", "2026-11-25")), ["expires_on"], "not in the past");
        assert_eq!(fields(&input("refused", "parent", "2027-01-01")), ["expires_on"], "only granted lapses");
    }
}
