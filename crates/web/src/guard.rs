//! Refusals recorded the same way everywhere (P2.3: every refused attempt is shown to the headteacher).
//!
//! ```text
//! async fn grant(State(state): State<AppState>, signed: Signed, …) -> Result<Response, AppError> {
//!     let Some(admin) = signed.principal.channel_admin() else {
//!         return Err(deny(&state, &signed, "channel.grant", "channel", &channel_id.0).await);
//!     };
//!     …
//! }
//! ```

use school::audit::{Actor as AuditActor, NewEntry};

use crate::error::AppError;
use crate::extract::Actor;
use crate::state::AppState;

/// Records a refused capability check in the audit log (outcome `denied`) and returns the 403 to send.
///
/// `action` is the dotted verb that was refused (`channel.grant`, `people.read`: use
/// `school::audit::actions` where one fits); `object_kind`/`object_id` name what was asked for (for a
/// whole area, the kind `route` and the path). If the audit write fails, the refusal still stands and
/// the failure is logged as an error.
pub async fn deny(state: &AppState, actor: &impl Actor, action: &str, object_kind: &str, object_id: &str) -> AppError {
    let principal = actor.principal();
    tracing::warn!(user = %principal.user.0, role = %principal.role, action, object_kind, object_id, "refused");
    let recorded = state.store.record_denied(principal, actor.from().origin(), action, object_kind, object_id).await;
    if let Err(err) = recorded {
        tracing::error!(error = %err, action, "could not record a refusal in the audit log");
    }
    AppError::Forbidden
}

/// An audit entry for something `actor` did, with who and from where filled in.
pub fn entry(actor: &impl Actor, action: &str, object_kind: &str, object_id: &str) -> NewEntry {
    let principal = actor.principal();
    NewEntry::new(principal.school.clone(), AuditActor::from_user(&principal.user), action, object_kind, object_id)
        .from(Some(actor.from().to_string()))
}

/// Appends an entry on its own (changes made through the store are audited by the store itself).
pub async fn append(state: &AppState, entry: NewEntry) -> Result<(), AppError> {
    state.store.record_audit(entry).await?;
    Ok(())
}
