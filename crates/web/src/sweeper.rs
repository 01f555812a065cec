//! Deleting expired sessions. tower-sessions refuses an expired session when it is loaded but never
//! removes its row, so without this the session table grows by every sign-in forever (and keeps who
//! signed in, and when, for longer than it needs to).
//!
//! Every server process sweeps: the delete is one idempotent statement, so several processes sweeping
//! the same database at once cost a few redundant queries and nothing else — no leader to elect.
//! A failed sweep is logged and the next one tries again; it never stops the sweeper (tower-sessions'
//! own `continuously_delete_expired` ends at its first error).

use tokio::sync::watch;
use tower_sessions::session_store::ExpiredDeletion;

use crate::state::AppState;

/// Sweeps at once (a server that restarts often still sweeps), then every `config.session_sweep_every`,
/// until `stop`'s sender sends or is dropped.
pub async fn run(state: AppState, mut stop: watch::Receiver<()>) {
    let sessions = state.store.session_store();
    let mut every = tokio::time::interval(state.config.session_sweep_every);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            // Biased: once told to stop, do not start another sweep.
            biased;
            _ = stop.changed() => return,
            _ = every.tick() => sweep(&state, &sessions).await,
        }
    }
}

async fn sweep(state: &AppState, sessions: &store::Sessions) {
    let outcome = match sessions.delete_expired().await {
        Ok(()) => "ok",
        Err(err) => {
            tracing::error!(error = %err, "could not delete expired sessions; trying again at the next sweep");
            "failed"
        }
    };
    state.metrics.record(|| metrics::counter!("session_sweeps_total", "outcome" => outcome).increment(1));
    state.sweeps.send_modify(|n| *n += 1);
}
