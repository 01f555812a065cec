//! `gatehouse bench`: the analyser's speed and memory, measured and printed.
//!
//! Targets (issue 2): at least 300,000 comments a second on one core for 100–300-byte comments with
//! every detector on, and analyser indexes for a 600-person roster under 20 MB. Tests never assert on
//! time; this command is where the figures come from.
//!
//! The corpus is generated, not read from disk, so the bench runs the same on any machine: comments
//! of 100–300 bytes mixing ordinary parent comments with every kind of thing the analyser looks for,
//! drawn by a fixed-seed generator. `--data` measures on real text instead.

use std::hint::black_box;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use analyse::Context;
use analyse::roster::{Consent, Person, Role, Roster};
use anyhow::Context as _;

use crate::memory;
use crate::school::{SchoolArgs, read};

#[derive(clap::Args)]
pub struct Args {
    /// How many comments to generate.
    #[arg(long, default_value_t = 20_000)]
    comments: usize,
    /// Seconds to spend on the throughput measurement.
    #[arg(long, default_value_t = 3.0)]
    seconds: f64,
    /// Measure on the texts of these JSONL files (`{"text": …}` per line) instead of generated ones.
    #[arg(long, value_name = "FILE")]
    data: Vec<PathBuf>,
    /// The size of the generated roster whose name index is measured.
    #[arg(long, default_value_t = 600)]
    roster_size: usize,
    #[command(flatten)]
    school: SchoolArgs,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let school = args.school.load()?;
    let roster = generated_roster(args.roster_size);
    let (ctx, context_bytes) = memory::retained(|| Context::new(school.policy.analyser_settings()));
    let (ctx, roster_bytes) = memory::retained(|| ctx.map(|ctx| ctx.with_roster(&roster)));
    let ctx = ctx?;
    let corpus = if args.data.is_empty() { generated_corpus(args.comments) } else { texts_of(&args.data)? };
    anyhow::ensure!(!corpus.is_empty(), "no texts to measure");
    let bytes: usize = corpus.iter().map(String::len).sum();
    println!(
        "corpus: {} comments, {} to {} bytes, mean {} bytes",
        corpus.len(),
        corpus.iter().map(String::len).min().unwrap_or(0),
        corpus.iter().map(String::len).max().unwrap_or(0),
        bytes / corpus.len()
    );
    println!(
        "analyser indexes: {:.1} MB for the lexicons, detectors and models, {:.2} MB for a {}-person roster",
        context_bytes as f64 / 1e6,
        roster_bytes as f64 / 1e6,
        roster.people.len(),
    );
    let (rate, mb) = throughput(&corpus, &ctx, Duration::from_secs_f64(args.seconds));
    println!("throughput, one core, every detector on: {rate:.0} comments/s ({mb:.1} MB/s)");
    let latencies = latencies(&corpus, &ctx);
    println!(
        "latency per comment: p50 {} p90 {} p99 {} p99.9 {} max {}",
        micros(percentile(&latencies, 50.0)),
        micros(percentile(&latencies, 90.0)),
        micros(percentile(&latencies, 99.0)),
        micros(percentile(&latencies, 99.9)),
        micros(*latencies.last().unwrap_or(&Duration::ZERO)),
    );
    let flagged = corpus.iter().filter(|t| !analyse::analyse(t, &ctx).labels().is_empty()).count();
    println!("comments with at least one label: {flagged} of {}", corpus.len());
    Ok(ExitCode::SUCCESS)
}

/// Analyse the corpus over and over on this one thread for about `budget`.
fn throughput(corpus: &[String], ctx: &Context, budget: Duration) -> (f64, f64) {
    // Warm caches and the allocator first.
    for t in corpus.iter().take(1000) {
        black_box(analyse::analyse(t, ctx));
    }
    let start = Instant::now();
    let (mut n, mut bytes) = (0usize, 0usize);
    while start.elapsed() < budget {
        for t in corpus {
            black_box(analyse::analyse(black_box(t), ctx));
        }
        n += corpus.len();
        bytes += corpus.iter().map(String::len).sum::<usize>();
    }
    let secs = start.elapsed().as_secs_f64();
    (n as f64 / secs, bytes as f64 / secs / 1e6)
}

fn latencies(corpus: &[String], ctx: &Context) -> Vec<Duration> {
    let mut out: Vec<Duration> = corpus
        .iter()
        .map(|t| {
            let start = Instant::now();
            black_box(analyse::analyse(black_box(t), ctx));
            start.elapsed()
        })
        .collect();
    out.sort();
    out
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn micros(d: Duration) -> String {
    format!("{:.1}µs", d.as_secs_f64() * 1e6)
}

fn texts_of(paths: &[PathBuf]) -> anyhow::Result<Vec<String>> {
    #[derive(serde::Deserialize)]
    struct Line {
        text: String,
    }
    let mut texts = Vec::new();
    for path in paths {
        for (n, line) in read(path)?.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let line: Line =
                serde_json::from_str(line).with_context(|| format!("{}: line {}", path.display(), n + 1))?;
            texts.push(line.text);
        }
    }
    Ok(texts)
}

