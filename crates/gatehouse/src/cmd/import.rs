//! `gatehouse import roster FILE.csv --school ID`: pupils and their consents from an MIS export.
//!
//! Every row the file cannot give is printed with its spreadsheet row number and the reason; the rest
//! are imported in one transaction. Exit 0 when the import ran (whatever it rejected), 1 when the file
//! could not be read at all, 2 on any other failure (nothing imported then either).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use school::access::{Principal, SchoolId};
use store::{Origin, Store};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Import pupils and their consents from an MIS roster export (CSV with UPN, Forename, Surname,
    /// Preferred Forename, Year, Reg Group and `Consent: <use>` columns holding Y, N or blank).
    Roster(RosterArgs),
}

#[derive(clap::Args)]
pub struct RosterArgs {
    /// The CSV file exported from the MIS.
    #[arg(value_name = "FILE.csv")]
    pub file: PathBuf,
    /// The school to import into (its id).
    #[arg(long, value_name = "ID")]
    pub school: String,
    /// The database: `sqlite://FILE?mode=rwc` or `postgres://user@host/db`.
    #[arg(long, env = "GATEHOUSE_DATABASE_URL", value_name = "URL", hide_env_values = true)]
    pub database: String,
}

pub fn run(command: Command) -> anyhow::Result<ExitCode> {
    let Command::Roster(args) = command;
    let bytes = match std::fs::read(&args.file) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("gatehouse: cannot read {}: {e}", args.file.display());
            return Ok(ExitCode::from(1));
        }
    };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().context("starting tokio")?;
    runtime.block_on(roster(args, bytes))
}

async fn roster(args: RosterArgs, bytes: Vec<u8>) -> anyhow::Result<ExitCode> {
    let store = Store::connect(&args.database).await.context("connecting to the database")?;
    store.migrate().await.context("migrating the database")?;
    let school = SchoolId(args.school.clone());
    let found = store.school(&school).await.with_context(|| format!("finding school {}", args.school))?;
    let uses: Vec<String> = store.consent_uses(&school).await?.into_iter().map(|u| u.name).collect();
    let plan = match school::import::parse(&bytes, &uses) {
        Ok(plan) => plan,
        Err(e) => {
            eprintln!("gatehouse: cannot read {} as a roster: {e}", args.file.display());
            return Ok(ExitCode::from(1));
        }
    };
    // The command line acts as the operator, recorded in the audit log as `system`.
    let operator = Principal::system(school);
    let admin = operator.people_admin().context("the operator may not import")?;
    let report = store.apply_import(&admin, Origin::LOCAL, &plan).await.context("importing (nothing was imported)")?;
    store.close().await;
    println!(
        "{}: {} added, {} updated, {} unchanged, {} rejected",
        found.name, report.added, report.updated, report.unchanged, report.rejected
    );
    println!(
        "consents: {} written, {} kept (recorded in Gatehouse since the last import, and the file would widen them)",
        report.consents_changed, report.consents_kept
    );
    for rejected in &report.rejected_rows {
        println!("row {}: {}", rejected.row, rejected.reason);
    }
    Ok(ExitCode::SUCCESS)
}
