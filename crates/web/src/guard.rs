//! Refusals recorded the same way everywhere (P2.3: every refused attempt is shown to the headteacher).
//!
//! ```ignore
//! async fn grant(State(state): State<AppState>, signed: Signed, …) -> Result<Response, AppError> {
//!     let Some(admin) = signed.principal.channel_admin() else {
//!         return Err(deny(&state, &signed, "channel.grant", &channel_id.0).await);
//!     };
//!     …
//! }
//! ```

use crate::accounts::{AuditEvent, Outcome};
use crate::error::AppError;
use crate::extract::Actor;
use crate::state::AppState;

/// Records a refused capability check in the audit log (outcome `denied`) and returns the 403 to send.
///
/// `action` is a dotted verb (`channel.grant`, `people.read`); `object` names what was asked for (an id,
/// or the route for a whole area). If the audit write itself fails, the refusal still stands and the
/// failure is logged as an error.
pub async fn deny(state: &AppState, actor: &impl Actor, action: &str, object: &str) -> AppError {
    let principal = actor.principal();
    tracing::warn!(user = %principal.user.0, role = %principal.role, action, object, "refused");
    record(state, actor, action, object, Outcome::Denied).await;
    AppError::Forbidden
}

/// Appends an audit entry for something `actor` did (or tried). Failures are logged, not returned:
/// callers that must not proceed without an audit line should call `state.accounts.audit` themselves.
pub async fn record(state: &AppState, actor: &impl Actor, action: &str, object: &str, outcome: Outcome) {
    let principal = actor.principal();
    let from = actor.from().to_string();
    let event =
        AuditEvent { school: &principal.school, actor: Some(&principal.user), action, object, from: &from, outcome };
    if let Err(err) = state.accounts.audit(&event).await {
        tracing::error!(error = %err, action, "audit write failed");
    }
}
