//! Applying a roster import: one transaction, so a failure part-way leaves nothing half-imported.
//!
//! Rows are matched to people by UPN. Only what differs is written, and only what is written gets an
//! audit entry, so importing the same file twice changes nothing the second time; one summary entry
//! records each import itself.

use std::collections::HashMap;

use school::access::PeopleAdmin;
use school::audit::{Actor, NewEntry, actions};
use school::consent::{Consent, ConsentChange, ConsentSource, import_may_replace};
use school::import::{Plan, Rejected, RosterRow};
use school::people::{Person, PersonId};

use crate::audit_log::Chain;
use crate::db::{Origin, Store, Tx, on_tx};
use crate::error::Result;
use crate::people::{
    CONSENT_COLUMNS, ConsentRow, PERSON_COLUMNS, PersonRow, insert_person, update_person, write_consent,
};

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    /// People not seen before.
    pub added: u64,
    /// People whose details or consents changed.
    pub updated: u64,
    /// People already exactly as the file says.
    pub unchanged: u64,
    /// Rows the file could not give (see `rejected_rows`).
    pub rejected: u64,
    /// Consents written.
    pub consents_changed: u64,
    /// Consents the file would have widened but that were recorded in Gatehouse since (see
    /// [`school::consent::import_may_replace`]): left as they are.
    pub consents_kept: u64,
    #[serde(skip)]
    pub rejected_rows: Vec<Rejected>,
}

/// What applying one row did.
enum RowOutcome {
    Added,
    Updated,
    Unchanged,
}

/// The state of the school before the import, read inside the transaction.
struct Existing {
    people: HashMap<String, Person>,
    consents: HashMap<(String, String), Consent>,
}

async fn existing(tx: &mut Tx, school: &school::access::SchoolId) -> Result<Existing> {
    let sql = format!("SELECT {PERSON_COLUMNS} FROM people WHERE school_id = $1 AND external_id IS NOT NULL");
    let rows: Vec<PersonRow> = on_tx!(tx, |c| sqlx::query_as(&sql).bind(&school.0).fetch_all(c).await)?;
    let mut people = HashMap::new();
    for row in rows {
        let p = row.person()?;
        if let Some(ext) = p.external_id.clone() {
            people.insert(ext, p);
        }
    }
    let sql = format!("SELECT {CONSENT_COLUMNS} FROM consents WHERE school_id = $1");
    let rows: Vec<ConsentRow> = on_tx!(tx, |c| sqlx::query_as(&sql).bind(&school.0).fetch_all(c).await)?;
    let mut consents = HashMap::new();
    for row in rows {
        let c = row.consent()?;
        consents.insert((c.person.0.clone(), c.use_name.clone()), c);
    }
    Ok(Existing { people, consents })
}

/// One import in progress: the transaction, the chain, who is importing, what was there.
struct Applier<'a> {
    tx: Tx,
    chain: Chain,
    cap: &'a PeopleAdmin<'a>,
    actor: Actor,
    origin: Origin,
    existing: Existing,
    report: ImportReport,
}

impl Applier<'_> {
    async fn row(&mut self, row: &RosterRow) -> Result<RowOutcome> {
        let school = self.cap.school();
        let (id, mut outcome) = match self.existing.people.get(row.upn()) {
            None => {
                let id = insert_person(&mut self.tx, school, &row.person).await?;
                let entry = NewEntry::new(school.clone(), self.actor.clone(), actions::PERSON_ADD, "person", &id.0)
                    .from(self.origin.as_text())
                    .detail(serde_json::json!({ "kind": row.person.kind.as_str(), "source": "mis_import" }));
                self.chain.append(&mut self.tx, entry).await?;
                (id, RowOutcome::Added)
            }
            Some(person) => {
                let changed = row.person.changes_from(person);
                let id = person.id.clone();
                if changed.is_empty() {
                    (id, RowOutcome::Unchanged)
                } else {
                    update_person(&mut self.tx, school, &id, &row.person).await?;
                    let entry =
                        NewEntry::new(school.clone(), self.actor.clone(), actions::PERSON_UPDATE, "person", &id.0)
                            .from(self.origin.as_text())
                            .detail(serde_json::json!({ "fields": changed, "source": "mis_import" }));
                    self.chain.append(&mut self.tx, entry).await?;
                    (id, RowOutcome::Updated)
                }
            }
        };
        for (use_name, state) in &row.consents {
            let current = self.existing.consents.get(&(id.0.clone(), use_name.clone()));
            if current.is_some_and(|c| c.recorded == *state) {
                continue;
            }
            if !import_may_replace(current, *state) {
                self.report.consents_kept += 1;
                continue;
            }
            let change = ConsentChange {
                person: PersonId(id.0.clone()),
                use_name: use_name.clone(),
                state: *state,
                source: ConsentSource::MisImport,
                expires_at: None,
            };
            let (tx, chain) = (&mut self.tx, &mut self.chain);
            write_consent(tx, chain, school, &self.actor, self.origin, current, &change).await?;
            self.report.consents_changed += 1;
            if matches!(outcome, RowOutcome::Unchanged) {
                outcome = RowOutcome::Updated;
            }
        }
        Ok(outcome)
    }
}

impl Store {
    /// Applies a parsed roster to the capability's school in one transaction: people are matched by UPN,
    /// only differences are written (each with its audit entry), and any failure rolls everything back.
    pub async fn apply_import(&self, cap: &PeopleAdmin<'_>, origin: Origin, plan: &Plan) -> Result<ImportReport> {
        let mut tx = self.write().await?;
        let existing = existing(&mut tx, cap.school()).await?;
        let chain = Chain::open(&mut tx, cap.school()).await?;
        let report = ImportReport {
            rejected: plan.rejected.len() as u64,
            rejected_rows: plan.rejected.clone(),
            ..ImportReport::default()
        };
        let actor = Actor::from_user(cap.actor());
        let mut applier = Applier { tx, chain, cap, actor, origin, existing, report };
        for row in &plan.rows {
            match applier.row(row).await? {
                RowOutcome::Added => applier.report.added += 1,
                RowOutcome::Updated => applier.report.updated += 1,
                RowOutcome::Unchanged => applier.report.unchanged += 1,
            }
        }
        let Applier { mut tx, mut chain, report, actor, .. } = applier;
        let summary = NewEntry::new(cap.school().clone(), actor, actions::ROSTER_IMPORT, "school", &cap.school().0)
            .from(origin.as_text())
            .detail(serde_json::json!({
                "added": report.added,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "rejected": report.rejected,
                "consents_changed": report.consents_changed,
                "consents_kept": report.consents_kept,
            }));
        chain.append(&mut tx, summary).await?;
        chain.close(&mut tx).await?;
        tx.commit().await?;
        Ok(report)
    }
}
