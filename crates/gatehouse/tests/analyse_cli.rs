//! `gatehouse analyse` and `gatehouse check-post` driven as a user or another program would.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn gatehouse(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gatehouse"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("each line is JSON")).collect()
}

#[test]
fn jsonl_reports_a_phone_number_under_p2_13() {
    let out = gatehouse(&["analyse", "--format", "jsonl"], "{\"id\":1,\"text\":\"ring me on 07700 900 123\"}\n");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let lines = lines(&out);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["id"], 1);
    assert_eq!(lines[0]["labels"], serde_json::json!(["personal_info"]));
    let phone =
        lines[0]["findings"].as_array().unwrap().iter().find(|f| f["kind"] == "phone").expect("a phone finding");
    assert_eq!(phone["label"], "personal_info");
    assert_eq!(phone["clause"], "P2.13");
    assert_eq!((phone["start"].as_u64(), phone["end"].as_u64()), (Some(11), Some(24)));
}

#[test]
fn jsonl_keeps_every_line_in_order_and_reports_bad_ones() {
    let input =
        "{\"id\":\"a\",\"text\":\"hello\"}\nnot json\n{\"id\":3}\n{\"id\":4,\"text\":\"bye\",\"lang\":\"en\"}\n";
    let out = gatehouse(&["analyse", "--format", "jsonl"], input);
    assert!(out.status.success());
    let lines = lines(&out);
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["id"], "a");
    assert!(lines[1]["error"].is_string());
    assert_eq!(lines[2]["id"], 3);
    assert!(lines[2]["error"].as_str().unwrap().contains("text"));
    assert_eq!(lines[3]["id"], 4);
    assert!(lines[3].get("error").is_none());
}

#[test]
fn text_mode_explains_with_clause_and_words() {
    let out = gatehouse(&["analyse", "email me at jo.bloggs@example.co.uk"], "");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("labels: personal_info"), "{text}");
    assert!(text.contains("P2.13 personal_info/email"), "{text}");
    assert!(text.contains("\"jo.bloggs@example.co.uk\""), "{text}");
}

#[test]
fn analyse_without_texts_says_what_to_do() {
    let out = gatehouse(&["analyse"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("give one or more texts"));
}

#[test]
fn a_broken_policy_file_is_named() {
    let dir = std::env::temp_dir().join(format!("gh-analyse-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let policy = dir.join("broken.toml");
    std::fs::write(&policy, "format = 1\n[school\n").unwrap();
    let out = gatehouse(&["analyse", "--policy", policy.to_str().unwrap(), "hi"], "");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("broken.toml:2"), "{err}");
}

fn write_roster(dir: &std::path::Path) -> String {
    let roster = dir.join("roster.csv");
    std::fs::write(
        &roster,
        "UPN,Forename,Surname,Preferred Forename,Year,Reg Group,Consent: name_online,Consent: photo_online\n\
         A1,Yusuf,Rahman,,4,4R,Y,Y\n\
         A2,Maryam,Osman,,4,4R,N,N\n",
    )
    .unwrap();
    roster.to_str().unwrap().to_string()
}

#[test]
fn check_post_exits_1_when_a_post_must_not_go_out() {
    let dir = std::env::temp_dir().join(format!("gh-check-post-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let roster = write_roster(&dir);
    let ok = r#"{"text": "Congratulations to Yusuf Rahman on winning the poetry prize!", "category": "achievements", "people_in_photos": ["A1"]}"#;
    let out = gatehouse(&["check-post", "--roster", &roster, "-"], ok);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stdout).contains("verdict: may go out"));

    let bad = r#"{"text": "Congratulations to Maryam Osman on winning the poetry prize!", "category": "achievements", "people_in_photos": ["A2"]}"#;
    let out = gatehouse(&["check-post", "--roster", &roster, "--format", "json", "-"], bad);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.iter().filter(|f| f["severity"] == "block" && f["clause"] == "P2.6").count(), 2);
}

#[test]
fn check_post_names_a_bad_draft_field() {
    let out = gatehouse(&["check-post", "-"], r#"{"text": "hi", "catgory": "alerts"}"#);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("catgory"), "{err}");
}

#[cfg(unix)]
#[test]
fn output_piped_into_head_ends_quietly() {
    use std::io::{BufRead, BufReader};
    use std::os::unix::process::ExitStatusExt;

    let mut child = Command::new(env!("CARGO_BIN_EXE_gatehouse"))
        .args(["analyse", "--format", "jsonl"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdin = child.stdin.take().unwrap();
    // More input than any pipe holds, so the answers are still being written when the reader goes.
    let feeder = std::thread::spawn(move || {
        for i in 0..200_000 {
            if writeln!(stdin, "{{\"id\":{i},\"text\":\"you idiot, ring 07700 900 123\"}}").is_err() {
                return;
            }
        }
    });
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    assert!(first.starts_with("{\"id\":0,"), "{first}");
    // The reader is dropped here, as `head -1` exits after its line.
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stderr), "", "no panic and no error message");
    assert_eq!(out.status.signal(), Some(13), "ended by SIGPIPE, as `head` expects: {:?}", out.status);
}
