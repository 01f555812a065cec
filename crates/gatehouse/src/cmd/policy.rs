use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Validate a policy file.
    Check,
}

pub fn run(_command: Command) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not built yet")
}
