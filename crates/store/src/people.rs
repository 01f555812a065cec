//! People, parent links, consent uses and consents.

use school::access::{PeopleAdmin, PeopleReader, SchoolId};
use school::audit::{Actor, NewEntry, actions};
use school::consent::{Consent, ConsentChange, ConsentUse, check_use_name};
use school::people::{ParentLink, PeopleFilter, Person, PersonDetails, PersonId, Year};

use crate::audit_log::{self, Chain};
use crate::db::{Origin, Store, Ts, Tx, new_id, now, on_pool, on_tx, parse};
use crate::error::{Error, Result, conflict_on_unique};

pub(crate) const PERSON_COLUMNS: &str =
    "id, school_id, external_id, kind, legal_first, legal_last, preferred_first, year, reg_group, is_current";

#[derive(sqlx::FromRow)]
pub(crate) struct PersonRow {
    id: String,
    school_id: String,
    external_id: Option<String>,
    kind: String,
    legal_first: String,
    legal_last: String,
    preferred_first: Option<String>,
    year: Option<i64>,
    reg_group: Option<String>,
    is_current: bool,
}

impl PersonRow {
    pub(crate) fn person(self) -> Result<Person> {
        let year = self.year.map(|n| Year::new(n).ok_or_else(|| Error::Corrupt(format!("year {n}")))).transpose()?;
        Ok(Person {
            id: PersonId(self.id),
            school: SchoolId(self.school_id),
            external_id: self.external_id,
            kind: parse(&self.kind, "person kind")?,
            legal_first: self.legal_first,
            legal_last: self.legal_last,
            preferred_first: self.preferred_first,
            year,
            reg_group: self.reg_group,
            current: self.is_current,
        })
    }
}

pub(crate) const CONSENT_COLUMNS: &str = "school_id, person_id, use_name, state, source, by_actor, at, expires_at";

#[derive(sqlx::FromRow)]
pub(crate) struct ConsentRow {
    school_id: String,
    person_id: String,
    use_name: String,
    state: String,
    source: String,
    by_actor: String,
    at: Ts,
    expires_at: Option<Ts>,
}

impl ConsentRow {
    pub(crate) fn consent(self) -> Result<Consent> {
        Ok(Consent {
            school: SchoolId(self.school_id),
            person: PersonId(self.person_id),
            use_name: self.use_name,
            recorded: parse(&self.state, "consent state")?,
            source: parse(&self.source, "consent source")?,
            by: self.by_actor,
            at: self.at.0,
            expires_at: self.expires_at.map(|t| t.0),
        })
    }
}

fn actor(cap: &PeopleAdmin<'_>) -> Actor {
    Actor::from_user(cap.actor())
}

/// Inserts a person; the caller appends the audit entry.
pub(crate) async fn insert_person(tx: &mut Tx, school: &SchoolId, d: &PersonDetails) -> Result<PersonId> {
    let id = PersonId(new_id());
    let at = Ts(now());
    let sql = "INSERT INTO people (id, school_id, external_id, kind, legal_first, legal_last, preferred_first, year, \
               reg_group, is_current, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)";
    on_tx!(tx, |c| {
        sqlx::query(sql)
            .bind(&id.0)
            .bind(&school.0)
            .bind(&d.external_id)
            .bind(d.kind.as_str())
            .bind(&d.legal_first)
            .bind(&d.legal_last)
            .bind(&d.preferred_first)
            .bind(d.year.map(Year::number))
            .bind(&d.reg_group)
            .bind(d.current)
            .bind(at)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })
    .map_err(conflict_on_unique("a person with that external id"))?;
    Ok(id)
}

/// Overwrites a person's details; the caller appends the audit entry.
pub(crate) async fn update_person(tx: &mut Tx, school: &SchoolId, id: &PersonId, d: &PersonDetails) -> Result<()> {
    let sql = "UPDATE people SET external_id = $3, kind = $4, legal_first = $5, legal_last = $6, preferred_first = $7, \
               year = $8, reg_group = $9, is_current = $10, updated_at = $11 WHERE id = $1 AND school_id = $2";
    let done = on_tx!(tx, |c| {
        sqlx::query(sql)
            .bind(&id.0)
            .bind(&school.0)
            .bind(&d.external_id)
            .bind(d.kind.as_str())
            .bind(&d.legal_first)
            .bind(&d.legal_last)
            .bind(&d.preferred_first)
            .bind(d.year.map(Year::number))
            .bind(&d.reg_group)
            .bind(d.current)
            .bind(Ts(now()))
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })
    .map_err(conflict_on_unique("a person with that external id"))?;
    if done == 0 { Err(Error::NotFound("person")) } else { Ok(()) }
}

