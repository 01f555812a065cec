//! The second factor: `GET/POST /mfa/enrol` (first sign-in of a role that needs it) and
//! `GET/POST /mfa` (every later sign-in).

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tower_sessions::Session;

use super::{factor, sign_in, throttle};
use crate::accounts::{Account, AttemptKind, Totp};
use crate::csrf::CsrfToken;
use crate::error::AppError;
use crate::extract::ClientAddr;
use crate::pages::{Layout, with_status};
use crate::session::{self, SignIn, Stage};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "auth/mfa_enrol.html")]
struct EnrolPage {
    layout: Layout,
    qr_svg: String,
    secret: String,
    problem: Option<String>,
}

#[derive(Template)]
#[template(path = "auth/mfa_verify.html")]
struct VerifyPage {
    layout: Layout,
    problem: Option<String>,
}

#[derive(Deserialize)]
pub struct CodeForm {
    code: String,
}

/// The session's pending sign-in at `stage`, and its account; anything else goes where it belongs.
async fn pending(
    state: &AppState,
    session: &Session,
    stage: Stage,
) -> Result<Result<(SignIn, Account), Response>, AppError> {
    let Some(current) = session::current(session).await? else {
        return Ok(Err(Redirect::to("/sign-in").into_response()));
    };
    if current.stage != stage {
        return Ok(Err(Redirect::to(session::stage_path(current.stage)).into_response()));
    }
    match state.accounts.account(&current.user).await.map_err(AppError::Internal)? {
        Some(account) if !account.disabled && account.epoch == current.epoch => Ok(Ok((current, account))),
        _ => {
            session::end(session).await?;
            Ok(Err(Redirect::to("/sign-in").into_response()))
        }
    }
}

fn issuer(state: &AppState) -> String {
    format!("Gatehouse {}", state.policy.school.short_name())
}

pub async fn enrol_page(
    State(state): State<AppState>,
    session: Session,
    csrf: CsrfToken,
) -> Result<Response, AppError> {
    let (_, account) = match pending(&state, &session, Stage::Enrol).await? {
        Ok(found) => found,
        Err(elsewhere) => return Ok(elsewhere),
    };
    // Reloading the page keeps the same secret, so a half-finished scan stays valid.
    let secret = match &account.totp {
        Totp::Pending(secret) => secret.clone(),
        _ => {
            let secret = factor::new_secret();
            state.accounts.set_pending_totp(&account.user, &secret).await.map_err(AppError::Internal)?;
            secret
        }
    };
    render_enrol(&state, &csrf, &account, &secret, None, StatusCode::OK)
}

fn render_enrol(
    state: &AppState,
    csrf: &CsrfToken,
    account: &Account,
    secret: &[u8],
    problem: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let totp = factor::totp(secret, &issuer(state), &account.email).map_err(AppError::internal)?;
    let page = EnrolPage {
        layout: Layout::pending(state, csrf, "Set up your authenticator app"),
        qr_svg: factor::qr_svg(&totp).map_err(AppError::Internal)?,
        secret: factor::secret_text(&totp),
        problem,
    };
    Ok(with_status(status, page.render().map_err(AppError::internal)))
}

pub async fn enrol_submit(
    State(state): State<AppState>,
    session: Session,
    csrf: CsrfToken,
    from: ClientAddr,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    let (current, account) = match pending(&state, &session, Stage::Enrol).await? {
        Ok(found) => found,
        Err(elsewhere) => return Ok(elsewhere),
    };
    let Totp::Pending(secret) = &account.totp else {
        return Ok(Redirect::to("/mfa/enrol").into_response());
    };
    match check_code(&state, &account, secret, &form.code, &from).await? {
        Ok(()) => {
            state.accounts.confirm_totp(&account.user).await.map_err(AppError::Internal)?;
            finish(&state, &session, current, &account, &from).await
        }
        Err((problem, status)) => render_enrol(&state, &csrf, &account, secret, Some(problem), status),
    }
}

pub async fn verify_page(
    State(state): State<AppState>,
    session: Session,
    csrf: CsrfToken,
) -> Result<Response, AppError> {
    if let Err(elsewhere) = pending(&state, &session, Stage::Verify).await? {
        return Ok(elsewhere);
    }
    Ok(render_verify(&state, &csrf, None, StatusCode::OK))
}

fn render_verify(state: &AppState, csrf: &CsrfToken, problem: Option<String>, status: StatusCode) -> Response {
    let page = VerifyPage { layout: Layout::pending(state, csrf, "Enter your code"), problem };
    with_status(status, page.render().map_err(AppError::internal))
}

pub async fn verify_submit(
    State(state): State<AppState>,
    session: Session,
    csrf: CsrfToken,
    from: ClientAddr,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    let (current, account) = match pending(&state, &session, Stage::Verify).await? {
        Ok(found) => found,
        Err(elsewhere) => return Ok(elsewhere),
    };
    let Totp::Enrolled(secret) = &account.totp else {
        return Err(AppError::internal("verify stage without an enrolled factor"));
    };
    match check_code(&state, &account, secret, &form.code, &from).await? {
        Ok(()) => finish(&state, &session, current, &account, &from).await,
        Err((problem, status)) => Ok(render_verify(&state, &csrf, Some(problem), status)),
    }
}

type Refusal = (String, StatusCode);

/// Checks a code: throttled like passwords, and each time step accepted once only (a code seen over a
/// shoulder or replayed from a log cannot be used again).
async fn check_code(
    state: &AppState,
    account: &Account,
    secret: &[u8],
    code: &str,
    from: &ClientAddr,
) -> Result<Result<(), Refusal>, AppError> {
    let key = throttle::account_key(&account.email);
    match throttle::check(state, &key, from).await {
        Ok(()) => {}
        Err(AppError::RateLimited { .. }) => {
            let problem = "Too many failed attempts. Wait 15 minutes and try again.".to_string();
            return Ok(Err((problem, StatusCode::TOO_MANY_REQUESTS)));
        }
        Err(other) => return Err(other),
    }
    let totp = factor::totp(secret, &issuer(state), &account.email).map_err(AppError::internal)?;
    let accepted = match factor::check(&totp, code) {
        Some(step) => state.accounts.accept_totp_step(&account.user, step).await.map_err(AppError::Internal)?,
        None => false,
    };
    throttle::record(state, &key, from, AttemptKind::SecondFactor, accepted).await?;
    if accepted {
        return Ok(Ok(()));
    }
    let problem = "That code is not right or has already been used. Wait for the next code and try again.";
    Ok(Err((problem.to_string(), StatusCode::UNAUTHORIZED)))
}

async fn finish(
    state: &AppState,
    session: &Session,
    current: SignIn,
    account: &Account,
    from: &ClientAddr,
) -> Result<Response, AppError> {
    session::advance(session, &SignIn { stage: Stage::Done, ..current }).await?;
    sign_in::audit_sign_in(state, account, from).await;
    Ok(Redirect::to("/").into_response())
}
