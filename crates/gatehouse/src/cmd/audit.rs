use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Not built yet.
    Placeholder,
}

pub fn run(_command: Command) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not built yet")
}
