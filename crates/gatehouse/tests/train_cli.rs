//! `gatehouse train`: deterministic weights, figures by hold-out and cross-validation, clear errors.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use analyse::model::Model;

/// A scratch directory of this test's own, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("gatehouse-train-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn path(&self, file: &str) -> PathBuf {
        self.0.join(file)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A small labelled corpus: prize texts are spam, everyday ones are not.
fn corpus(path: &Path) {
    let spam = [
        "WIN a £500 prize, text CLAIM to 87121",
        "Free entry! claim your prize now",
        "You have won cash, call 09061701461",
    ];
    let ham = [
        "see you at pick up",
        "thanks for the lovely assembly",
        "is the trip still on friday",
        "lunch menu looks nice",
    ];
    let mut lines = Vec::new();
    for i in 0..30 {
        let (text, labels) =
            if i % 3 == 0 { (spam[i % spam.len()], r#"["spam"]"#) } else { (ham[i % ham.len()], "[]") };
        lines.push(format!(r#"{{"id": "row-{i}", "text": "{text} {i}", "labels": {labels}}}"#));
    }
    std::fs::write(path, lines.join("\n")).unwrap();
}

fn gatehouse(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gatehouse")).args(args).output().expect("gatehouse runs")
}

fn train(data: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["train", "--label", "spam", "--bits", "10", "--iterations", "40", "--data"];
    args.push(data.to_str().unwrap());
    args.extend(["--out", out.to_str().unwrap()]);
    args.extend(extra);
    gatehouse(&args)
}

#[test]
fn the_same_data_gives_byte_identical_weights() {
    let dir = Scratch::new("determinism");
    let data = dir.path("data.jsonl");
    corpus(&data);
    let (a, b) = (dir.path("a.bin"), dir.path("b.bin"));
    for out in [&a, &b] {
        let run = train(&data, out, &[]);
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    }
    let (a, b) = (std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
    assert_eq!(a, b);
    let model = Model::from_bytes(&a).expect("the written file loads");
    assert_eq!(model.bits(), 10);
}

#[test]
fn options_change_the_weights() {
    let dir = Scratch::new("options");
    let data = dir.path("data.jsonl");
    corpus(&data);
    let (a, b) = (dir.path("a.bin"), dir.path("b.bin"));
    assert!(train(&data, &a, &[]).status.success());
    assert!(train(&data, &b, &["--l2", "0.01"]).status.success());
    assert_ne!(std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
}

#[test]
fn hold_out_and_cross_validation_print_figures() {
    let dir = Scratch::new("figures");
    let data = dir.path("data.jsonl");
    corpus(&data);
    let run = train(&data, &dir.path("m.bin"), &["--hold-out", "30", "--cross-validate", "3"]);
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    for needle in ["fold 1/3:", "fold 3/3:", "mean: detector (rules + model) P ", "held-out 30%: detector", "F1 "] {
        assert!(stdout.contains(needle), "{needle:?} missing from:\n{stdout}");
    }
}

#[test]
fn bad_input_is_an_error_naming_the_problem() {
    let dir = Scratch::new("errors");
    let data = dir.path("data.jsonl");
    std::fs::write(&data, "{\"id\": 1, \"text\": \"ok\"}\nnot json\n").unwrap();
    let run = train(&data, &dir.path("m.bin"), &[]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("line 2"), "{}", String::from_utf8_lossy(&run.stderr));
    let run = gatehouse(&["train", "--label", "political", "--data", "x.jsonl", "--out", "y.bin"]);
    assert!(!run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains("use abuse or spam"));
    assert!(!dir.path("m.bin").exists());
}
