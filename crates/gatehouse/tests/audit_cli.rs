//! `gatehouse audit verify` and `export` against a real database: a row edited by hand is named.

use std::process::Command;

use school::audit::{Actor, NewEntry};
use store::Store;

fn gatehouse(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gatehouse")).args(args).env_remove("GATEHOUSE_DATABASE_URL").output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn verify_names_the_row_edited_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("audit.sqlite").display());
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    let school = store.create_school("Dar ul Madinah", None).await.unwrap();
    for i in 0..5 {
        let entry = NewEntry::new(school.clone(), Actor::System, "test.note", "test", &i.to_string())
            .detail(serde_json::json!({ "i": i }));
        store.record_audit(entry).await.unwrap();
    }

    let ok = gatehouse(&["audit", "verify", "--database", &url]);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
    assert_eq!(text(&ok.stdout).trim(), "audit log intact: 6 entries checked in 1 schools");

    // Entry 4 is the third note (entry 1 records the school's creation). Change who it was about.
    let Store::Sqlite(pool) = &store else { unreachable!("a sqlite URL") };
    sqlx::query("UPDATE audit SET object_id = 'someone else' WHERE seq = 4").execute(pool).await.unwrap();
    store.close().await;

    let broken = gatehouse(&["audit", "verify", "--database", &url]);
    assert_eq!(broken.status.code(), Some(1));
    let message = text(&broken.stderr);
    assert!(
        message.contains(&format!("school {}, entry 4: its content does not match its hash", school.0)),
        "{message}"
    );

    let csv = gatehouse(&["audit", "export", "--database", &url, "--format", "csv"]);
    assert_eq!(csv.status.code(), Some(0), "{}", text(&csv.stderr));
    let lines: Vec<String> = text(&csv.stdout).lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 7, "a header and six entries");
    assert!(lines[0].starts_with("school,seq,at,actor,action"));
    assert!(lines[4].contains("someone else"), "the export shows the stored row as it is");

    let json = gatehouse(&["audit", "export", "--database", &url, "--format", "json", "--school", &school.0]);
    let entries: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(entries.as_array().map(Vec::len), Some(6));
    assert_eq!(entries[1]["detail"]["i"], 0);
}
