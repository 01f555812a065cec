//! `gatehouse eval`: precision, recall and F1 of the analyser on labelled JSONL.

use std::path::PathBuf;
use std::process::ExitCode;

use analyse::eval::{Counts, Report, evaluate};
use analyse::{Analysis, corpus};
use anyhow::Context as _;

use crate::school::{SchoolArgs, read};

#[derive(clap::Args)]
pub struct Args {
    /// Labelled JSONL files (`{"id", "text", "labels", "spans"}`); each is scored on its own.
    #[arg(long, required = true, num_args = 1.., value_name = "FILE")]
    data: Vec<PathBuf>,
    /// Score only the held-out part of each file: the rows that `gatehouse train --hold-out` kept aside.
    #[arg(long, value_name = "PERCENT", value_parser = clap::value_parser!(u64).range(1..=99))]
    held_out: Option<u64>,
    /// Print up to N texts the analyser got wrong, per label.
    #[arg(long, value_name = "N", default_value_t = 0)]
    errors: usize,
    #[command(flatten)]
    school: SchoolArgs,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let school = args.school.load()?;
    for path in &args.data {
        let rows = corpus::parse_jsonl(&read(path)?).with_context(|| format!("reading {}", path.display()))?;
        let rows: Vec<corpus::Row> =
            rows.into_iter().filter(|r| args.held_out.is_none_or(|p| corpus::is_held_out(&r.id, p))).collect();
        let analyses: Vec<Analysis> = rows.iter().map(|r| analyse::analyse(&r.text, &school.context)).collect();
        let report = evaluate(&rows, &analyses);
        let part = args.held_out.map(|p| format!(", held-out {p}%")).unwrap_or_default();
        println!("{} ({} rows{part})", path.display(), report.rows);
        print_report(&report);
        if args.errors > 0 {
            print_errors(&rows, &analyses, &report, args.errors);
        }
        println!();
    }
    Ok(ExitCode::SUCCESS)
}

fn print_report(report: &Report) {
    println!("  {:<33} {:>9} {:>7} {:>7} {:>6} {:>6} {:>6}", "", "precision", "recall", "f1", "tp", "fp", "fn");
    for (label, c) in &report.labels {
        print_counts(&label.to_string(), c);
    }
    for (kind, c) in &report.kinds {
        print_counts(&format!("personal_info/{kind} (rows)"), c);
    }
    for (kind, c) in &report.kind_spans {
        print_counts(&format!("personal_info/{kind} (spans)"), c);
    }
}

fn print_counts(name: &str, c: &Counts) {
    println!(
        "  {:<33} {:>9.3} {:>7.3} {:>7.3} {:>6} {:>6} {:>6}",
        name,
        c.precision(),
        c.recall(),
        c.f1(),
        c.tp,
        c.fp,
        c.fn_
    );
}

fn print_errors(rows: &[corpus::Row], analyses: &[Analysis], report: &Report, limit: usize) {
    for &label in report.labels.keys() {
        let wrong = rows.iter().zip(analyses).filter(|(r, a)| a.has(label) != r.labels.contains(&label));
        for (row, analysis) in wrong.take(limit) {
            let verdict = if analysis.has(label) { "false positive" } else { "false negative" };
            println!("  {label} {verdict} {}: {:?}", row.id, row.text);
            for line in analysis.explain(&row.text).lines() {
                println!("      {line}");
            }
        }
    }
}
