//! `gatehouse analyse`: explain texts given as arguments, or stream JSONL from stdin to stdout.
//!
//! The JSONL mode is the analyser's batch interface for other tools: exactly one output line per input
//! line, in order, so a caller can zip the two files. A line that cannot be read yields an error line
//! and processing goes on; nothing is dropped.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{BufRead, BufWriter, Write};
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::mpsc::{self, Receiver};

use analyse::{Analysis, Context};
use serde::{Deserialize, Serialize};
use serde_json::ser::{CompactFormatter, Formatter};
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
            stream(std::io::stdin().lock(), std::io::stdout(), &school.context)?;
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
struct ErrorLine<'a> {
    id: &'a RawValue,
    error: String,
}

/// Lines a worker takes at a time: enough that handing out work costs nothing beside the analysis,
/// few enough that every core has some while the stream is short. (At 128, on 200,000 mixed lines,
/// waking the threads took 7,200 context switches and 7% of the CPU time; at 512, 1,900; at 2,048
/// nothing more was saved.)
const PIECE: usize = 512;
/// Pieces read ahead of the writer, per worker. This bounds memory when the reader of our output is
/// slower than we are.
const AHEAD: usize = 8;

/// Read JSONL from `input`, write one result line per input line to `output`, using every core.
///
/// This thread reads pieces of [`PIECE`] lines and hands them to one worker per core; the workers
/// live for the whole stream (threads started per batch begin with cold caches and fresh memory that
/// the kernel must zero: under `perf` that was a tenth of the run), and a writer puts their answers
/// back in input order.
pub fn stream(mut input: impl BufRead, output: impl Write + Send, ctx: &Context) -> anyhow::Result<()> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (piece_tx, piece_rx) = mpsc::channel::<(usize, Vec<u8>)>();
    let piece_rx = Mutex::new(piece_rx);
    let (answer_tx, answer_rx) = mpsc::channel::<(usize, Vec<u8>)>();
    // A bounded channel used as a counting semaphore: a piece is read only when a place is free,
    // and the writer frees the place once the piece's answers are out.
    let (place_tx, place_rx) = mpsc::sync_channel::<()>(threads * AHEAD);
    std::thread::scope(|s| -> anyhow::Result<()> {
        let writer = s.spawn(move || write_in_order(output, answer_rx, place_rx));
        for _ in 0..threads {
            let answer_tx = answer_tx.clone();
            let piece_rx = &piece_rx;
            s.spawn(move || {
                loop {
                    let next = piece_rx.lock().expect("a worker panicked holding the queue").recv();
                    let Ok((i, piece)) = next else { return };
                    if answer_tx.send((i, answer_piece(&piece, ctx))).is_err() {
                        return; // the writer stopped on an error, which it reports
                    }
                }
            });
        }
        drop(answer_tx);
        let read = read_pieces(&mut input, |i, piece| place_tx.send(()).is_ok() && piece_tx.send((i, piece)).is_ok());
        drop(piece_tx);
        let written = writer.join().expect("the writer thread panicked");
        // A write error stops the reading too, so report it first.
        written.and(read.map_err(anyhow::Error::from))
    })
}

/// Read `input` into pieces of up to [`PIECE`] lines and hand each to `take` with its number, until
/// the input ends or `take` says stop.
fn read_pieces(input: &mut impl BufRead, mut take: impl FnMut(usize, Vec<u8>) -> bool) -> std::io::Result<()> {
    for i in 0.. {
        let mut piece = Vec::new();
        for _ in 0..PIECE {
            if input.read_until(b'\n', &mut piece)? == 0 {
                break;
            }
        }
        if piece.is_empty() || !take(i, piece) {
            break;
        }
    }
    Ok(())
}

/// The answers to one piece's lines.
fn answer_piece(piece: &[u8], ctx: &Context) -> Vec<u8> {
    // Answers are longer than their lines (four times, on ../shared/data): started a little above
    // that, the buffer is seldom copied as it grows (at twice, growing cost 1% of a run).
    let buf = Vec::with_capacity(5 * piece.len());
    piece.split_inclusive(|&b| b == b'\n').fold(buf, |buf, line| answer(line, ctx, buf))
}

