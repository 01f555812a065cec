//! `GET /people` and `GET /api/v1/people`: the people of the school, filtered.

use std::collections::HashMap;

use askama::Template;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use school::access::PeopleReader;
use school::consent::{Consent, ConsentUse};
use school::people::{PeopleFilter, Person, PersonKind, Year};
use serde::Deserialize;
use time::OffsetDateTime;
use utoipa::IntoParams;

use super::{ConsentCell, PersonJson};
use crate::api::{ApiResult, FieldErrors};
use crate::csrf::CsrfToken;
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiSigned, Signed};
use crate::guard::deny;
use crate::pages::{Layout, with_status};
use crate::state::AppState;

/// The filters, as typed in the search form or the query string. Every field is text so that a bad
/// value becomes a message about that field, not a rejected request.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// `pupil`, `staff` or `parent`.
    kind: Option<String>,
    /// `N`, `R` or 1 to 13 (also `Year 3`, `Y3`).
    year: Option<String>,
    /// Registration group or class, exactly.
    class: Option<String>,
    /// `current` (the default), `past` (leavers) or `all`.
    current: Option<String>,
    /// The start of a first, preferred or last name, or a whole UPN.
    q: Option<String>,
}

impl ListQuery {
    /// What was typed in a field, for showing the form again.
    fn value(&self, field: &str) -> &str {
        let v = match field {
            "kind" => &self.kind,
            "year" => &self.year,
            "class" => &self.class,
            "current" => &self.current,
            _ => &self.q,
        };
        v.as_deref().unwrap_or("")
    }

    /// Whether the standing radio `option` is the chosen one (current when none is).
    fn standing_is(&self, option: &str) -> bool {
        given(&self.current).unwrap_or("current") == option
    }
}

/// Which people by their standing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Standing {
    Current,
    Past,
    All,
}

fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// Reads the filters; every bad one is reported, by field.
fn filter(q: &ListQuery) -> Result<(PeopleFilter, Standing), FieldErrors> {
    let mut errors = FieldErrors::default();
    let kind = given(&q.kind).and_then(|k| match k.parse::<PersonKind>() {
        Ok(kind) => Some(kind),
        Err(_) => {
            errors.add("kind", "Choose pupils, staff or parents and carers");
            None
        }
    });
    let year = given(&q.year).and_then(|y| match y.parse::<Year>() {
        Ok(year) => Some(year),
        Err(_) => {
            errors.add("year", "Enter a year as N, R or a number from 1 to 13");
            None
        }
    });
    let standing = match given(&q.current) {
        None | Some("current") => Standing::Current,
        Some("past") => Standing::Past,
        Some("all") => Standing::All,
        Some(_) => {
            errors.add("current", "Choose current, past or all");
            Standing::Current
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let filter = PeopleFilter {
        kind,
        year,
        reg_group: given(&q.class).map(str::to_string),
        include_past: standing != Standing::Current,
        name: given(&q.q).map(str::to_string),
    };
    Ok((filter, standing))
}

/// The people the filters select: the store leaves leavers out unless asked, and "past" keeps only them.
async fn load(
    state: &AppState,
    reader: &PeopleReader<'_>,
    filter: &PeopleFilter,
    standing: Standing,
) -> Result<Vec<Person>, AppError> {
    let mut people = state.store.people(reader, filter).await?;
    if standing == Standing::Past {
        people.retain(|p| !p.current);
    }
    Ok(people)
}

struct Row {
    id: String,
    name: String,
    legal_name: Option<String>,
    kind: &'static str,
    year: String,
    class: String,
    standing: &'static str,
    consents: Vec<ConsentCell>,
}

#[derive(Template)]
#[template(path = "people/list.html")]
struct ListPage {
    layout: Layout,
    query: ListQuery,
    errors: FieldErrors,
    uses: Vec<ConsentUse>,
    rows: Vec<Row>,
    can_import: bool,
}

fn kind_words(kind: PersonKind) -> &'static str {
    match kind {
        PersonKind::Pupil => "Pupil",
        PersonKind::Staff => "Staff",
        PersonKind::Parent => "Parent or carer",
    }
}

fn row(person: &Person, uses: &[ConsentUse], consents: &HashMap<(&str, &str), &Consent>, now: OffsetDateTime) -> Row {
    let legal = format!("{} {}", person.legal_first, person.legal_last);
    let name = person.display_name();
    Row {
        id: person.id.0.clone(),
        legal_name: (legal != name).then_some(legal),
        name,
        kind: kind_words(person.kind),
        year: person.year.map(|y| y.to_string()).unwrap_or_default(),
        class: person.reg_group.clone().unwrap_or_default(),
        standing: if person.current { "Current" } else { "Left" },
        consents: uses
            .iter()
            .map(|u| {
                let c = consents.get(&(person.id.0.as_str(), u.name.as_str())).copied();
                ConsentCell::new(u, c, String::new(), now)
            })
            .collect(),
    }
}

/// `GET /people`: the search form and the people it finds, with their consents at a glance.
pub async fn page(
    State(state): State<AppState>,
    signed: Signed,
    csrf: CsrfToken,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let Some(reader) = signed.principal.people_reader() else {
        return Err(deny(&state, &signed, "people.read", "route", "/people").await);
    };
    let layout = Layout::signed(&state, &signed, &csrf, "People and consents", "/people");
    let can_import = signed.principal.people_admin().is_some();
    let uses = state.store.consent_uses(reader.school()).await?;
    let (filter, standing) = match filter(&query) {
        Ok(f) => f,
        Err(errors) => {
            let page = ListPage { layout, query, errors, uses, rows: vec![], can_import };
            return Ok(with_status(StatusCode::UNPROCESSABLE_ENTITY, page.render().map_err(AppError::internal)));
        }
    };
    let people = load(&state, &reader, &filter, standing).await?;
    let all = state.store.school_consents(&reader).await?;
    let consents: HashMap<(&str, &str), &Consent> =
        all.iter().map(|c| ((c.person.0.as_str(), c.use_name.as_str()), c)).collect();
    let now = OffsetDateTime::now_utc();
    let rows = people.iter().map(|p| row(p, &uses, &consents, now)).collect();
    let page = ListPage { layout, query, errors: FieldErrors::default(), uses, rows, can_import };
    Ok(with_status(StatusCode::OK, page.render().map_err(AppError::internal)))
}

/// The people of the token owner's school that match the filters, by surname.
#[utoipa::path(
    get,
    path = "/api/v1/people",
    tag = "people",
    params(ListQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The people, by surname then first name", body = [PersonJson]),
        (status = 400, description = "A filter is not one of its values", body = ErrorBody),
        (status = 401, description = "Missing, unknown or revoked token", body = ErrorBody),
        (status = 403, description = "The token's owner may not read people", body = ErrorBody),
    )
)]
pub async fn api(
    State(state): State<AppState>,
    signed: ApiSigned,
    Query(query): Query<ListQuery>,
) -> ApiResult<Json<Vec<PersonJson>>> {
    let Some(reader) = signed.principal.people_reader() else {
        return Err(deny(&state, &signed, "people.read", "route", "/api/v1/people").await.into());
    };
    let (filter, standing) = filter(&query).map_err(FieldErrors::into_api)?;
    let people = load(&state, &reader, &filter, standing).await?;
    Ok(Json(people.iter().map(PersonJson::from).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(kind: &str, year: &str, current: &str) -> ListQuery {
        ListQuery {
            kind: Some(kind.into()),
            year: Some(year.into()),
            current: Some(current.into()),
            ..ListQuery::default()
        }
    }

    #[test]
    fn filters_read_what_the_form_sends() {
        let (f, standing) = filter(&query("pupil", "R", "all")).unwrap();
        assert_eq!(
            (f.kind, f.year, f.include_past, standing),
            (Some(PersonKind::Pupil), Some(Year::RECEPTION), true, Standing::All)
        );
        let (f, standing) = filter(&query("", " ", "")).unwrap();
        assert_eq!((f.kind, f.year, f.include_past, standing), (None, None, false, Standing::Current));
    }

    #[test]
    fn every_bad_filter_is_named() {
        let errors = filter(&query("pupils", "14", "sometimes")).unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["kind", "year", "current"]);
    }
}
