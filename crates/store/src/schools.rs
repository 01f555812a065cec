//! Trusts and schools: the tenants. One deployment can serve a multi-academy trust, so every other row
//! names its school, and every capability is valid for one school only.

use school::access::SchoolId;
use school::audit::{Actor, NewEntry, actions};
use school::consent::DEFAULT_USES;

use crate::audit_log;
use crate::db::{Origin, Store, Ts, Tx, new_id, now, on_pool, on_tx};
use crate::error::{Error, Result};

/// A school, with the text of its policy file.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct School {
    pub id: SchoolId,
    pub trust_id: Option<String>,
    pub name: String,
    pub policy_toml: Option<String>,
}

#[derive(sqlx::FromRow)]
struct SchoolRow {
    id: String,
    trust_id: Option<String>,
    name: String,
    policy_toml: Option<String>,
}

impl From<SchoolRow> for School {
    fn from(r: SchoolRow) -> School {
        School { id: SchoolId(r.id), trust_id: r.trust_id, name: r.name, policy_toml: r.policy_toml }
    }
}

impl Store {
    /// Creates a multi-academy trust (an operator's task: no capability); returns its id.
    pub async fn create_trust(&self, name: &str) -> Result<String> {
        let id = new_id();
        let sql = "INSERT INTO trusts (id, name, created_at) VALUES ($1, $2, $3)";
        on_pool!(self, |pool| sqlx::query(sql)
            .bind(&id)
            .bind(name)
            .bind(Ts(now()))
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(id)
    }

    /// Creates a school with the default consent uses and an empty audit chain (an operator's task).
    pub async fn create_school(&self, name: &str, trust: Option<&str>) -> Result<SchoolId> {
        let school = SchoolId(new_id());
        let mut tx = self.write().await?;
        let sql = "INSERT INTO schools (id, trust_id, name, created_at) VALUES ($1, $2, $3, $4)";
        on_tx!(&mut tx, |c| sqlx::query(sql)
            .bind(&school.0)
            .bind(trust)
            .bind(name)
            .bind(Ts(now()))
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        let sql = "INSERT INTO audit_heads (school_id, seq, hash) VALUES ($1, 0, $2)";
        let genesis = school::audit::Hash::GENESIS.to_string();
        on_tx!(&mut tx, |c| sqlx::query(sql)
            .bind(&school.0)
            .bind(&genesis)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        for (name, label) in DEFAULT_USES {
            insert_use(&mut tx, &school, name, label).await?;
        }
        let entry = NewEntry::new(school.clone(), Actor::System, actions::SCHOOL_CREATE, "school", &school.0)
            .detail(serde_json::json!({ "name": name }));
        audit_log::append(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(school)
    }

    /// One school.
    pub async fn school(&self, id: &SchoolId) -> Result<School> {
        let sql = "SELECT id, trust_id, name, policy_toml FROM schools WHERE id = $1";
        let row: Option<SchoolRow> = on_pool!(self, |pool| sqlx::query_as(sql).bind(&id.0).fetch_optional(pool).await)?;
        row.map(School::from).ok_or(Error::NotFound("school"))
    }

    /// Every school in the deployment, by name (an operator's view).
    pub async fn schools(&self) -> Result<Vec<School>> {
        let sql = "SELECT id, trust_id, name, policy_toml FROM schools ORDER BY name, id";
        let rows: Vec<SchoolRow> = on_pool!(self, |pool| sqlx::query_as(sql).fetch_all(pool).await)?;
        Ok(rows.into_iter().map(School::from).collect())
    }

    /// Stores the text of the school's policy file (an operator's task: `serve --policy`, `demo`).
    pub async fn set_school_policy(&self, id: &SchoolId, origin: Origin, policy_toml: &str) -> Result<()> {
        let mut tx = self.write().await?;
        let sql = "UPDATE schools SET policy_toml = $2 WHERE id = $1";
        let done = on_tx!(&mut tx, |c| sqlx::query(sql)
            .bind(&id.0)
            .bind(policy_toml)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        if done == 0 {
            return Err(Error::NotFound("school"));
        }
        let entry =
            NewEntry::new(id.clone(), Actor::System, actions::POLICY_SET, "school", &id.0).from(origin.as_text());
        audit_log::append(&mut tx, entry).await?;
        tx.commit().await
    }
}

/// Adds a consent use to a school.
pub(crate) async fn insert_use(tx: &mut Tx, school: &SchoolId, name: &str, label: &str) -> Result<()> {
    let sql = "INSERT INTO consent_uses (school_id, name, label) VALUES ($1, $2, $3)";
    on_tx!(tx, |c| sqlx::query(sql).bind(&school.0).bind(name).bind(label).execute(c).await.map(|r| r.rows_affected()))
        .map_err(crate::error::conflict_on_unique("the consent use"))?;
    Ok(())
}
