//! `gatehouse audit verify` and `gatehouse audit export`: the tamper-evident audit log (P7.1).
//!
//! Verify walks every school's hash chain and compares its end with the head the database keeps: exit 0
//! with the number of entries checked, or exit 1 naming the first broken entry (school, seq, what is
//! wrong). Both commands only read: they never migrate the database.

use std::process::ExitCode;

use anyhow::Context as _;
use school::access::{Principal, SchoolId};
use store::{ExportFormat, Store};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Check every school's hash chain; exit 1 naming the first broken entry.
    Verify {
        /// The database: `sqlite://FILE` or `postgres://user@host/db`.
        #[arg(long, env = "GATEHOUSE_DATABASE_URL", value_name = "URL", hide_env_values = true)]
        database: String,
    },
    /// Write the audit log to standard output, oldest first.
    Export {
        /// The database: `sqlite://FILE` or `postgres://user@host/db`.
        #[arg(long, env = "GATEHOUSE_DATABASE_URL", value_name = "URL", hide_env_values = true)]
        database: String,
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
        /// Only this school (its id); every school when left out.
        #[arg(long, value_name = "ID")]
        school: Option<String>,
    },
}

/// Export formats.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Csv,
    Json,
}

pub fn run(command: Command) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().context("starting tokio")?;
    runtime.block_on(async {
        match command {
            Command::Verify { database } => verify(&database).await,
            Command::Export { database, format, school } => export(&database, format, school).await,
        }
    })
}

async fn verify(database: &str) -> anyhow::Result<ExitCode> {
    let store = Store::connect(database).await.context("connecting to the database")?;
    let result = store.verify_audit().await.context("reading the audit log")?;
    store.close().await;
    match result {
        Ok(verified) => {
            println!("audit log intact: {} entries checked in {} schools", verified.entries, verified.schools);
            Ok(ExitCode::SUCCESS)
        }
        Err(broken) => {
            eprintln!("audit log broken: {broken}");
            Ok(ExitCode::from(1))
        }
    }
}

async fn export(database: &str, format: Format, school: Option<String>) -> anyhow::Result<ExitCode> {
    let store = Store::connect(database).await.context("connecting to the database")?;
    let format = match format {
        Format::Csv => ExportFormat::Csv,
        Format::Json => ExportFormat::Json,
    };
    let mut out = std::io::BufWriter::new(std::io::stdout());
    match school {
        Some(id) => {
            let school = SchoolId(id);
            store.school(&school).await.with_context(|| format!("finding school {}", school.0))?;
            let operator = Principal::system(school);
            let reader = operator.audit_reader().context("the operator may not read the audit log")?;
            store.export_audit(&reader, format, &mut out).await?;
        }
        None => {
            store.export_all_audit(format, &mut out).await?;
        }
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
