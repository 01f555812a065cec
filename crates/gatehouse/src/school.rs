//! One school's configuration as the commands need it: the policy file, the roster, and the analyser
//! context built from them once.

use std::path::{Path, PathBuf};

use analyse::roster::Roster;
use anyhow::Context as _;

/// The Dar ul Madinah example policy, compiled in so that `gatehouse analyse` works from any directory.
const EXAMPLE_POLICY: &str = include_str!("../../../examples/dar-ul-madinah/policy.toml");
const EXAMPLE_POLICY_NAME: &str = "examples/dar-ul-madinah/policy.toml";

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
    pub policy: policy::Policy,
    pub roster: Option<Roster>,
    pub context: analyse::Context,
}

impl SchoolArgs {
    pub fn load(&self) -> anyhow::Result<School> {
        let policy = match &self.policy {
            Some(path) => parse_policy(&read(path)?, &path.display().to_string())?,
            None => parse_policy(EXAMPLE_POLICY, EXAMPLE_POLICY_NAME)?,
        };
        let roster = self.roster.as_deref().map(load_roster).transpose()?;
        let mut context = analyse::Context::new(policy.analyser_settings()).context("building the analyser")?;
        if let Some(roster) = &roster {
            context = context.with_roster(roster);
        }
        Ok(School { policy, roster, context })
    }
}

fn parse_policy(source: &str, name: &str) -> anyhow::Result<policy::Policy> {
    policy::Policy::parse(source, name).map_err(|errors| anyhow::anyhow!("the policy file is not valid:\n{errors}"))
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
