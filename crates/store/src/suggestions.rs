//! Content suggestions (P2.4): staff suggest, the headteacher accepts or declines.

use school::access::{SchoolId, Suggester, SuggestionReviewer, UserId};
use school::audit::{Actor, NewEntry, actions};
use school::suggestion::{Decision, Suggestion, SuggestionId, SuggestionStatus};

use crate::audit_log;
use crate::db::{Origin, Store, Ts, new_id, now, on_pool, on_tx, parse};
use crate::error::{Error, Result};

/// The longest suggestion accepted: a post, not a document.
const MAX_TEXT: usize = 5_000;

const COLUMNS: &str = "id, school_id, author_id, text, status, created_at, decided_by, decided_at, note";

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    school_id: String,
    author_id: String,
    text: String,
    status: String,
    created_at: Ts,
    decided_by: Option<String>,
    decided_at: Option<Ts>,
    note: Option<String>,
}

impl Row {
    fn suggestion(self) -> Result<Suggestion> {
        Ok(Suggestion {
            id: SuggestionId(self.id),
            school: SchoolId(self.school_id),
            author: UserId(self.author_id),
            text: self.text,
            status: parse(&self.status, "suggestion status")?,
            created_at: self.created_at.0,
            decided_by: self.decided_by.map(UserId),
            decided_at: self.decided_at.map(|t| t.0),
            note: self.note,
        })
    }
}

impl Store {
    async fn suggestion_in(&self, school: &SchoolId, id: &SuggestionId) -> Result<Suggestion> {
        let sql = format!("SELECT {COLUMNS} FROM suggestions WHERE id = $1 AND school_id = $2");
        let row: Option<Row> =
            on_pool!(self, |pool| sqlx::query_as(&sql).bind(&id.0).bind(&school.0).fetch_optional(pool).await)?;
        row.ok_or(Error::NotFound("suggestion"))?.suggestion()
    }

    /// Sends a suggestion to the headteacher's queue.
    pub async fn suggest(&self, cap: &Suggester<'_>, origin: Origin, text: &str) -> Result<Suggestion> {
        let text = text.trim();
        if text.is_empty() || text.chars().count() > MAX_TEXT {
            return Err(Error::Invalid(format!("a suggestion is 1 to {MAX_TEXT} characters")));
        }
        let id = SuggestionId(new_id());
        let mut tx = self.write().await?;
        let sql = "INSERT INTO suggestions (id, school_id, author_id, text, status, created_at) \
                   VALUES ($1, $2, $3, $4, $5, $6)";
        on_tx!(&mut tx, |c| {
            sqlx::query(sql)
                .bind(&id.0)
                .bind(&cap.school().0)
                .bind(&cap.actor().0)
                .bind(text)
                .bind(SuggestionStatus::Open.as_str())
                .bind(Ts(now()))
                .execute(c)
                .await
                .map(|r| r.rows_affected())
        })?;
        let entry = NewEntry::new(
            cap.school().clone(),
            Actor::from_user(cap.actor()),
            actions::SUGGESTION_CREATE,
            "suggestion",
            &id.0,
        )
        .from(origin.as_text());
        audit_log::append(&mut tx, entry).await?;
        tx.commit().await?;
        self.suggestion_in(cap.school(), &id).await
    }

    /// The queue: the capability's school's suggestions with `status` (all when `None`), oldest first.
    pub async fn suggestions(
        &self,
        cap: &SuggestionReviewer<'_>,
        status: Option<SuggestionStatus>,
    ) -> Result<Vec<Suggestion>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM suggestions WHERE school_id = $1 AND ($2 = '' OR status = $2) ORDER BY created_at, id"
        );
        let status = status.map_or("", SuggestionStatus::as_str);
        let rows: Vec<Row> =
            on_pool!(self, |pool| sqlx::query_as(&sql).bind(&cap.school().0).bind(status).fetch_all(pool).await)?;
        rows.into_iter().map(Row::suggestion).collect()
    }

    /// The holder's own suggestions, newest first, so they can see what became of them.
    pub async fn my_suggestions(&self, cap: &Suggester<'_>) -> Result<Vec<Suggestion>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM suggestions WHERE school_id = $1 AND author_id = $2 ORDER BY created_at DESC, id"
        );
        let rows: Vec<Row> = on_pool!(self, |pool| {
            sqlx::query_as(&sql).bind(&cap.school().0).bind(&cap.actor().0).fetch_all(pool).await
        })?;
        rows.into_iter().map(Row::suggestion).collect()
    }

    /// Accepts or declines an open suggestion; deciding one already decided is a conflict (two
    /// reviewers at once cannot both decide it).
    pub async fn decide_suggestion(
        &self,
        cap: &SuggestionReviewer<'_>,
        origin: Origin,
        id: &SuggestionId,
        decision: Decision,
        note: Option<&str>,
    ) -> Result<Suggestion> {
        self.suggestion_in(cap.school(), id).await?;
        let mut tx = self.write().await?;
        let sql = "UPDATE suggestions SET status = $3, decided_by = $4, decided_at = $5, note = $6 \
                   WHERE id = $1 AND school_id = $2 AND status = $7";
        let status = decision.status();
        let done = on_tx!(&mut tx, |c| {
            sqlx::query(sql)
                .bind(&id.0)
                .bind(&cap.school().0)
                .bind(status.as_str())
                .bind(&cap.actor().0)
                .bind(Ts(now()))
                .bind(note)
                .bind(SuggestionStatus::Open.as_str())
                .execute(c)
                .await
                .map(|r| r.rows_affected())
        })?;
        if done == 0 {
            return Err(Error::Conflict("the suggestion was already decided".into()));
        }
        let entry = NewEntry::new(
            cap.school().clone(),
            Actor::from_user(cap.actor()),
            actions::SUGGESTION_DECIDE,
            "suggestion",
            &id.0,
        )
        .from(origin.as_text())
        .detail(serde_json::json!({ "status": status.as_str() }));
        audit_log::append(&mut tx, entry).await?;
        tx.commit().await?;
        self.suggestion_in(cap.school(), id).await
    }
}
