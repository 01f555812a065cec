//! What a session records about sign-in, and the checks made on every signed request.
//!
//! A session stores only the user id, the account's session epoch when it signed in, and how far
//! sign-in has gone ([`Stage`]). Everything else (role, grants, disabled) is read from the database on
//! each request, so a change of role or a "sign out everywhere" takes effect at once, on every server.

use school::access::{Principal, UserId};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use crate::error::AppError;
use crate::state::AppState;

const KEY: &str = "auth";

/// How far sign-in has gone in this session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage {
    /// Password accepted; the role needs a second factor the user has not set up yet.
    Enrol,
    /// Password accepted; waiting for a code from the enrolled authenticator.
    Verify,
    /// Fully signed in.
    Done,
}

/// The page for a stage still to complete.
pub fn stage_path(stage: Stage) -> &'static str {
    match stage {
        Stage::Enrol => "/mfa/enrol",
        Stage::Verify => "/mfa",
        Stage::Done => "/",
    }
}

/// The sign-in recorded in a session.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SignIn {
    pub user: UserId,
    pub epoch: i64,
    pub stage: Stage,
}

pub async fn current(session: &Session) -> Result<Option<SignIn>, AppError> {
    session.get::<SignIn>(KEY).await.map_err(AppError::internal)
}

/// Records progress. A new session id is issued whenever the user's privileges change (session
/// fixation), and the anti-forgery token is replaced with it.
pub async fn advance(session: &Session, sign_in: &SignIn) -> Result<(), AppError> {
    session.cycle_id().await.map_err(AppError::internal)?;
    session.insert(KEY, sign_in).await.map_err(AppError::internal)?;
    crate::csrf::rotate(session).await?;
    Ok(())
}

/// Keeps the session but with a new epoch (after "sign out everywhere", this session stays valid).
pub async fn set_epoch(session: &Session, mut sign_in: SignIn, epoch: i64) -> Result<(), AppError> {
    sign_in.epoch = epoch;
    session.insert(KEY, sign_in).await.map_err(AppError::internal)
}

/// Ends the session: the record is deleted and the cookie cleared.
pub async fn end(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(AppError::internal)
}

/// Whether the account behind a sign-in still exists, is enabled, and was not signed out everywhere.
pub async fn still_valid(state: &AppState, sign_in: &SignIn) -> Result<bool, AppError> {
    match state.store.session_epoch(&sign_in.user).await {
        Ok(epoch) => Ok(epoch == sign_in.epoch),
        Err(store::Error::NotFound(_)) => Ok(false),
        Err(err) => Err(err.into()),
    }
}

/// The principal for a fully signed-in session, or `None` (and the session ended) if the account is
/// gone, disabled, or signed out everywhere since.
pub async fn principal(state: &AppState, session: &Session, sign_in: &SignIn) -> Result<Option<Principal>, AppError> {
    let principal = if still_valid(state, sign_in).await? {
        match state.store.principal(&sign_in.user).await {
            Ok(principal) => Some(principal),
            Err(store::Error::Disabled | store::Error::NotFound(_)) => None,
            Err(err) => return Err(err.into()),
        }
    } else {
        None
    };
    if principal.is_none() {
        end(session).await?;
    }
    Ok(principal)
}
