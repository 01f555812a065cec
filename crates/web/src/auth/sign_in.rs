//! `GET/POST /sign-in` and `POST /sign-out`.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tower_sessions::Session;

use super::{password, throttle};
use crate::accounts::{Account, AttemptKind, AuditEvent, Outcome, Totp};
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
    Ok(render(&state, csrf, next, String::new(), None, StatusCode::OK))
}

fn render(
    state: &AppState,
    csrf: CsrfToken,
    next: String,
    email: String,
    problem: Option<String>,
    status: StatusCode,
) -> Response {
    let page = SignInPage { layout: Layout::anonymous(state, "Sign in"), csrf, next, email, problem };
    with_status(status, page.render().map_err(AppError::internal))
}

/// Only a local path may follow sign-in; anything else (another site, `//host`) goes to the dashboard.
fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => path,
        _ => "/",
    }
}

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
    let key = throttle::account_key(&form.email);
    let next = safe_next(Some(&form.next)).to_string();
    if let Err(err) = throttle::check(&state, &key, &from).await {
        let problem = "Too many failed attempts. Wait 15 minutes and try again.".to_string();
        return match err {
            AppError::RateLimited { .. } => Ok(render(&state, csrf, next, form.email, Some(problem), err.status())),
            other => Err(other),
        };
    }
    let account = state.accounts.account_by_email(&key).await.map_err(AppError::Internal)?;
    let Some(account) = check_password(&state, account, form.password).await else {
        throttle::record(&state, &key, &from, AttemptKind::Password, false).await?;
        let problem = "The email address or password is not right.".to_string();
        return Ok(render(&state, csrf, next, form.email, Some(problem), StatusCode::UNAUTHORIZED));
    };
    throttle::record(&state, &key, &from, AttemptKind::Password, true).await?;
    let stage = first_stage(&account);
    session::advance(&session, &SignIn { user: account.user.clone(), epoch: account.epoch, stage }).await?;
    if stage != Stage::Done {
        return Ok(Redirect::to(session::stage_path(stage)).into_response());
    }
    audit_sign_in(&state, &account, &from).await;
    Ok(Redirect::to(&next).into_response())
}

/// The account, if the password is right and the account usable. Unknown emails are checked against
/// a dummy hash, so every attempt costs the same and timing does not reveal who has an account.
async fn check_password(state: &AppState, account: Option<Account>, password: String) -> Option<Account> {
    let phc = account.as_ref().map_or_else(|| state.dummy_hash.clone(), |a| a.password_hash.clone());
    let ok = password::verify(password, phc).await;
    account.filter(|a| ok && !a.disabled)
}

/// Anyone who has enrolled a second factor uses it; roles that require one enrol first.
fn first_stage(account: &Account) -> Stage {
    match &account.totp {
        Totp::Enrolled(_) => Stage::Verify,
        _ if account.role.requires_mfa() => Stage::Enrol,
        _ => Stage::Done,
    }
}

pub(super) async fn audit_sign_in(state: &AppState, account: &Account, from: &ClientAddr) {
    let from = from.to_string();
    let event = AuditEvent {
        school: &account.school,
        actor: Some(&account.user),
        action: "auth.sign_in",
        object: &account.user.0,
        from: &from,
        outcome: Outcome::Allowed,
    };
    if let Err(err) = state.accounts.audit(&event).await {
        tracing::error!(error = %err, "audit write failed");
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