/// A small fixed-seed generator (xorshift*), so the corpus is the same everywhere.
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const ORDINARY: &[&str] = &[
    "Lovely to see the children enjoying sports day, well done to everyone who took part.",
    "What time does the Eid assembly start on Friday? My husband would like to come along too.",
    "Thank you to all the staff for the amazing trip to the science museum yesterday!",
    "Is the school closed tomorrow because of the snow? The roads near us are very icy this morning.",
    "Could you share the link to the newsletter again please, I cannot find it on the website.",
    "Mashallah, the Year 6 recital was beautiful. The whole family was very proud of them.",
    "Reminder that parents evening sign-up closes on Thursday; the office can help if you are stuck.",
    "Great photos from the charity walk. Where can we buy the book fair vouchers this week?",
    "My daughter loved the library visit. Are there any more reading challenges planned for spring?",
    "Please can the after-school club finish at 5:30 on Wednesdays again, it really helped working parents.",
];

const FLAGGED: &[&str] = &[
    "You are a useless f.u.c.k.i.n.g idiot and everyone at that school knows it",
    "Ring me on 07700 900 123 or email jo.bloggs@example.co.uk about the lost coat",
    "We live at 12 High Street, Leeds LS1 4AB if anyone finds the lunchbox",
    "WINNER!! You have been selected for a £900 prize. Text CLAIM to 87121 now",
    "Vote Reform UK at the local election and sign the petition against the new houses",
    "Massive 50% off at my salon this week, DM me for prices or visit www.glamnails.co.uk",
    "Please donate to my GoFundMe for the trip, any amount helps https://gofundme.com/f/abc",
    "Dear Mrs Patel, you should be ashamed of how you treated my son @sarah_k",
    "Join our raffle and sweepstake, first prize a bottle of champagne",
    "Check out my page instagram.com/jo.bloggs.private for more pics",
];

const FILLER: &[&str] = &[
    "Thanks so much.",
    "Really appreciated.",
    "See you on Monday.",
    "Hope everyone has a good weekend.",
    "Jazakallah khair.",
    "Keep up the good work.",
    "The children talked about it all evening.",
];

fn generated_corpus(n: usize) -> Vec<String> {
    let mut draw = Draw(0x9e37_79b9_7f4a_7c15);
    (0..n)
        .map(|_| {
            // One comment in five carries something the policy cares about.
            let base = if draw.next().is_multiple_of(5) { draw.pick(FLAGGED) } else { draw.pick(ORDINARY) };
            let target = 100 + (draw.next() % 201) as usize;
            let mut text = base.to_string();
            while text.len() < target {
                text.push(' ');
                text.push_str(draw.pick(FILLER));
            }
            // Trim back to at most 300 bytes on a character boundary.
            while text.len() > 300 {
                text.pop();
            }
            text
        })
        .collect()
}

const FIRST: &[&str] = &[
    "Muhammad", "Aisha", "Yusuf", "Maryam", "Ibrahim", "Fatima", "Zayn", "Hafsa", "Omar", "Khadija", "Bilal",
    "Sumayyah", "Adam", "Hannah", "Idris", "Safiya", "Musa", "Ruqayyah", "Isa", "Amina", "Zara", "Hamza", "Noor",
    "Ali", "Layla", "Harun", "Iman", "Tariq", "Yasmin", "Sami",
];
const LAST: &[&str] = &[
    "Khan",
    "Ahmed",
    "Hussain",
    "Ali",
    "Begum",
    "Patel",
    "Rahman",
    "Iqbal",
    "Malik",
    "Shah",
    "Akhtar",
    "Butt",
    "Choudhury",
    "Mahmood",
    "Aziz",
    "Hassan",
    "Osman",
    "Yusuf",
    "Sheikh",
    "Qureshi",
];

/// A roster shaped like a school's: common names repeated, as they are in real rosters.
pub fn generated_roster(n: usize) -> Roster {
    let mut draw = Draw(0x51_7cc1_b727_220a);
    let people = (0..n)
        .map(|i| Person {
            id: format!("P{i:04}"),
            role: if i % 10 == 0 { Role::Staff } else { Role::Pupil },
            first: draw.pick(FIRST).to_string(),
            last: draw.pick(LAST).to_string(),
            preferred: None,
            consents: [("photo_online".to_string(), Consent::Granted)].into_iter().collect(),
        })
        .collect();
    Roster { people }
}