/// Records a consent as the current one and appends its audit entry to `chain`.
pub(crate) async fn write_consent(
    tx: &mut Tx,
    chain: &mut Chain,
    school: &SchoolId,
    by: &Actor,
    origin: Origin,
    previous: Option<&Consent>,
    change: &ConsentChange,
) -> Result<()> {
    let sql = "INSERT INTO consents (school_id, person_id, use_name, state, source, by_actor, at, expires_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (person_id, use_name) DO UPDATE SET \
               state = excluded.state, source = excluded.source, by_actor = excluded.by_actor, at = excluded.at, \
               expires_at = excluded.expires_at";
    let expires = change.expires_at.map(Ts::from);
    on_tx!(tx, |c| {
        sqlx::query(sql)
            .bind(&school.0)
            .bind(&change.person.0)
            .bind(&change.use_name)
            .bind(change.state.as_str())
            .bind(change.source.as_str())
            .bind(by.to_string())
            .bind(Ts(now()))
            .bind(expires)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })?;
    let detail = serde_json::json!({
        "use": change.use_name,
        "from": previous.map(|p| p.recorded.as_str()),
        "to": change.state.as_str(),
        "source": change.source.as_str(),
        "expires_at": expires.map(|t| t.0.unix_timestamp()),
    });
    let entry = NewEntry::new(school.clone(), by.clone(), actions::CONSENT_SET, "person", &change.person.0)
        .from(origin.as_text())
        .detail(detail);
    chain.append(tx, entry).await?;
    Ok(())
}

impl Store {
    /// Adds a person to the capability's school.
    pub async fn add_person(&self, cap: &PeopleAdmin<'_>, origin: Origin, details: &PersonDetails) -> Result<Person> {
        let mut tx = self.write().await?;
        let id = insert_person(&mut tx, cap.school(), details).await?;
        let entry = NewEntry::new(cap.school().clone(), actor(cap), actions::PERSON_ADD, "person", &id.0)
            .from(origin.as_text())
            .detail(serde_json::json!({ "kind": details.kind.as_str() }));
        audit_log::append(&mut tx, entry).await?;
        tx.commit().await?;
        self.person_in(cap.school(), &id).await
    }

    /// Changes a person's details; the audit entry names the fields that changed, not their values.
    pub async fn update_person(
        &self,
        cap: &PeopleAdmin<'_>,
        origin: Origin,
        id: &PersonId,
        details: &PersonDetails,
    ) -> Result<Person> {
        let before = self.person_in(cap.school(), id).await?;
        let changed = details.changes_from(&before);
        if changed.is_empty() {
            return Ok(before);
        }
        let mut tx = self.write().await?;
        update_person(&mut tx, cap.school(), id, details).await?;
        let entry = NewEntry::new(cap.school().clone(), actor(cap), actions::PERSON_UPDATE, "person", &id.0)
            .from(origin.as_text())
            .detail(serde_json::json!({ "fields": changed }));
        audit_log::append(&mut tx, entry).await?;
        tx.commit().await?;
        self.person_in(cap.school(), id).await
    }

    async fn person_in(&self, school: &SchoolId, id: &PersonId) -> Result<Person> {
        let sql = format!("SELECT {PERSON_COLUMNS} FROM people WHERE id = $1 AND school_id = $2");
        let row: Option<PersonRow> =
            on_pool!(self, |pool| sqlx::query_as(&sql).bind(&id.0).bind(&school.0).fetch_optional(pool).await)?;
        row.ok_or(Error::NotFound("person"))?.person()
    }

    /// One person of the capability's school.
    pub async fn person(&self, cap: &PeopleReader<'_>, id: &PersonId) -> Result<Person> {
        self.person_in(cap.school(), id).await
    }

