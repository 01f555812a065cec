//! `gatehouse policy check|lint|render`, run as a user runs them: the built binary, real files, exit
//! codes and output. Each test that writes files gets its own fresh directory.

#[path = "../../policy/tests/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/dar-ul-madinah/policy.toml");

fn gatehouse(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gatehouse")).args(args).output().expect("the gatehouse binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// A fresh directory, removed when the test ends.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let n = COUNT.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("gatehouse-policy-cli-{}-{n}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

#[test]
fn check_passes_the_example() {
    let out = gatehouse(&["policy", "check", EXAMPLE]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with(&format!("ok: {EXAMPLE}\n")), "{text}");
    assert!(text.contains("Dar ul Madinah Primary School: approved by the Directors on 2025-08-07"), "{text}");
    assert!(text.contains("0 channel(s), 2 unfilled channel line(s)"), "{text}");
    assert!(text.contains("9 post categories, 6 will-not-post rules"), "{text}");
}

#[test]
fn check_reports_a_broken_file_by_line_and_column() {
    let dir = TempDir::new("broken");
    let source =
        common::edit(&common::example(), "label = \"spam\"\naction = \"delete\"", "label = \"spam\"\naction = \"zap\"");
    let file = dir.write("policy.toml", &source);
    let out = gatehouse(&["policy", "check", path_str(&file)]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let line = common::line_of(&source, "\"zap\"");
    let expected = format!("{}:{line}:10: moderation.rules[1].action: unknown variant `zap`", file.display());
    assert!(stdout(&out).starts_with(&expected), "{}", stdout(&out));
    assert!(stdout(&out).contains("1 problem in"));
}

#[test]
fn check_reports_every_meaning_error() {
    let dir = TempDir::new("several");
    let mut source = common::edit(&common::example(), "id = \"reminders\"", "id = \"alerts\"");
    source = common::edit(&source, "interval_months = 12", "interval_months = 0");
    let file = dir.write("policy.toml", &source);
    let out = gatehouse(&["policy", "check", path_str(&file)]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let interval = common::line_of(&source, "interval_months = 0");
    assert!(text.contains(&format!("{}:{interval}:1: review.interval_months: ", file.display())), "{text}");
    let dup = common::line_of(&source, "id = \"alerts\"\ntext = \"Reminders\"");
    assert!(text.contains(&format!("{}:{dup}:1: categories[1].id: ", file.display())), "{text}");
    assert!(text.contains("2 problems in"), "{text}");
}

#[test]
fn check_of_a_missing_file_is_an_error() {
    let dir = TempDir::new("missing");
    let out = gatehouse(&["policy", "check", path_str(&dir.0.join("nope.toml"))]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("reading") && stderr(&out).contains("nope.toml"), "{}", stderr(&out));
}

#[test]
fn lint_finds_the_seeds_known_problems() {
    let out = gatehouse(&["policy", "lint", EXAMPLE, "--today", "2026-11-25"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let source = common::example();
    let placeholder = common::line_of(&source, "placeholder = \"List school Facebook");
    assert!(
        text.contains(&format!("{EXAMPLE}:{}:1: error P2.1 placeholder: channels[0]: ", placeholder - 1)),
        "{text}"
    );
    assert!(text.contains("List school Facebook and X (formerly Twitter) accounts, including usernames"));
    let review = common::line_of(&source, "next_review = 2026-08-31");
    assert!(text.contains(&format!("{EXAMPLE}:{review}:1: error P7.3 review-overdue: review.next_review: ")), "{text}");
    assert!(text.contains("warning P2.12 heading-platform: platform_sections[1].will_not_post_heading:"), "{text}");
    assert!(text.contains("as of 2026-11-25"));
}

#[test]
fn lint_before_the_review_date_does_not_report_it() {
    let out = gatehouse(&["policy", "lint", EXAMPLE, "--today", "2026-01-15"]);
    assert!(out.status.success());
    assert!(!stdout(&out).contains("review-overdue"), "{}", stdout(&out));
    assert!(stdout(&out).contains("placeholder"));
}

#[test]
fn deny_warnings_sets_the_exit_code() {
    let out = gatehouse(&["policy", "lint", EXAMPLE, "--today", "2026-11-25", "--deny-warnings"]);
    assert_eq!(out.status.code(), Some(1));

    // A policy with nothing but information to report passes.
    let dir = TempDir::new("clean");
    let file = dir.write("policy.toml", &common::fixed());
    let out = gatehouse(&["policy", "lint", path_str(&file), "--today", common::BEFORE_REVIEW, "--deny-warnings"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("0 error(s), 0 warning(s)"), "{}", stdout(&out));
}

#[test]
fn lint_of_an_invalid_file_fails() {
    let dir = TempDir::new("invalid");
    let file = dir.write("policy.toml", "[school\n");
    let out = gatehouse(&["policy", "lint", path_str(&file), "--today", "2026-11-25"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with(&format!("{}:1:", file.display())), "{}", stdout(&out));
}

#[test]
fn a_bad_today_is_explained() {
    for bad in ["2026-02-30", "25/11/2026", "tomorrow"] {
        let out = gatehouse(&["policy", "lint", EXAMPLE, "--today", bad]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let err = stderr(&out);
        assert!(err.contains("--today") && err.contains("is not a date") && err.contains(bad), "{err}");
        assert!(stdout(&out).is_empty());
    }
}

#[test]
fn render_markdown_and_html() {
    let out = gatehouse(&["policy", "render", EXAMPLE, "--format", "markdown"]);
    assert!(out.status.success());
    let md = stdout(&out);
    assert!(md.starts_with("# Social media policy\n"));
    let first = md.find("\n## 1. Purpose and scope\n").expect("section 1");
    let last = md.find("\n## 8. Related policies\n").expect("section 8");
    assert!(first < last);
    assert!(md.contains("**Not yet filled in:** List school Facebook"));

    let out = gatehouse(&["policy", "render", EXAMPLE, "--format", "html"]);
    assert!(out.status.success());
    let html = stdout(&out);
    assert!(html.starts_with("<!doctype html>\n<html lang=\"en-GB\">"), "{html}");
    assert!(html.contains("<h2 id=\"section-2\">2. Use of official school social media</h2>"));

    let out = gatehouse(&["policy", "render", EXAMPLE, "--format", "pdf"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("pdf"));
}

#[test]
fn help_on_each_subcommand() {
    for (sub, wanted) in [
        ("check", "file:line:column"),
        ("lint", "--deny-warnings"),
        ("lint", "--today <YYYY-MM-DD>"),
        ("render", "--format <FORMAT>"),
    ] {
        let out = gatehouse(&["policy", sub, "--help"]);
        assert!(out.status.success(), "{sub}");
        let text = stdout(&out);
        assert!(text.contains("Usage:") && text.contains(wanted), "{sub}: {text}");
    }
    let out = gatehouse(&["policy", "--help"]);
    assert!(out.status.success());
    for sub in ["check", "lint", "render"] {
        assert!(stdout(&out).contains(sub));
    }
}
