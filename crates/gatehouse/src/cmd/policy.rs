//! `gatehouse policy check|lint|render`: the school's policy file, validated, linted and rendered.
//!
//! The policy crate does the work without I/O; this module reads the file, reads the clock, prints
//! and chooses the exit code.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Context as _;
use policy::{Date, Format, Policy, Severity};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Validate a policy file: print `ok` and a summary, or each problem as
    /// `file:line:column: field: problem` and exit 1.
    Check(CheckArgs),
    /// Report what a careful governor would notice: unfilled template lines, an overdue review,
    /// headings that name the wrong platform, labels with no action, and more. Each finding has a
    /// severity and a clause ID. Exits 0 unless --deny-warnings is given and there are warnings or
    /// errors; exits 1 if the file is not valid.
    Lint(LintArgs),
    /// Render the whole policy document from the file, in the order of the seed policy (sections
    /// 1–8), to standard output.
    Render(RenderArgs),
}

#[derive(clap::Args)]
pub struct CheckArgs {
    /// The policy file (TOML), e.g. examples/dar-ul-madinah/policy.toml.
    file: PathBuf,
}

#[derive(clap::Args)]
pub struct LintArgs {
    /// The policy file (TOML).
    file: PathBuf,
    /// The date to judge review dates against, instead of today's (UTC).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    today: Option<Date>,
    /// Exit 1 if there is any warning or error.
    #[arg(long)]
    deny_warnings: bool,
}

#[derive(clap::Args)]
pub struct RenderArgs {
    /// The policy file (TOML).
    file: PathBuf,
    /// What to render: Markdown, or an accessible HTML page.
    #[arg(long, value_enum, default_value = "markdown")]
    format: FormatArg,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    Markdown,
    Html,
}

pub fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Check(args) => check(&args),
        Command::Lint(args) => lint(&args),
        Command::Render(args) => render(&args),
    }
}

fn parse_date(s: &str) -> Result<Date, String> {
    s.parse::<Date>().map_err(|e| e.to_string())
}

/// Read and parse the file. `Ok(Err(code))` when the file is not a valid policy: its problems are
/// already printed and the caller exits with `code`.
fn load(file: &Path) -> anyhow::Result<Result<Policy, ExitCode>> {
    let source = std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    match Policy::parse(&source, &file.display().to_string()) {
        Ok(policy) => Ok(Ok(policy)),
        Err(err) => {
            let mut out = std::io::stdout().lock();
            for d in &err.diagnostics {
                writeln!(out, "{d}")?;
            }
            let n = err.diagnostics.len();
            writeln!(out, "{n} problem{} in {}", if n == 1 { "" } else { "s" }, file.display())?;
            Ok(Err(ExitCode::FAILURE))
        }
    }
}

fn check(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let policy = match load(&args.file)? {
        Ok(policy) => policy,
        Err(code) => return Ok(code),
    };
    println!("ok: {}", args.file.display());
    println!("{}", summary(&policy));
    Ok(ExitCode::SUCCESS)
}

fn summary(p: &Policy) -> String {
    let actions = p.moderation.rules.iter().filter(|r| r.action.is_some()).count();
    let terms = |groups: &[policy::TermGroup]| groups.iter().map(|g| g.terms.len()).sum::<usize>();
    format!(
        "{school}: approved by the {by} on {approved}, next review due by {next}\n\
         {channels} channel(s), {placeholders} unfilled channel line(s)\n\
         {categories} post categories, {rules} will-not-post rules\n\
         {actions} labels with a moderation action, response target {minutes} minutes, block after {strikes} strikes in {window} days\n\
         {ethos} ethos terms, {political} political terms, {suppliers} allow-listed suppliers\n\
         {training} kinds of training, {related} related policies, {templates} reply templates",
        school = p.school.name,
        by = p.approval.approved_by,
        approved = p.approval.date,
        next = p.review.next_review,
        channels = p.channels.len(),
        placeholders = p.placeholders.len(),
        categories = p.categories.len(),
        rules = p.will_not_post.len(),
        minutes = p.moderation.response_target_minutes,
        strikes = p.strikes.threshold,
        window = p.strikes.window_days,
        ethos = terms(&p.lexicon.ethos),
        political = terms(&p.lexicon.political),
        suppliers = p.suppliers.len(),
        training = p.training.kinds.len(),
        related = p.related_policies.len(),
        templates = p.reply_templates.len(),
    )
}

fn lint(args: &LintArgs) -> anyhow::Result<ExitCode> {
    let today = match args.today {
        Some(date) => date,
        None => today_utc()?,
    };
    let policy = match load(&args.file)? {
        Ok(policy) => policy,
        Err(code) => return Ok(code),
    };
    let findings = policy::lint(&policy, today);
    let mut out = std::io::stdout().lock();
    for f in &findings {
        writeln!(out, "{}:{f}", policy.file())?;
    }
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let (errors, warnings, infos) = (count(Severity::Error), count(Severity::Warning), count(Severity::Info));
    writeln!(out, "{errors} error(s), {warnings} warning(s), {infos} info as of {today}")?;
    let denied = args.deny_warnings && errors + warnings > 0;
    Ok(if denied { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

fn render(args: &RenderArgs) -> anyhow::Result<ExitCode> {
    let policy = match load(&args.file)? {
        Ok(policy) => policy,
        Err(code) => return Ok(code),
    };
    let format = match args.format {
        FormatArg::Markdown => Format::Markdown,
        FormatArg::Html => Format::Html,
    };
    std::io::stdout().lock().write_all(policy::render(&policy, format).as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

fn today_utc() -> anyhow::Result<Date> {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).context("the system clock is before 1970")?.as_secs();
    let days = i64::try_from(secs / 86_400).context("the system clock is out of range")?;
    Date::from_unix_days(days).context("the system clock is out of range")
}
