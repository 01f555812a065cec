//! `gatehouse analyse`: explain texts given as arguments, or stream JSONL from stdin to stdout.
//!
//! The JSONL mode is the analyser's batch interface for other tools: exactly one output line per input
//! line, in order, so a caller can zip the two files. A line that cannot be read yields an error line
//! and processing goes on; nothing is dropped.

use std::borrow::Cow;
use std::io::{BufRead, BufWriter, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

use analyse::{Analysis, Context, Label};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::school::SchoolArgs;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A readable explanation of each text.
    #[default]
    Text,
    /// One JSON object per line, from `{"id", "text"}` lines on stdin.
    Jsonl,
}

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    school: SchoolArgs,
    /// Output format; `jsonl` reads `{"id": …, "text": …}` lines from stdin.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    /// Texts to analyse (with `--format text`).
    #[arg(value_name = "TEXT")]
    texts: Vec<String>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let school = args.school.load()?;
    match args.format {
        Format::Text => {
            if args.texts.is_empty() {
                anyhow::bail!("give one or more texts to analyse, or --format jsonl to read JSON lines from stdin");
            }
            explain_texts(&args.texts, &school.context);
        }
        Format::Jsonl => {
            if !args.texts.is_empty() {
                anyhow::bail!("--format jsonl reads from stdin; texts given as arguments would be ignored");
            }
            stream(std::io::stdin().lock(), std::io::stdout().lock(), &school.context)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn explain_texts(texts: &[String], ctx: &Context) {
    for (i, text) in texts.iter().enumerate() {
        if i > 0 {
            println!();
        }
        let analysis = analyse::analyse(text, ctx);
        let labels: Vec<&str> = analysis.labels().iter().map(|l| l.as_str()).collect();
        println!("text: {text:?}");
        println!("labels: {}", if labels.is_empty() { "none".to_string() } else { labels.join(", ") });
        print!("{}", analysis.explain(text));
    }
}

#[derive(Deserialize)]
struct Input<'a> {
    #[serde(borrow)]
    id: Option<&'a RawValue>,
    #[serde(borrow)]
    text: Cow<'a, str>,
}

/// Just the id, to label an error line when the rest of the line is wrong.
#[derive(Deserialize)]
struct IdOnly<'a> {
    #[serde(borrow)]
    id: Option<&'a RawValue>,
}

#[derive(Serialize)]
struct Output<'a> {
    id: &'a RawValue,
    labels: Vec<Label>,
    findings: Vec<OutFinding<'a>>,
}

#[derive(Serialize)]
struct OutFinding<'a> {
    label: Label,
    kind: &'a str,
    clause: &'a str,
    score: f32,
    start: usize,
    end: usize,
    evidence: &'a str,
}

#[derive(Serialize)]
struct ErrorLine<'a> {
    id: &'a RawValue,
    error: String,
}

/// Lines analysed per batch: enough to keep every core busy, few enough to stream.
const BATCH: usize = 8192;
/// Lines a worker takes at a time.
const PIECE: usize = 128;

/// Read JSONL from `input`, write one result line per input line to `output`, using every core.
///
/// Each batch is cut into small pieces that the workers take in turn, so that none waits idle while
/// another finishes a half of the batch that happened to hold the long texts; and while they work,
/// this thread reads the next batch.
pub fn stream(mut input: impl BufRead, output: impl Write, ctx: &Context) -> anyhow::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 16, output);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut lines = read_batch(&mut input)?;
    while !lines.is_empty() {
        let pieces: Vec<&[String]> = lines.chunks(PIECE).collect();
        let taken = AtomicUsize::new(0);
        let (mut answered, next) = std::thread::scope(|s| -> anyhow::Result<_> {
            let workers: Vec<_> = (0..threads.min(pieces.len()))
                .map(|_| {
                    s.spawn(|| {
                        let mut answered = Vec::new();
                        loop {
                            let i = taken.fetch_add(1, Ordering::Relaxed);
                            let Some(piece) = pieces.get(i) else { return answered };
                            // Answers are longer than their lines (four times, on ../shared/data):
                            // started near that, the buffer is copied once or twice as it grows,
                            // not a dozen times from empty.
                            let buf = Vec::with_capacity(2 * piece.iter().map(String::len).sum::<usize>());
                            answered.push((i, piece.iter().fold(buf, |buf, l| answer(l, ctx, buf))));
                        }
                    })
                })
                .collect();
            let next = read_batch(&mut input)?;
            let answered: Vec<(usize, Vec<u8>)> =
                workers.into_iter().flat_map(|w| w.join().expect("an analysis thread panicked")).collect();
            Ok((answered, next))
        })?;
        answered.sort_unstable_by_key(|(i, _)| *i);
        for (_, part) in answered {
            out.write_all(&part)?;
        }
        lines = next;
    }
    out.flush()?;
    Ok(())
}

