//! The page layout every template extends, and the navigation a principal may see.
//!
//! A page is a struct with a `layout: Layout` field plus its own data, and a template that extends
//! `base.html` and fills `{% block content %}`:
//!
//! ```text
//! #[derive(askama::Template, askama_web::WebTemplate)]
//! #[template(path = "people/list.html")]
//! struct PeoplePage { layout: Layout, people: Vec<Row> }
//!
//! async fn list(State(state): State<AppState>, signed: Signed, csrf: CsrfToken) -> Result<PeoplePage, AppError> {
//!     let Some(reader) = signed.principal.people_reader() else { return Err(deny(&state, &signed, "people.read", "/people").await) };
//!     Ok(PeoplePage { layout: Layout::signed(&state, &signed, &csrf, "People", "/people"), people: … })
//! }
//! ```
//!
//! ```html
//! {% extends "base.html" %}
//! {% block content %}<h1>People</h1>…{% endblock %}
//! ```
//!
//! Forms put `<input type="hidden" name="csrf_token" value="{{ layout.csrf }}">` first. Field errors:
//! the input gets `aria-invalid="true" aria-describedby="x-error"` and the message
//! `<p id="x-error" class="error" role="alert">…</p>`.

use school::access::Principal;

use crate::csrf::CsrfToken;
use crate::extract::Signed;
use crate::state::AppState;

/// One entry of the main navigation.
#[derive(Clone, Debug)]
pub struct NavLink {
    pub href: &'static str,
    pub label: &'static str,
    /// Marked `aria-current="page"`.
    pub current: bool,
}

/// What `base.html` needs: the title, the school, the navigation and the token for the sign-out form.
#[derive(Clone, Debug)]
pub struct Layout {
    pub title: String,
    pub school: String,
    /// Empty for people not signed in (no navigation, no sign-out button).
    pub nav: Vec<NavLink>,
    pub role: Option<&'static str>,
    pub csrf: String,
}

impl Layout {
    /// For pages seen before sign-in (sign-in, second factor, errors).
    pub fn anonymous(state: &AppState, title: &str) -> Layout {
        Layout {
            title: title.to_string(),
            school: state.school_name().to_string(),
            nav: vec![],
            role: None,
            csrf: String::new(),
        }
    }

    /// For a pending second-factor step: no navigation, but a sign-out button.
    pub fn pending(state: &AppState, csrf: &CsrfToken, title: &str) -> Layout {
        Layout { csrf: csrf.0.clone(), ..Layout::anonymous(state, title) }
    }

    /// For signed-in pages; `current` is the nav entry to mark as the current page.
    pub fn signed(state: &AppState, signed: &Signed, csrf: &CsrfToken, title: &str, current: &str) -> Layout {
        let principal = &signed.principal;
        let nav = areas(principal)
            .into_iter()
            .map(|(href, label)| NavLink { href, label, current: href == current })
            .collect();
        Layout {
            title: title.to_string(),
            school: state.school_name().to_string(),
            nav,
            role: Some(role_name(principal)),
            csrf: csrf.0.clone(),
        }
    }
}

/// The areas this principal's capabilities reach, as (path, label) — the dashboard and the navigation
/// show exactly these, so nobody is offered a link that would be refused.
pub fn areas(principal: &Principal) -> Vec<(&'static str, &'static str)> {
    let mut links = vec![("/", "Dashboard")];
    let mut add = |allowed: bool, href, label| {
        if allowed {
            links.push((href, label));
        }
    };
    add(principal.people_reader().is_some(), "/people", "People and consents");
    add(principal.people_admin().is_some(), "/people/import", "Import roster");
    add(principal.channel_reader().is_some(), "/channels", "Channels");
    add(principal.suggester().is_some() || principal.suggestion_reviewer().is_some(), "/suggestions", "Suggestions");
    add(principal.figures_reader().is_some(), "/figures", "Figures");
    add(principal.audit_reader().is_some(), "/audit", "Audit log");
    links.push(("/account", "Your account"));
    links
}

fn role_name(principal: &Principal) -> &'static str {
    use school::access::Role::*;
    match principal.role {
        Headteacher => "Headteacher",
        Dsl => "Designated safeguarding lead",
        DeputyDsl => "Deputy safeguarding lead",
        Staff => "Staff",
        Governor => "Governor",
        TrustAdmin => "Trust administrator",
    }
}

/// `GET /static/gatehouse.css`: the one stylesheet, compiled into the binary.
pub async fn stylesheet() -> impl axum::response::IntoResponse {
    use axum::http::header;
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../static/gatehouse.css"),
    )
}

/// Marks an error response that carries its own page (a form shown again with its problem, status 401
/// or 429), so [`render_errors`](crate::error::render_errors) leaves its body alone.
#[derive(Clone, Copy, Debug)]
pub struct OwnBody;

/// A rendered page with a chosen status.
pub fn with_status(status: axum::http::StatusCode, html: Result<String, crate::AppError>) -> axum::response::Response {
    use axum::response::IntoResponse;
    match html {
        Ok(html) => {
            let mut response = (status, axum::response::Html(html)).into_response();
            response.extensions_mut().insert(OwnBody);
            response
        }
        Err(err) => err.into_response(),
    }
}
