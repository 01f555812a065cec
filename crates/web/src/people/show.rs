//! `GET /people/{id}` and `GET /api/v1/people/{id}`: a person, their consents (use, state, by whom, when,
//! source, expiry) and the parents or pupils linked to them.

use std::collections::HashMap;

use askama::Template;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Html;
use school::access::PeopleReader;
use school::consent::Consent;
use school::people::{ParentLink, Person, PersonId};
use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;

use super::{ConsentCell, ConsentJson, PersonJson};
use crate::api::ApiResult;
use crate::csrf::CsrfToken;
use crate::error::{AppError, ErrorBody};
use crate::extract::{ApiSigned, Signed};
use crate::guard::deny;
use crate::pages::Layout;
use crate::state::AppState;

/// A person with everything the school records about their consent.
#[derive(Serialize, ToSchema)]
#[schema(as = PersonDetail)]
pub struct PersonDetailJson {
    pub person: PersonJson,
    /// One entry per use with a consent on record; uses with none are left out.
    pub consents: Vec<ConsentJson>,
    /// For a pupil: their parents and carers. For a parent: empty.
    pub parents: Vec<LinkJson>,
    /// For a parent or carer: the pupils they are responsible for. For a pupil: empty.
    pub children: Vec<LinkJson>,
}

/// The other end of a parent link.
#[derive(Serialize, ToSchema)]
#[schema(as = PersonLink)]
pub struct LinkJson {
    pub person: PersonJson,
    /// "mother", "carer"…, as the MIS records it.
    pub relationship: Option<String>,
}

/// Everything shown about one person, loaded once for the page and the API.
struct Loaded {
    person: Person,
    consents: Vec<Consent>,
    parents: Vec<(Person, Option<String>)>,
    children: Vec<(Person, Option<String>)>,
}

async fn load(state: &AppState, reader: &PeopleReader<'_>, id: &PersonId) -> Result<Loaded, AppError> {
    let person = state.store.person(reader, id).await?;
    let consents = state.store.consents(reader, id).await?;
    let mut parents = Vec::new();
    let mut children = Vec::new();
    for ParentLink { parent, pupil, relationship } in state.store.parent_links(reader, id).await? {
        if &pupil == id {
            parents.push((state.store.person(reader, &parent).await?, relationship));
        } else {
            children.push((state.store.person(reader, &pupil).await?, relationship));
        }
    }
    Ok(Loaded { person, consents, parents, children })
}

/// Names for the users who recorded consents.
async fn recorders(state: &AppState, consents: &[Consent]) -> HashMap<String, String> {
    let mut names = HashMap::new();
    for c in consents {
        if !names.contains_key(&c.by) {
            names.insert(c.by.clone(), crate::api::user_name(state, &c.by).await);
        }
    }
    names
}

struct LinkRow {
    id: String,
    name: String,
    relationship: String,
}

fn link_rows(links: &[(Person, Option<String>)]) -> Vec<LinkRow> {
    links
        .iter()
        .map(|(p, rel)| LinkRow {
            id: p.id.0.clone(),
            name: p.display_name(),
            relationship: rel.clone().unwrap_or_default(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "people/show.html")]
struct ShowPage {
    layout: Layout,
    id: String,
    name: String,
    legal_name: String,
    kind: &'static str,
    upn: String,
    year: String,
    class: String,
    current: bool,
    consents: Vec<ConsentCell>,
    parents: Vec<LinkRow>,
    children: Vec<LinkRow>,
    can_change: bool,
}

/// `GET /people/{id}`.
pub async fn page(
    State(state): State<AppState>,
    signed: Signed,
    csrf: CsrfToken,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    let Some(reader) = signed.principal.people_reader() else {
        return Err(deny(&state, &signed, "people.read", "person", &id).await);
    };
    let loaded = load(&state, &reader, &PersonId(id)).await?;
    let uses = state.store.consent_uses(reader.school()).await?;
    let names = recorders(&state, &loaded.consents).await;
    let now = OffsetDateTime::now_utc();
    let consents = uses
        .iter()
        .map(|u| {
            let c = loaded.consents.iter().find(|c| c.use_name == u.name);
            let by = c.and_then(|c| names.get(&c.by)).cloned().unwrap_or_default();
            ConsentCell::new(u, c, by, now)
        })
        .collect();
    let p = &loaded.person;
    let name = p.display_name();
    let page = ShowPage {
        layout: Layout::signed(&state, &signed, &csrf, &name, "/people"),
        id: p.id.0.clone(),
        legal_name: format!("{} {}", p.legal_first, p.legal_last),
        name,
        kind: p.kind.as_str(),
        upn: p.external_id.clone().unwrap_or_default(),
        year: p.year.map(|y| y.to_string()).unwrap_or_default(),
        class: p.reg_group.clone().unwrap_or_default(),
        current: p.current,
        consents,
        parents: link_rows(&loaded.parents),
        children: link_rows(&loaded.children),
        can_change: signed.principal.people_admin().is_some(),
    };
    Ok(Html(page.render().map_err(AppError::internal)?))
}

/// A person with their consents and parent links.
#[utoipa::path(
    get,
    path = "/api/v1/people/{id}",
    tag = "people",
    params(("id" = String, Path, description = "The person's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The person", body = PersonDetailJson),
        (status = 401, description = "Missing, unknown or revoked token", body = ErrorBody),
        (status = 403, description = "The token's owner may not read people", body = ErrorBody),
        (status = 404, description = "No such person in this school", body = ErrorBody),
    )
)]
pub async fn api(
    State(state): State<AppState>,
    signed: ApiSigned,
    Path(id): Path<String>,
) -> ApiResult<Json<PersonDetailJson>> {
    let Some(reader) = signed.principal.people_reader() else {
        return Err(deny(&state, &signed, "people.read", "person", &id).await.into());
    };
    let loaded = load(&state, &reader, &PersonId(id)).await?;
    let now = OffsetDateTime::now_utc();
    let links = |links: &[(Person, Option<String>)]| {
        links.iter().map(|(p, rel)| LinkJson { person: p.into(), relationship: rel.clone() }).collect()
    };
    Ok(Json(PersonDetailJson {
        person: (&loaded.person).into(),
        consents: loaded.consents.iter().map(|c| ConsentJson::new(c, now)).collect(),
        parents: links(&loaded.parents),
        children: links(&loaded.children),
    }))
}
