//! Limits on failed sign-in and second-factor attempts, per account and per address, counted in the
//! database so that every server process enforces the same limit and a restart resets nothing.

use school::access::SchoolId;
use store::{LoginAttempt, LoginKind};

use crate::error::AppError;
use crate::extract::ClientAddr;
use crate::state::AppState;

/// Refuses when either counter is at its limit. Checked *before* the password is looked at, so a
/// locked account stays locked even for the right password until the window has passed.
pub async fn check(state: &AppState, account: &str, from: &ClientAddr) -> Result<(), AppError> {
    let limits = &state.config.limits;
    let failures = state.store.recent_failures(account, &from.to_string(), limits.window).await?;
    if failures.account >= u64::from(limits.per_account) || failures.address >= u64::from(limits.per_address) {
        tracing::warn!(by_account = failures.account, by_address = failures.address, "sign-in attempts limited");
        return Err(AppError::RateLimited { retry_after_secs: limits.window.as_secs() });
    }
    Ok(())
}

/// Counts an attempt; `school` when the account exists.
pub async fn record(
    state: &AppState,
    account: &str,
    from: &ClientAddr,
    kind: LoginKind,
    succeeded: bool,
    school: Option<&SchoolId>,
) -> Result<(), AppError> {
    let attempt = LoginAttempt {
        account: account.to_string(),
        address: from.to_string(),
        kind,
        succeeded,
        school: school.cloned(),
    };
    Ok(state.store.record_login_attempt(&attempt).await?)
}
