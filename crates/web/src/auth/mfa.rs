//! The second factor: `GET/POST /mfa/enrol` (first sign-in of a role that needs it) and
//! `GET/POST /mfa` (every later sign-in).

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use school::user::{MfaState, User};
use serde::Deserialize;
use store::LoginKind;
use tower_sessions::Session;

use super::{factor, sign_in, throttle};
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

/// Where a request that is not at the expected stage belongs.
type Elsewhere = Response;

/// The session's pending sign-in at `stage`, and its account; anything else goes where it belongs.
async fn pending(
    state: &AppState,
    session: &Session,
    stage: Stage,
) -> Result<Result<(SignIn, User), Elsewhere>, AppError> {
    let Some(current) = session::current(session).await? else {
        return Ok(Err(Redirect::to("/sign-in").into_response()));
    };
    if current.stage != stage {
        return Ok(Err(Redirect::to(session::stage_path(current.stage)).into_response()));
    }
    let user = match state.store.user(&current.user).await {
        Ok(user) if !user.disabled && session::still_valid(state, &current).await? => user,
        Ok(_) | Err(store::Error::NotFound(_)) => {
            session::end(session).await?;
            return Ok(Err(Redirect::to("/sign-in").into_response()));
        }
        Err(err) => return Err(err.into()),
    };
    Ok(Ok((current, user)))
}

fn issuer(state: &AppState) -> String {
    format!("Gatehouse {}", state.policy.school.short_name())
}

async fn stored_secret(state: &AppState, user: &User) -> Result<Option<Vec<u8>>, AppError> {
    Ok(state.store.totp_secret(&state.config.secret_key, &user.id).await?)
}

pub async fn enrol_page(
    State(state): State<AppState>,
    session: Session,
    csrf: CsrfToken,
    from: ClientAddr,
) -> Result<Response, AppError> {
    let (_, user) = match pending(&state, &session, Stage::Enrol).await? {
        Ok(found) => found,
        Err(elsewhere) => return Ok(elsewhere),
    };
    // Reloading the page keeps the pending secret, so a half-finished scan stays valid.
    let pending_secret = if user.mfa == MfaState::Pending { stored_secret(&state, &user).await? } else { None };
    let secret = match pending_secret {
        Some(secret) => secret,
        None => {
            let secret = factor::new_secret();
            let key = &state.config.secret_key;
            state.store.start_totp_enrolment(key, &user.id, from.origin(), &secret).await?;
            secret
        }
    };
    render_enrol(&state, &csrf, &user, &secret, None, StatusCode::OK)
}

fn render_enrol(
    state: &AppState,
    csrf: &CsrfToken,
    user: &User,
    secret: &[u8],
    problem: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let totp = factor::totp(secret, &issuer(state), &user.email).map_err(AppError::internal)?;
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
    let (current, user) = match pending(&state, &session, Stage::Enrol).await? {
        Ok(found) => found,
        Err(elsewhere) => return Ok(elsewhere),
    };
    let Some(secret) = stored_secret(&state, &user).await?.filter(|_| user.mfa == MfaState::Pending) else {
        return Ok(Redirect::to("/mfa/enrol").into_response());
    };
    let spend = |step: i64| {
        let (store, user, origin) = (state.store.clone(), user.id.clone(), from.origin());
        async move { store.confirm_totp(&user, origin, step).await }
    };
    match check_code(&state, &user, &secret, &form.code, &from, spend).await? {
        Ok(()) => finish(&state, &session, current, &user, &from).await,
        Err((problem, status)) => render_enrol(&state, &csrf, &user, &secret, Some(problem), status),
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
    let (current, user) = match pending(&state, &session, Stage::Verify).await? {
        Ok(found) => found,
        Err(elsewhere) => return Ok(elsewhere),
    };
    let secret = stored_secret(&state, &user).await?.ok_or_else(|| AppError::internal("verify without a secret"))?;
    let spend = |step: i64| {
        let (store, user) = (state.store.clone(), user.id.clone());
        async move { store.use_totp_step(&user, step).await }
    };
    match check_code(&state, &user, &secret, &form.code, &from, spend).await? {
        Ok(()) => finish(&state, &session, current, &user, &from).await,
        Err((problem, status)) => Ok(render_verify(&state, &csrf, Some(problem), status)),
    }
}

type Refusal = (String, StatusCode);

/// Checks a code: throttled like passwords, and each time step spent once only through `spend` (a
/// conditional update in the database), so a code seen over a shoulder or replayed cannot be reused.
async fn check_code<F, Fut>(
    state: &AppState,
    user: &User,
    secret: &[u8],
    code: &str,
    from: &ClientAddr,
    spend: F,
) -> Result<Result<(), Refusal>, AppError>
where
    F: FnOnce(i64) -> Fut,
    Fut: Future<Output = Result<bool, store::Error>>,
{
    match throttle::check(state, &user.email, from).await {
        Ok(()) => {}
        Err(err @ AppError::RateLimited { .. }) => return Ok(Err((sign_in::LOCKED.to_string(), err.status()))),
        Err(other) => return Err(other),
    }
    let totp = factor::totp(secret, &issuer(state), &user.email).map_err(AppError::internal)?;
    let accepted = match factor::check(&totp, code).and_then(|step| i64::try_from(step).ok()) {
        Some(step) => spend(step).await?,
        None => false,
    };
    throttle::record(state, &user.email, from, LoginKind::Mfa, accepted, Some(&user.school)).await?;
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
    user: &User,
    from: &ClientAddr,
) -> Result<Response, AppError> {
    session::advance(session, &SignIn { stage: Stage::Done, ..current }).await?;
    sign_in::audit_sign_in(state, user, from).await;
    Ok(Redirect::to("/").into_response())
}
