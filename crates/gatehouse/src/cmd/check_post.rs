//! `gatehouse check-post`: may this draft go out? Exit 0 if so, 1 if it must not.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use policy::post::{Draft, PostCheck, Severity, check_post};

use crate::school::{SchoolArgs, read};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    #[default]
    Text,
    Json,
}

#[derive(clap::Args)]
#[command(
    after_help = "The draft is JSON: {\"text\": \"…\", \"channel\": \"facebook_page\", \"category\": \"achievements\", \
                        \"people_in_photos\": [\"A123\"]}. The roster carries consents (name_online, photo_online)."
)]
pub struct Args {
    #[command(flatten)]
    school: SchoolArgs,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    /// The draft post as JSON, or `-` for stdin.
    #[arg(value_name = "FILE|-")]
    draft: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let school = args.school.load()?;
    let source = if args.draft.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).context("reading the draft from stdin")?;
        s
    } else {
        read(&args.draft)?
    };
    let draft: Draft = serde_json::from_str(&source).context("the draft is not valid")?;
    let analysis = analyse::analyse(&draft.text, &school.context);
    let check = check_post(&draft, &analysis, &school.policy, school.roster.as_ref());
    match args.format {
        Format::Text => print_text(&check),
        Format::Json => println!("{}", serde_json::to_string_pretty(&check)?),
    }
    Ok(if check.blocked() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn print_text(check: &PostCheck) {
    for f in &check.findings {
        let severity = match f.severity {
            Severity::Block => "BLOCK ",
            Severity::Review => "REVIEW",
        };
        println!("{severity} {} {}", f.clause, f.message);
        println!("       policy: {}", f.rule);
    }
    let blocking = check.findings.iter().filter(|f| f.severity == Severity::Block).count();
    match (blocking, check.findings.len()) {
        (0, 0) => println!("verdict: may go out"),
        (0, n) => println!("verdict: may go out once a person has looked at {n} point(s)"),
        (b, _) => println!("verdict: must not go out ({b} blocking finding(s))"),
    }
}
