//! The counts governors may see (P7.2): how many people, how many consents granted per use, how many
//! channels, how many open suggestions — numbers only, never a name.

use school::access::FiguresReader;

use crate::db::{Store, Ts, now, on_pool};
use crate::error::Result;

/// A school's figures.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Figures {
    /// Current pupils, staff, and parents or carers (leavers are not counted).
    pub pupils: u64,
    pub staff: u64,
    pub parents: u64,
    /// `(use, its label, current people with it granted and not expired)`, by use.
    pub consents_granted: Vec<(String, String, u64)>,
    /// Channels in use or paused (retired ones are not counted).
    pub channels: u64,
    pub open_suggestions: u64,
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

impl Store {
    /// The capability's school's figures.
    pub async fn figures(&self, cap: &FiguresReader<'_>) -> Result<Figures> {
        let school = &cap.school().0;
        let sql = "SELECT kind, COUNT(*) FROM people WHERE school_id = $1 AND is_current = TRUE GROUP BY kind";
        let people: Vec<(String, i64)> = on_pool!(self, |pool| sqlx::query_as(sql).bind(school).fetch_all(pool).await)?;
        let of = |kind: &str| people.iter().find(|(k, _)| k == kind).map_or(0, |(_, n)| count(*n));
        let sql = "SELECT u.name, u.label, COUNT(c.person_id) FROM consent_uses u \
                   LEFT JOIN consents c ON c.school_id = u.school_id AND c.use_name = u.name AND c.state = 'granted' \
                   AND (c.expires_at IS NULL OR c.expires_at > $2) \
                   AND c.person_id IN (SELECT id FROM people WHERE school_id = $1 AND is_current = TRUE) \
                   WHERE u.school_id = $1 GROUP BY u.name, u.label ORDER BY u.name";
        let granted: Vec<(String, String, i64)> =
            on_pool!(self, |pool| sqlx::query_as(sql).bind(school).bind(Ts(now())).fetch_all(pool).await)?;
        let sql = "SELECT COUNT(*) FROM channels WHERE school_id = $1 AND status <> 'retired'";
        let channels: i64 = on_pool!(self, |pool| sqlx::query_scalar(sql).bind(school).fetch_one(pool).await)?;
        let sql = "SELECT COUNT(*) FROM suggestions WHERE school_id = $1 AND status = 'open'";
        let open: i64 = on_pool!(self, |pool| sqlx::query_scalar(sql).bind(school).fetch_one(pool).await)?;
        Ok(Figures {
            pupils: of("pupil"),
            staff: of("staff"),
            parents: of("parent"),
            consents_granted: granted.into_iter().map(|(u, l, n)| (u, l, count(n))).collect(),
            channels: count(channels),
            open_suggestions: count(open),
        })
    }
}
