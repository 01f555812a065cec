//! Limits on failed sign-in and second-factor attempts, per account and per address, counted in the
//! database so that every server process enforces the same limit and a restart resets nothing.

use time::OffsetDateTime;

use crate::accounts::{Attempt, AttemptKind};
use crate::error::AppError;
use crate::extract::ClientAddr;
use crate::state::AppState;

/// Refuses when either counter is at its limit. Checked *before* the password is looked at, so a
/// locked account stays locked even for the right password until the window has passed.
pub async fn check(state: &AppState, account: &str, from: &ClientAddr) -> Result<(), AppError> {
    let limits = &state.config.limits;
    let since = OffsetDateTime::now_utc() - limits.window;
    let (by_account, by_address) =
        state.accounts.failures_since(account, &from.to_string(), since).await.map_err(AppError::Internal)?;
    if by_account >= limits.per_account || by_address >= limits.per_address {
        tracing::warn!(by_account, by_address, "sign-in attempts limited");
        return Err(AppError::RateLimited { retry_after_secs: limits.window.as_secs() });
    }
    Ok(())
}

/// Counts an attempt.
pub async fn record(
    state: &AppState,
    account: &str,
    from: &ClientAddr,
    kind: AttemptKind,
    succeeded: bool,
) -> Result<(), AppError> {
    let address = from.to_string();
    let attempt = Attempt { account, address: &address, kind, succeeded };
    state.accounts.record_attempt(&attempt).await.map_err(AppError::Internal)
}

/// The counter key for an email: as typed, trimmed and lower-cased.
pub fn account_key(email: &str) -> String {
    email.trim().to_lowercase()
}