/// Up to [`BATCH`] lines, fewer only at the end of the input.
fn read_batch(input: &mut impl BufRead) -> std::io::Result<Vec<String>> {
    let mut lines = Vec::with_capacity(BATCH);
    let mut line = String::new();
    while lines.len() < BATCH && input.read_line(&mut line)? > 0 {
        lines.push(std::mem::take(&mut line));
    }
    Ok(lines)
}

/// Append the answer for one input line to `buf`.
fn answer(line: &str, ctx: &Context, mut buf: Vec<u8>) -> Vec<u8> {
    let line = line.trim_end_matches(['\n', '\r']);
    let null = || serde_json::from_str::<&RawValue>("null").expect("null is JSON");
    match serde_json::from_str::<Input>(line) {
        Ok(input) => {
            let analysis = analyse::analyse(&input.text, ctx);
            write_output(&mut buf, input.id.unwrap_or_else(null), &analysis);
        }
        Err(err) => {
            let id = serde_json::from_str::<IdOnly>(line).ok().and_then(|i| i.id).unwrap_or_else(null);
            let error = if line.trim().is_empty() { "empty line".to_string() } else { err.to_string() };
            serde_json::to_writer(&mut buf, &ErrorLine { id, error }).expect("writing to a Vec cannot fail");
        }
    }
    buf.push(b'\n');
    buf
}

fn write_output(buf: &mut Vec<u8>, id: &RawValue, analysis: &Analysis) {
    let findings = analysis
        .findings
        .iter()
        .map(|f| OutFinding {
            label: f.label,
            kind: &f.kind,
            clause: f.clause,
            score: (f.score * 1000.0).round() / 1000.0,
            start: f.start,
            end: f.end,
            evidence: &f.evidence,
        })
        .collect();
    let output = Output { id, labels: analysis.labels(), findings };
    serde_json::to_writer(buf, &output).expect("writing to a Vec cannot fail");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_stream(input: &str) -> Vec<serde_json::Value> {
        let ctx = Context::new(analyse::Settings::default()).unwrap();
        let mut out = Vec::new();
        stream(input.as_bytes(), &mut out, &ctx).unwrap();
        String::from_utf8(out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    }

    #[test]
    fn one_line_out_per_line_in_with_ids_as_given() {
        let out = run_stream("{\"id\": 1, \"text\": \"hello\"}\n{\"id\": \"b\", \"text\": \"hi\", \"extra\": true}\n");
        assert_eq!(out.len(), 2);
        assert_eq!(out[0]["id"], 1);
        assert_eq!(out[1]["id"], "b");
        assert_eq!(out[0]["labels"], serde_json::json!([]));
    }

    #[test]
    fn malformed_lines_get_an_error_and_processing_goes_on() {
        let out = run_stream("not json\n{\"id\": 7}\n\n{\"id\": 8, \"text\": 5}\n{\"id\": 9, \"text\": \"ok\"}\n");
        assert_eq!(out.len(), 5);
        assert_eq!(out[0]["id"], serde_json::Value::Null);
        assert!(out[0]["error"].as_str().unwrap().contains("expected"));
        assert_eq!(out[1]["id"], 7);
        assert!(out[1]["error"].as_str().unwrap().contains("text"));
        assert_eq!(out[2]["error"], "empty line");
        assert_eq!(out[3]["id"], 8);
        assert!(out[3]["error"].is_string());
        assert_eq!(out[4]["id"], 9);
        assert!(out[4].get("error").is_none());
    }

    #[test]
    fn order_is_kept_across_batches() {
        let input: String = (0..(BATCH * 2 + 17)).map(|i| format!("{{\"id\": {i}, \"text\": \"t{i}\"}}\n")).collect();
        let out = run_stream(&input);
        assert_eq!(out.len(), BATCH * 2 + 17);
        assert!(out.iter().enumerate().all(|(i, v)| v["id"] == i));
    }
}
