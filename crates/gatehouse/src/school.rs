//! One school's configuration as the commands need it: the policy file, the roster, and the analyser
//! context built from them once.

use std::path::{Path, PathBuf};

use analyse::roster::Roster;
use anyhow::Context as _;

/// Where the policy and roster come from, as typed on the command line.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct SchoolArgs {
    /// The school's policy file (TOML). Defaults to the Dar ul Madinah example policy.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// The school's people: an MIS export (CSV with UPN, Forename, Surname, Preferred Forename,
    /// Consent: <use> columns) or JSON.
    #[arg(long, value_name = "FILE")]
    pub roster: Option<PathBuf>,
}

pub struct School {
    pub roster: Option<Roster>,
    pub context: analyse::Context,
}

impl SchoolArgs {
    pub fn load(&self) -> anyhow::Result<School> {
        let roster = self.roster.as_deref().map(load_roster).transpose()?;
        let mut context = analyse::Context::new(analyse::Settings::default()).context("building the analyser")?;
        if let Some(roster) = &roster {
            context = context.with_roster(roster);
        }
        Ok(School { roster, context })
    }
}

pub fn read(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

fn load_roster(path: &Path) -> anyhow::Result<Roster> {
    let text = read(path)?;
    let is_json = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let roster = if is_json { Roster::from_json(&text) } else { Roster::from_csv(&text) };
    roster.with_context(|| format!("reading the roster {}", path.display()))
}