/// Write answers to `output` in piece order as they arrive, freeing a reading place for each.
fn write_in_order(output: impl Write, answers: Receiver<(usize, Vec<u8>)>, places: Receiver<()>) -> anyhow::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 16, output);
    let mut early = BTreeMap::new();
    let mut next = 0;
    for (i, answer) in answers {
        early.insert(i, answer);
        while let Some(answer) = early.remove(&next) {
            out.write_all(&answer)?;
            next += 1;
            let _ = places.try_recv();
        }
    }
    out.flush()?;
    Ok(())
}

/// Append the answer for one input line to `buf`.
fn answer(line: &[u8], ctx: &Context, mut buf: Vec<u8>) -> Vec<u8> {
    // Borrowed when the line is UTF-8; otherwise only the id is read from it. Checked first by
    // `from_utf8`, which reads ASCII a word at a time, where `from_utf8_lossy` goes by characters.
    let text = std::str::from_utf8(line).map_or_else(|_| String::from_utf8_lossy(line), Cow::Borrowed);
    let line = text.trim_end_matches(['\n', '\r']);
    let null = || serde_json::from_str::<&RawValue>("null").expect("null is JSON");
    let input = match text {
        Cow::Borrowed(_) => serde_json::from_str::<Input>(line).map_err(|err| err.to_string()),
        Cow::Owned(_) => Err("the line is not UTF-8, as JSON must be".to_string()),
    };
    match input {
        Ok(input) => {
            let analysis = analyse::analyse(&input.text, ctx);
            write_output(&mut buf, input.id.unwrap_or_else(null), &analysis);
        }
        Err(error) => {
            let id = serde_json::from_str::<IdOnly>(line).ok().and_then(|i| i.id).unwrap_or_else(null);
            let error = if line.trim().is_empty() { "empty line".to_string() } else { error };
            serde_json::to_writer(&mut buf, &ErrorLine { id, error }).expect("writing to a Vec cannot fail");
        }
    }
    buf.push(b'\n');
    buf
}

/// Append the answer line for an analysis, as serde_json would write
/// `{"id", "labels", "findings": [{"label", "kind", "clause", "score", "start", "end", "evidence"}]}`.
///
/// Written directly rather than through serde's derived serializers: for tweets, which have a few
/// findings each, that machinery was 8% of the whole run's instructions, and this takes about
/// half of that. The test below holds it to serde's bytes.
fn write_output(buf: &mut Vec<u8>, id: &RawValue, analysis: &Analysis) {
    let mut number = CompactFormatter;
    buf.extend_from_slice(b"{\"id\":");
    buf.extend_from_slice(id.get().as_bytes());
    buf.extend_from_slice(b",\"labels\":[");
    for (i, label) in analysis.labels().into_iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        push_str(buf, label.as_str());
    }
    buf.extend_from_slice(b"],\"findings\":[");
    for (i, f) in analysis.findings.iter().enumerate() {
        buf.extend_from_slice(if i == 0 { b"{\"label\":" } else { b",{\"label\":" });
        push_str(buf, f.label.as_str());
        buf.extend_from_slice(b",\"kind\":");
        push_str(buf, &f.kind);
        buf.extend_from_slice(b",\"clause\":");
        push_str(buf, f.clause);
        buf.extend_from_slice(b",\"score\":");
        let score = (f.score * 1000.0).round() / 1000.0;
        // serde_json writes a float that is not finite as null.
        if score.is_finite() {
            number.write_f32(buf, score).expect("writing to a Vec cannot fail");
        } else {
            buf.extend_from_slice(b"null");
        }
        buf.extend_from_slice(b",\"start\":");
        number.write_u64(buf, f.start as u64).expect("writing to a Vec cannot fail");
        buf.extend_from_slice(b",\"end\":");
        number.write_u64(buf, f.end as u64).expect("writing to a Vec cannot fail");
        buf.extend_from_slice(b",\"evidence\":");
        push_str(buf, &f.evidence);
        buf.push(b'}');
    }
    buf.extend_from_slice(b"]}");
}