    /// The people of the capability's school that match `filter`, by surname then first name.
    pub async fn people(&self, cap: &PeopleReader<'_>, filter: &PeopleFilter) -> Result<Vec<Person>> {
        let mut w = Where::new(format!("SELECT {PERSON_COLUMNS} FROM people WHERE school_id = $1"), &cap.school().0);
        if let Some(kind) = filter.kind {
            let p = w.arg(Arg::Text(kind.as_str().to_string()));
            w.sql.push_str(&format!(" AND kind = {p}"));
        }
        if let Some(group) = &filter.reg_group {
            let p = w.arg(Arg::Text(group.clone()));
            w.sql.push_str(&format!(" AND reg_group = {p}"));
        }
        if let Some(year) = filter.year {
            let p = w.arg(Arg::Int(year.number()));
            w.sql.push_str(&format!(" AND year = {p}"));
        }
        if let Some(name) = filter.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            let lower = name.to_lowercase();
            let escaped = lower.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            let like = w.arg(Arg::Text(format!("{escaped}%")));
            let whole = w.arg(Arg::Text(lower));
            w.sql.push_str(&format!(
                " AND (lower(legal_first) LIKE {like} ESCAPE '\\' OR lower(legal_last) LIKE {like} ESCAPE '\\' \
                 OR lower(COALESCE(preferred_first, '')) LIKE {like} ESCAPE '\\' \
                 OR lower(COALESCE(external_id, '')) = {whole})"
            ));
        }
        if !filter.include_past {
            w.sql.push_str(" AND is_current = TRUE");
        }
        w.sql.push_str(" ORDER BY legal_last, legal_first, id");
        let rows: Vec<PersonRow> = on_pool!(self, |pool| {
            let mut q = sqlx::query_as(&w.sql);
            for a in &w.args {
                q = match a {
                    Arg::Text(t) => q.bind(t),
                    Arg::Int(n) => q.bind(n),
                    Arg::Moment(t) => q.bind(t),
                };
            }
            q.fetch_all(pool).await
        })?;
        rows.into_iter().map(PersonRow::person).collect()
    }

    /// Links a parent or carer to a pupil, both of the capability's school.
    pub async fn link_parent(&self, cap: &PeopleAdmin<'_>, origin: Origin, link: &ParentLink) -> Result<()> {
        let parent = self.person_in(cap.school(), &link.parent).await?;
        let pupil = self.person_in(cap.school(), &link.pupil).await?;
        if parent.kind != school::people::PersonKind::Parent || pupil.kind != school::people::PersonKind::Pupil {
            return Err(Error::Invalid("a link joins a parent or carer to a pupil".into()));
        }
        let mut tx = self.write().await?;
        let sql = "INSERT INTO parent_links (school_id, parent_id, pupil_id, relationship) VALUES ($1, $2, $3, $4) \
                   ON CONFLICT (parent_id, pupil_id) DO UPDATE SET relationship = excluded.relationship";
        on_tx!(&mut tx, |c| {
            sqlx::query(sql)
                .bind(&cap.school().0)
                .bind(&link.parent.0)
                .bind(&link.pupil.0)
                .bind(&link.relationship)
                .execute(c)
                .await
                .map(|r| r.rows_affected())
        })?;
        let entry = NewEntry::new(cap.school().clone(), actor(cap), actions::PARENT_LINK, "person", &link.pupil.0)
            .from(origin.as_text())
            .detail(serde_json::json!({ "parent": link.parent.0 }));
        audit_log::append(&mut tx, entry).await?;
        tx.commit().await
    }

    /// The parent links of a pupil (or, given a parent, of their children) in the capability's school.
    pub async fn parent_links(&self, cap: &PeopleReader<'_>, person: &PersonId) -> Result<Vec<ParentLink>> {
        let sql = "SELECT parent_id, pupil_id, relationship FROM parent_links WHERE school_id = $1 \
                   AND (pupil_id = $2 OR parent_id = $2) ORDER BY parent_id, pupil_id";
        let rows: Vec<(String, String, Option<String>)> =
            on_pool!(self, |pool| sqlx::query_as(sql).bind(&cap.school().0).bind(&person.0).fetch_all(pool).await)?;
        Ok(rows
            .into_iter()
            .map(|(parent, pupil, relationship)| ParentLink {
                parent: PersonId(parent),
                pupil: PersonId(pupil),
                relationship,
            })
            .collect())
    }

    /// The consent uses a school asks for (not personal data, so no capability: the importer needs them).
    pub async fn consent_uses(&self, school: &SchoolId) -> Result<Vec<ConsentUse>> {
        let sql = "SELECT name, label FROM consent_uses WHERE school_id = $1 ORDER BY name";
        let rows: Vec<(String, String)> =
            on_pool!(self, |pool| sqlx::query_as(sql).bind(&school.0).fetch_all(pool).await)?;
        Ok(rows.into_iter().map(|(name, label)| ConsentUse { name, label }).collect())
    }

    /// Adds a consent use to the capability's school.
    pub async fn add_consent_use(&self, cap: &PeopleAdmin<'_>, origin: Origin, new: &ConsentUse) -> Result<()> {
        check_use_name(&new.name).map_err(|e| Error::Invalid(e.to_string()))?;
        let mut tx = self.write().await?;
        crate::schools::insert_use(&mut tx, cap.school(), &new.name, &new.label).await?;
        let entry = NewEntry::new(cap.school().clone(), actor(cap), actions::CONSENT_USE_ADD, "consent_use", &new.name)
            .from(origin.as_text());
        audit_log::append(&mut tx, entry).await?;
        tx.commit().await
    }

    async fn consent_of(&self, school: &SchoolId, person: &PersonId, use_name: &str) -> Result<Option<Consent>> {
        let sql =
            format!("SELECT {CONSENT_COLUMNS} FROM consents WHERE school_id = $1 AND person_id = $2 AND use_name = $3");
        let row: Option<ConsentRow> = on_pool!(self, |pool| {
            sqlx::query_as(&sql).bind(&school.0).bind(&person.0).bind(use_name).fetch_optional(pool).await
        })?;
        row.map(ConsentRow::consent).transpose()
    }

    /// Records a consent decision for a person of the capability's school, with its audit entry.
    pub async fn set_consent(&self, cap: &PeopleAdmin<'_>, origin: Origin, change: &ConsentChange) -> Result<Consent> {
        let school = cap.school();
        self.person_in(school, &change.person).await?;
        if !self.consent_uses(school).await?.iter().any(|u| u.name == change.use_name) {
            return Err(Error::NotFound("consent use"));
        }
        let previous = self.consent_of(school, &change.person, &change.use_name).await?;
        let mut tx = self.write().await?;
        let mut chain = Chain::open(&mut tx, school).await?;
        write_consent(&mut tx, &mut chain, school, &actor(cap), origin, previous.as_ref(), change).await?;
        chain.close(&mut tx).await?;
        tx.commit().await?;
        self.consent_of(school, &change.person, &change.use_name).await?.ok_or(Error::NotFound("consent"))
    }

    /// A person's consents in the capability's school, by use.
    pub async fn consents(&self, cap: &PeopleReader<'_>, person: &PersonId) -> Result<Vec<Consent>> {
        let sql =
            format!("SELECT {CONSENT_COLUMNS} FROM consents WHERE school_id = $1 AND person_id = $2 ORDER BY use_name");
        let rows: Vec<ConsentRow> =
            on_pool!(self, |pool| sqlx::query_as(&sql).bind(&cap.school().0).bind(&person.0).fetch_all(pool).await)?;
        rows.into_iter().map(ConsentRow::consent).collect()
    }

    /// Every consent on record in the capability's school (for checking a post against them all).
    pub async fn school_consents(&self, cap: &PeopleReader<'_>) -> Result<Vec<Consent>> {
        let sql = format!("SELECT {CONSENT_COLUMNS} FROM consents WHERE school_id = $1 ORDER BY person_id, use_name");
        let rows: Vec<ConsentRow> =
            on_pool!(self, |pool| sqlx::query_as(&sql).bind(&cap.school().0).fetch_all(pool).await)?;
        rows.into_iter().map(ConsentRow::consent).collect()
    }
}

/// A bound argument of a query built from optional filters.
pub(crate) enum Arg {
    Text(String),
    Int(i64),
    /// A moment, stored as each engine keeps it (see [`Ts`](crate::db::Ts)).
    Moment(crate::db::Ts),
}

/// A query whose `WHERE` grows with the filters given, numbering its placeholders as it goes.
pub(crate) struct Where {
    pub(crate) sql: String,
    pub(crate) args: Vec<Arg>,
}

impl Where {
    /// Starts from SQL whose `$1` is `first`.
    pub(crate) fn new(sql: String, first: &str) -> Where {
        Where { sql, args: vec![Arg::Text(first.to_string())] }
    }

    /// Adds an argument and returns its placeholder.
    pub(crate) fn arg(&mut self, a: Arg) -> String {
        self.args.push(a);
        format!("${}", self.args.len())
    }
}
