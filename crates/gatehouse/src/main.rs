//! `gatehouse`: the one binary. Each subcommand lives in its own module under `cmd/`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd;
mod memory;
mod school;

#[derive(Parser)]
#[command(name = "gatehouse", version, about = "A school's social media policy, put into practice.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyse comments or draft posts and explain what breaks the policy.
    Analyse(cmd::analyse::Args),
    /// Check a draft post against the will-not-post rules and consents; exit 1 if it must not go out.
    CheckPost(cmd::check_post::Args),
    /// Validate, lint or render a school's policy file.
    #[command(subcommand)]
    Policy(cmd::policy::Command),
    /// Train the learned part of the analyser from labelled JSONL.
    Train(cmd::train::Args),
    /// Measure the analyser against labelled JSONL: precision, recall and F1 per label and kind.
    Eval(cmd::eval::Args),
    /// Measure the analyser's throughput and latency on a mixed corpus.
    Bench(cmd::bench::Args),
    /// Run the server.
    Serve(cmd::serve::Args),
    /// Run the server on a fresh SQLite file with a generated demo school, printing how to sign in.
    Demo(cmd::demo::Args),
    /// Import data into a school (rosters from the MIS).
    #[command(subcommand)]
    Import(cmd::import::Command),
    /// Check or export the tamper-evident audit log.
    #[command(subcommand)]
    Audit(cmd::audit::Command),
}

fn main() -> ExitCode {
    memory::no_huge_pages();
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve(_) | Command::Demo(_)) {
        end_quietly_when_the_reader_stops();
    }
    let result = match cli.command {
        Command::Analyse(args) => cmd::analyse::run(args),
        Command::CheckPost(args) => cmd::check_post::run(args),
        Command::Policy(command) => cmd::policy::run(command),
        Command::Train(args) => cmd::train::run(args),
        Command::Eval(args) => cmd::eval::run(args),
        Command::Bench(args) => cmd::bench::run(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::Demo(args) => cmd::demo::run(args),
        Command::Import(command) => cmd::import::run(command),
        Command::Audit(command) => cmd::audit::run(command),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("gatehouse: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// `gatehouse analyse … | head` should end when `head` does, as Unix tools do. Rust ignores SIGPIPE,
/// which turns the closed pipe into a panic in `println!` or an error from the JSONL writer; the
/// signal's default action ends the process silently. Not for the server, whose clients may close
/// their connections whenever they like.
fn end_quietly_when_the_reader_stops() {
    #[cfg(unix)]
    // SAFETY: at start-up, before any thread is spawned; SIG_DFL is a valid action for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