/// Append `s` as a JSON string. Most strings need no escape and are copied between quotes; the rest
/// go to serde_json, whose escapes (control characters, quote and backslash only) are the standard.
fn push_str(buf: &mut Vec<u8>, s: &str) {
    // Sixteen bytes at a time without stopping early, which the compiler turns into vector compares.
    let plain =
        s.as_bytes().chunks(16).all(|c| !c.iter().fold(false, |e, &b| e | (b < 0x20) | (b == b'"') | (b == b'\\')));
    if plain {
        buf.reserve(s.len() + 2);
        buf.push(b'"');
        buf.extend_from_slice(s.as_bytes());
        buf.push(b'"');
    } else {
        serde_json::to_writer(buf, s).expect("writing to a Vec cannot fail");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use analyse::Label;

    fn run_stream(input: &[u8]) -> Vec<serde_json::Value> {
        let ctx = Context::new(analyse::Settings::default()).unwrap();
        let mut out = Vec::new();
        stream(input, &mut out, &ctx).unwrap();
        String::from_utf8(out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    }

    /// What `write_output` must write, as serde derives it.
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

    #[test]
    fn answers_are_written_as_serde_would() {
        let ctx = Context::new(analyse::Settings::default()).unwrap();
        let texts = [
            "hello",
            "ring me on 07700 900 123 or email jo@example.com",
            "you stupid \"idiot\" \\ fuck off\tnow",
            "Dear Mrs Smith, vote Labour! buy now at https://shop.example.com \u{1}",
            "",
        ];
        for text in texts {
            let mut analysis = analyse::analyse(text, &ctx);
            // Scores and evidence beyond what the analyser writes today: escapes, and no float.
            if let Some(f) = analysis.findings.first_mut() {
                f.evidence.push_str(" \"quoted\" \\ \n\u{7f} é");
                f.score = f32::NAN;
            }
            let id = serde_json::from_str::<&RawValue>("{\"a\": [1, 2]}").unwrap();
            let mut ours = Vec::new();
            write_output(&mut ours, id, &analysis);
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
            let serde = serde_json::to_vec(&Output { id, labels: analysis.labels(), findings }).unwrap();
            assert_eq!(String::from_utf8(ours).unwrap(), String::from_utf8(serde).unwrap(), "{text:?}");
        }
    }

    #[test]
    fn strings_are_escaped_as_serde_escapes_them() {
        let mut texts: Vec<String> = (0u8..0x80).map(|b| format!("a{}b", char::from(b))).collect();
        texts.extend(["", "\"", "\\", "plain", "é ünïcödé \u{2028} 😀", "\u{7f}\u{80}\u{9f}"].map(String::from));
        texts.push(format!("{}\"{}\\{}\u{1}", "x".repeat(31), "y".repeat(16), "z".repeat(40)));
        for text in texts {
            let mut ours = Vec::new();
            push_str(&mut ours, &text);
            assert_eq!(String::from_utf8(ours).unwrap(), serde_json::to_string(&text).unwrap(), "{text:?}");
        }
    }

    #[test]
    fn one_line_out_per_line_in_with_ids_as_given() {
        let out = run_stream(b"{\"id\": 1, \"text\": \"hello\"}\n{\"id\": \"b\", \"text\": \"hi\", \"extra\": true}\n");
        assert_eq!(out.len(), 2);
        assert_eq!(out[0]["id"], 1);
        assert_eq!(out[1]["id"], "b");
        assert_eq!(out[0]["labels"], serde_json::json!([]));
    }

    #[test]
    fn malformed_lines_get_an_error_and_processing_goes_on() {
        let out = run_stream(b"not json\n{\"id\": 7}\n\n{\"id\": 8, \"text\": 5}\n{\"id\": 9, \"text\": \"ok\"}\n");
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
    fn a_line_that_is_not_utf8_gets_an_error_with_its_id() {
        let out = run_stream(b"{\"id\": 3, \"text\": \"caf\xe9\"}\n{\"id\": 4, \"text\": \"ok\"}");
        assert_eq!(out.len(), 2);
        assert_eq!(out[0]["id"], 3);
        assert!(out[0]["error"].as_str().unwrap().contains("UTF-8"));
        assert_eq!(out[1]["id"], 4);
        assert!(out[1].get("error").is_none());
    }

    #[test]
    fn order_is_kept_across_pieces() {
        let lines = PIECE * AHEAD * 4 + 17;
        let input: String = (0..lines).map(|i| format!("{{\"id\": {i}, \"text\": \"t{i}\"}}\n")).collect();
        let out = run_stream(input.as_bytes());
        assert_eq!(out.len(), lines);
        assert!(out.iter().enumerate().all(|(i, v)| v["id"] == i));
    }
}
