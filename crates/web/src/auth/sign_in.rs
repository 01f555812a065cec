//! `GET/POST /sign-in` and `POST /sign-out`.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use school::audit::{Actor, NewEntry, Outcome};
use school::user::{MfaState, User};
use serde::Deserialize;
use store::LoginKind;
use tower_sessions::Session;

use super::{password, throttle};
use crate::csrf::CsrfToken;
use crate::error::AppError;
use crate::extract::ClientAddr;
use crate::pages::{Layout, with_status};
use crate::session::{self, SignIn, Stage};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "auth/sign_in.html")]
struct SignInPage {
    layout: Layout,
    csrf: CsrfToken,
    next: String,
    email: String,
    problem: Option<String>,
    /// "Sign in with your school account" buttons, one per OIDC provider (see `oidc.rs`).
    oidc: Vec<super::oidc::Button>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    session: Session,
    csrf: CsrfToken,
    Query(query): Query<NextQuery>,
) -> Result<Response, AppError> {
    if session::current(&session).await?.is_some_and(|current| current.stage == Stage::Done) {
        return Ok(Redirect::to("/").into_response());
    }
    let next = safe_next(query.next.as_deref()).to_string();
    Ok(render(&state, csrf, next, String::new(), None, StatusCode::OK).await)
}

async fn render(
    state: &AppState,
    csrf: CsrfToken,
    next: String,
    email: String,
    problem: Option<&str>,
    status: StatusCode,
) -> Response {
    let problem = problem.map(str::to_string);
    let oidc = super::oidc::buttons(state).await;
    let page = SignInPage { layout: Layout::anonymous(state, "Sign in"), csrf, next, email, problem, oidc };
    with_status(status, page.render().map_err(AppError::internal))
}

/// Only a local path may follow sign-in; anything else (another site, `//host`) goes to the dashboard.
pub(super) fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => path,
        _ => "/",
    }
}

pub const LOCKED: &str = "Too many failed attempts. Wait 15 minutes and try again.";

#[derive(Deserialize)]
pub struct SignInForm {
    email: String,
    password: String,
    #[serde(default)]
    next: String,
}

pub async fn submit(
    State(state): State<AppState>,
    session: Session,
    csrf: CsrfToken,
    from: ClientAddr,
    Form(form): Form<SignInForm>,
) -> Result<Response, AppError> {
    let key = school::user::normalise_email(&form.email);
    let next = safe_next(Some(&form.next)).to_string();
    match throttle::check(&state, &key, &from).await {
        Ok(()) => {}
        Err(err @ AppError::RateLimited { .. }) => {
            return Ok(render(&state, csrf, next, form.email, Some(LOCKED), err.status()).await);
        }
        Err(other) => return Err(other),
    }
    let found = state.store.user_by_email(&key).await?;
    let school = found.as_ref().map(|f| f.user.school.clone());
    let Some(account) = check_password(&state, found, form.password).await else {
        throttle::record(&state, &key, &from, LoginKind::Password, false, school.as_ref()).await?;
        let problem = "The email address or password is not right.";
        return Ok(render(&state, csrf, next, form.email, Some(problem), StatusCode::UNAUTHORIZED).await);
    };
    let stage = first_stage(&account.user);
    // A success resets the account's failure count, so only a *complete* sign-in counts as one: a
    // password alone must not wipe out failed second-factor guesses.
    if stage == Stage::Done {
        throttle::record(&state, &key, &from, LoginKind::Password, true, school.as_ref()).await?;
    }
    session::advance(&session, &SignIn { user: account.user.id.clone(), epoch: account.session_epoch, stage }).await?;
    if stage != Stage::Done {
        return Ok(Redirect::to(session::stage_path(stage)).into_response());
    }
    audit_sign_in(&state, &account.user, &from).await;
    Ok(Redirect::to(&next).into_response())
}

/// The account, if the password is right and the account usable. Unknown emails (and accounts without
/// a password) are checked against a dummy hash, so every attempt costs the same and the time taken
/// does not reveal who has an account.
async fn check_password(state: &AppState, found: Option<store::SignIn>, password: String) -> Option<store::SignIn> {
    let phc = found.as_ref().and_then(|f| f.password_hash.clone()).unwrap_or_else(|| state.dummy_hash.clone());
    let ok = password::verify(password, phc).await;
    found.filter(|f| ok && f.password_hash.is_some() && !f.user.disabled)
}

/// Anyone who has enrolled a second factor uses it; roles that require one enrol first.
pub(super) fn first_stage(user: &User) -> Stage {
    if user.mfa == MfaState::Enabled {
        Stage::Verify
    } else if user.must_enrol_mfa() {
        Stage::Enrol
    } else {
        Stage::Done
    }
}

/// Records a completed sign-in in the audit log.
pub(super) async fn audit_sign_in(state: &AppState, user: &User, from: &ClientAddr) {
    let entry = NewEntry::new(user.school.clone(), Actor::from_user(&user.id), "user.sign_in", "user", &user.id.0)
        .from(Some(from.to_string()))
        .outcome(Outcome::Ok);
    if let Err(err) = crate::guard::append(state, entry).await {
        tracing::error!(error = %err, "could not record a sign-in in the audit log");
    }
}

/// `POST /sign-out`: ends this session only.
pub async fn sign_out(session: Session) -> Result<Redirect, AppError> {
    session::end(&session).await?;
    Ok(Redirect::to("/sign-in"))
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_follow_sign_in() {
        assert_eq!(safe_next(Some("/people?page=2")), "/people?page=2");
        for bad in ["https://evil.example", "//evil.example", "/\\evil.example", "people"] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
