//! `gatehouse train`: fit the analyser's learned model for a label from labelled JSONL.
//!
//! The analyser library does the work (`analyse::model::Trainer`), so training prepares texts exactly
//! as analysis does; this module reads the files, picks the rows, prints the figures and writes the
//! weights. Training is deterministic: the same files and options give a byte-identical weights file.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use analyse::Label;
use analyse::corpus::{Row, is_held_out, parse_jsonl};
use analyse::model::{Counts, Measured, Options, Trainer};
use anyhow::{Context as _, bail};

#[derive(clap::Args)]
pub struct Args {
    /// Labelled JSONL files (`{"id", "text", "labels": [...]}` per line, as in ../shared/data).
    #[arg(long, required = true, num_args = 1.., value_name = "FILE")]
    data: Vec<PathBuf>,
    /// Labelled JSONL files whose rows are all used as negatives (texts from elsewhere known not to
    /// have the label), except those the label's rules alone already flag.
    #[arg(long, num_args = 1.., value_name = "FILE")]
    negatives: Vec<PathBuf>,
    /// Where to write the weights file (e.g. crates/analyse/model/abuse.bin).
    #[arg(long, value_name = "FILE", required_unless_present = "cross_validate")]
    out: Option<PathBuf>,
    /// The label the model learns: rows that have it are the positives.
    #[arg(long, default_value = "abuse", value_parser = parse_label)]
    label: Label,
    /// Leave out the rows `analyse::corpus::is_held_out(id, PERCENT)` picks, and measure on them.
    #[arg(long, value_name = "PERCENT", value_parser = clap::value_parser!(u64).range(1..100))]
    hold_out: Option<u64>,
    /// Measure by K-fold cross-validation on stable folds of the ids, printing each fold and the
    /// mean precision, recall and F1.
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u64).range(2..=20))]
    cross_validate: Option<u64>,
    /// The weight table has 2^BITS entries (default: the label's).
    #[arg(long, value_parser = clap::value_parser!(u8).range(8..=24))]
    bits: Option<u8>,
    /// L2 penalty (default: the label's).
    #[arg(long)]
    l2: Option<f64>,
    /// Full-batch gradient steps (default: the label's).
    #[arg(long)]
    iterations: Option<u32>,
    /// Probability at which the model's finding counts (default: the label's).
    #[arg(long)]
    threshold: Option<f32>,
    /// Weigh both classes equally (default: the label's).
    #[arg(long)]
    balanced: Option<bool>,
}

fn parse_label(s: &str) -> Result<Label, String> {
    let label = s.parse::<Label>().map_err(|e| e.to_string())?;
    if Trainer::supports(label) {
        Ok(label)
    } else {
        Err(format!("no model is trained for {label}; use abuse or spam"))
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let rows = read(&args.data)?;
    let negatives = if args.negatives.is_empty() { Vec::new() } else { read(&args.negatives)? };
    let negatives: Vec<&Row> = negatives.iter().collect();
    let opts = options(&args)?;
    let trainer = Trainer::new().context("building the analyser")?;
    let (held, train): (Vec<&Row>, Vec<&Row>) = match args.hold_out {
        Some(p) => rows.iter().partition(|r| is_held_out(&r.id, p)),
        None => (Vec::new(), rows.iter().collect()),
    };
    let positives = train.iter().filter(|r| r.labels.contains(&args.label)).count();
    println!(
        "{}: {} rows for training ({positives} {}), {} held out, {} extra negatives offered",
        args.label,
        train.len(),
        args.label,
        held.len(),
        negatives.len()
    );
    if let Some(k) = args.cross_validate {
        let folds = trainer.cross_validate(args.label, &train, &negatives, k, &opts)?;
        print!("{}", cross_validation_report(&folds));
    }
    if let Some(out) = &args.out {
        let model = trainer.train(args.label, &train, &negatives, &opts)?;
        let bytes = model.to_bytes();
        std::fs::write(out, &bytes).with_context(|| format!("writing {}", out.display()))?;
        println!("wrote {} ({} bytes, 2^{} weights)", out.display(), bytes.len(), model.bits());
        if !held.is_empty() {
            let m = trainer.measure(args.label, &model, &held)?;
            println!("held-out {}%: {}", args.hold_out.unwrap_or(0), figures(&m));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn read(files: &[PathBuf]) -> anyhow::Result<Vec<Row>> {
    let mut rows = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
        rows.extend(parse_jsonl(&text).with_context(|| file.display().to_string())?);
    }
    if rows.is_empty() {
        bail!("no rows in {}", files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>().join(", "));
    }
    Ok(rows)
}

fn options(args: &Args) -> anyhow::Result<Options> {
    let mut opts = Options::for_label(args.label);
    opts.bits = args.bits.unwrap_or(opts.bits);
    opts.l2 = args.l2.unwrap_or(opts.l2);
    opts.iterations = args.iterations.unwrap_or(opts.iterations);
    opts.threshold = args.threshold.unwrap_or(opts.threshold);
    opts.balanced = args.balanced.unwrap_or(opts.balanced);
    if !(opts.l2.is_finite() && opts.l2 >= 0.0) {
        bail!("--l2 must be a non-negative number");
    }
    if !(opts.threshold > 0.0 && opts.threshold < 1.0) {
        bail!("--threshold must be between 0 and 1");
    }
    Ok(opts)
}

fn cross_validation_report(folds: &[Measured]) -> String {
    let mut out = String::new();
    for (i, m) in folds.iter().enumerate() {
        let _ = writeln!(out, "fold {}/{}: {}", i + 1, folds.len(), figures(m));
    }
    let mean = |f: fn(&Counts) -> f64, pick: fn(&Measured) -> Counts| {
        folds.iter().map(|m| f(&pick(m))).sum::<f64>() / folds.len().max(1) as f64
    };
    let line = |pick: fn(&Measured) -> Counts| {
        format!(
            "P {:.3} R {:.3} F1 {:.3}",
            mean(Counts::precision, pick),
            mean(Counts::recall, pick),
            mean(Counts::f1, pick)
        )
    };
    let _ =
        writeln!(out, "mean: detector (rules + model) {} | model alone {}", line(|m| m.detector), line(|m| m.model));
    out
}

fn figures(m: &Measured) -> String {
    let f = |c: &Counts| format!("P {:.3} R {:.3} F1 {:.3}", c.precision(), c.recall(), c.f1());
    format!("detector (rules + model) {} | model alone {}", f(&m.detector), f(&m.model))
}
