//! The job queue later flows build on (inbox, outbox, scheduled posts, alerts), and idempotency keys.
//!
//! A job is claimed with a lease: the claimer has until `lease_until` to finish it, after which any
//! worker may claim it again, so a worker that dies mid-job delays the job but never loses it. On
//! PostgreSQL claims use `FOR UPDATE SKIP LOCKED`, so several servers' workers never take the same job
//! and never wait on each other; on SQLite the claim runs under the one write lock.

use std::time::Duration;

use school::access::SchoolId;
use time::OffsetDateTime;

use crate::db::{Store, Ts, new_id, now, on_pool, on_tx};
use crate::error::{Error, Result};

/// A job's id.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JobId(pub String);

/// A claimed job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Job {
    pub id: JobId,
    pub school: SchoolId,
    pub kind: String,
    pub payload: serde_json::Value,
    /// How many times it has been claimed, this claim included.
    pub attempts: i64,
    pub lease_until: OffsetDateTime,
}

/// Whether an idempotency key was new.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Idempotency {
    /// First use: go ahead.
    New,
    /// Seen before, with the SHA-256 of the response given then.
    Seen { response_sha256: String },
}

fn later(d: Duration) -> OffsetDateTime {
    now() + time::Duration::try_from(d).unwrap_or(time::Duration::days(365))
}

impl Store {
    /// Queues a job to run at or after `run_at`.
    pub async fn enqueue_job(
        &self,
        school: &SchoolId,
        kind: &str,
        payload: &serde_json::Value,
        run_at: OffsetDateTime,
    ) -> Result<JobId> {
        let id = JobId(new_id());
        let sql = "INSERT INTO jobs (id, school_id, kind, payload, run_at, created_at) VALUES ($1, $2, $3, $4, $5, $6)";
        on_pool!(self, |pool| {
            sqlx::query(sql)
                .bind(&id.0)
                .bind(&school.0)
                .bind(kind)
                .bind(payload.to_string())
                .bind(Ts::from(run_at))
                .bind(Ts(now()))
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(id)
    }

    /// Claims up to `n` due jobs of `kind` for `lease`; jobs whose lease ran out are due again.
    pub async fn claim_jobs(&self, kind: &str, n: i64, lease: Duration) -> Result<Vec<Job>> {
        let mut tx = self.write().await?;
        let sql = format!(
            "UPDATE jobs SET lease_until = $3, attempts = attempts + 1 WHERE id IN (SELECT id FROM jobs \
             WHERE kind = $1 AND run_at <= $2 AND (lease_until IS NULL OR lease_until < $2) ORDER BY run_at, id \
             LIMIT $4{}) RETURNING id, school_id, kind, payload, attempts, lease_until",
            if tx.is_postgres() { " FOR UPDATE SKIP LOCKED" } else { "" }
        );
        let rows: Vec<(String, String, String, String, i64, Ts)> = on_tx!(&mut tx, |c| {
            sqlx::query_as(&sql).bind(kind).bind(Ts(now())).bind(Ts(later(lease))).bind(n).fetch_all(c).await
        })?;
        tx.commit().await?;
        let mut jobs = rows
            .into_iter()
            .map(|(id, school, kind, payload, attempts, lease_until)| {
                Ok(Job {
                    id: JobId(id),
                    school: SchoolId(school),
                    kind,
                    payload: serde_json::from_str(&payload).map_err(|e| Error::Corrupt(format!("job payload: {e}")))?,
                    attempts,
                    lease_until: lease_until.0,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        jobs.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(jobs)
    }

    /// Removes a finished job.
    pub async fn complete_job(&self, id: &JobId) -> Result<()> {
        let sql = "DELETE FROM jobs WHERE id = $1";
        on_pool!(self, |pool| sqlx::query(sql).bind(&id.0).execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Releases a failed job to run again at `retry_at`, noting the error.
    pub async fn fail_job(&self, id: &JobId, error: &str, retry_at: OffsetDateTime) -> Result<()> {
        let sql = "UPDATE jobs SET lease_until = NULL, run_at = $2, last_error = $3 WHERE id = $1";
        on_pool!(self, |pool| {
            sqlx::query(sql)
                .bind(&id.0)
                .bind(Ts::from(retry_at))
                .bind(error)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Records an idempotency key with the SHA-256 of its response, or reports the one recorded before.
    pub async fn remember_idempotency_key(
        &self,
        school: &SchoolId,
        key: &str,
        response_sha256: &str,
    ) -> Result<Idempotency> {
        let insert = "INSERT INTO idempotency_keys (school_id, key, response_sha256, created_at) \
                      VALUES ($1, $2, $3, $4) ON CONFLICT (school_id, key) DO NOTHING";
        let inserted = on_pool!(self, |pool| {
            sqlx::query(insert)
                .bind(&school.0)
                .bind(key)
                .bind(response_sha256)
                .bind(Ts(now()))
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        if inserted == 1 {
            return Ok(Idempotency::New);
        }
        let select = "SELECT response_sha256 FROM idempotency_keys WHERE school_id = $1 AND key = $2";
        let seen: String =
            on_pool!(self, |pool| sqlx::query_scalar(select).bind(&school.0).bind(key).fetch_one(pool).await)?;
        Ok(Idempotency::Seen { response_sha256: seen })
    }
}
