//! `gatehouse import roster`: counts, every rejected row by number, exit 1 for an unreadable file.

use std::process::Command;

use store::Store;

fn gatehouse(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gatehouse")).args(args).env_remove("GATEHOUSE_DATABASE_URL").output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn imports_good_rows_reports_bad_ones_and_changes_nothing_the_second_time() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("school.sqlite").display());
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    let school = store.create_school("Dar ul Madinah", None).await.unwrap();
    store.close().await;
    let file = dir.path().join("roster.csv");
    std::fs::write(
        &file,
        "upn,forename,surname,preferred forename,year,reg group,Consent: photo_online\n\
         A100,Amina,Begum,,3,3K,Y\n\
         ,Ben,Birch,,3,3K,Y\n\
         A102,Cara,Cole,Cee,R,RB,N\n\
         A103,Dev,Dale,,9 3/4,3K,\n",
    )
    .unwrap();
    let path = file.display().to_string();
    let args = ["import", "roster", path.as_str(), "--school", school.0.as_str(), "--database", url.as_str()];

    let first = gatehouse(&args);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    let out = text(&first.stdout);
    assert!(out.contains("Dar ul Madinah: 2 added, 0 updated, 0 unchanged, 2 rejected"), "{out}");
    assert!(out.contains("row 3: UPN is empty\n"), "{out}");
    assert!(out.contains("row 5: Year \"9 3/4\" is not N, R or 1 to 13\n"), "{out}");

    let second = gatehouse(&args);
    assert!(text(&second.stdout).contains("0 added, 0 updated, 2 unchanged, 2 rejected"), "{}", text(&second.stdout));

    let missing = dir.path().join("nope.csv").display().to_string();
    let unreadable = gatehouse(&["import", "roster", &missing, "--school", &school.0, "--database", &url]);
    assert_eq!(unreadable.status.code(), Some(1));
    assert!(text(&unreadable.stderr).contains("cannot read"), "{}", text(&unreadable.stderr));

    std::fs::write(&file, "Name,Class\nAmina,3K\n").unwrap();
    let headerless = gatehouse(&args);
    assert_eq!(headerless.status.code(), Some(1));
    assert!(text(&headerless.stderr).contains("missing UPN, Forename, Surname"), "{}", text(&headerless.stderr));
}
