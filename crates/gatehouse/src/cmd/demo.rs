//! `gatehouse demo`: the whole server on a fresh SQLite file with a generated school, so anyone can
//! try every role on a clean machine with nothing else installed.
//!
//! The school: the Dar ul Madinah policy, one account per role, 200 pupils across Reception to Year 6
//! (two classes a year), a parent or carer for most of them, and a mix of granted, refused and
//! unrecorded consents — loaded through the same roster import a school would use.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::process::ExitCode;

use anyhow::Context as _;
use school::access::{Role, SchoolId, UserId};
use school::people::{ParentLink, PersonDetails, PersonKind};
use school::user::NewUser;
use store::{Origin, Store};

const POLICY: &str = include_str!("../../../../examples/dar-ul-madinah/policy.toml");
const DOMAIN: &str = "darulmadinah.example";
const PUPILS: usize = 200;

#[derive(clap::Args)]
pub struct Args {
    /// Where to listen.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting tokio")?;
    runtime.block_on(demo(args))?;
    Ok(ExitCode::SUCCESS)
}

/// Who signs in as what.
const ACCOUNTS: [(&str, &str, Role); 6] = [
    ("head", "Amina Rahman (headteacher)", Role::Headteacher),
    ("dsl", "Yusuf Patel (safeguarding lead)", Role::Dsl),
    ("deputy.dsl", "Sarah Ahmed (deputy safeguarding lead)", Role::DeputyDsl),
    ("teacher", "Omar Hussain (class teacher)", Role::Staff),
    ("governor", "Khadija Ali (governor)", Role::Governor),
    ("trust", "Bilal Khan (trust central team)", Role::TrustAdmin),
];

async fn demo(args: Args) -> anyhow::Result<()> {
    let dir = tempfile::Builder::new().prefix("gatehouse-demo-").tempdir().context("making a temporary directory")?;
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("gatehouse.db").display());
    let store = Store::connect(&url).await.context("creating the demo database")?;
    store.migrate().await.context("migrating the demo database")?;
    let policy = policy::Policy::parse(POLICY, "examples/dar-ul-madinah/policy.toml")
        .map_err(|e| anyhow::anyhow!("the example policy is not valid:\n{e}"))?;

    let school = store.create_school(&policy.school.name, None).await?;
    let password = format!("demo-{}", hex::encode(rand::random::<[u8; 5]>()));
    let head = create_accounts(&store, &school, &password).await?;
    let pupils = load_pupils(&store, &head).await?;
    let parents = add_parents(&store, &head).await?;

    let listener = tokio::net::TcpListener::bind(args.bind).await.with_context(|| format!("binding {}", args.bind))?;
    let origin = format!("http://{}", listener.local_addr()?);
    let config = web::Config::new(&origin, store::SecretKey::generate()?)?;
    print_welcome(&origin, &password, &dir, pupils, parents);
    let state = web::AppState::new(store.clone(), policy, config);
    web::serve(listener, state, super::serve::shutdown_signal()).await?;
    store.close().await;
    Ok(())
}

/// One account per role, all with the same password; returns the headteacher.
async fn create_accounts(store: &Store, school: &SchoolId, password: &str) -> anyhow::Result<UserId> {
    let hash = web::hash_password(password).map_err(|e| anyhow::anyhow!("hashing the demo password: {e}"))?;
    let mut head = None;
    for (local, name, role) in ACCOUNTS {
        let new = NewUser {
            email: format!("{local}@{DOMAIN}"),
            display_name: name.to_string(),
            role,
            password_hash: Some(hash.clone()),
        };
        let user = store.bootstrap_user(school, new).await?;
        if role == Role::Headteacher {
            head = Some(user.id);
        }
    }
    head.context("the accounts include a headteacher")
}

const FIRST: [&str; 20] = [
    "Aisha", "Ibrahim", "Maryam", "Zayn", "Fatima", "Adam", "Hafsa", "Musa", "Safiya", "Idris", "Noor", "Hamza",
    "Layla", "Yahya", "Sumaya", "Isa", "Ruqayyah", "Harun", "Zainab", "Ilyas",
];
const LAST: [&str; 16] = [
    "Khan",
    "Begum",
    "Hussain",
    "Ahmed",
    "Ali",
    "Rahman",
    "Patel",
    "Mahmood",
    "Iqbal",
    "Choudhury",
    "Malik",
    "Sheikh",
    "Aziz",
    "Uddin",
    "Bibi",
    "Mirza",
];

/// The roster as the MIS would export it: Reception (R) to Year 6, two classes a year, consents
/// granted, refused or not yet returned in a spread that a real school would recognise.
fn roster_csv() -> String {
    let mut csv = String::from(
        "UPN,Forename,Surname,Preferred Forename,Year,Reg Group,Consent: name_online,Consent: photo_online,Consent: photo_press\n",
    );
    for n in 0..PUPILS {
        let year = n % 7;
        let class = if n % 2 == 0 { "A" } else { "B" };
        let (year_cell, group) = if year == 0 {
            ("R".to_string(), format!("R{class}"))
        } else {
            (year.to_string(), format!("{year}{class}"))
        };
        let first = FIRST[n % FIRST.len()];
        let last = LAST[(n / 3) % LAST.len()];
        let preferred = if n % 17 == 0 { &first[..3] } else { "" };
        // Deterministic mix: most agree to names online, fewer to photos, fewer still to the press.
        let cell = |modulus: usize, refuse: usize| match n % modulus {
            0 => "",
            r if r <= refuse => "N",
            _ => "Y",
        };
        let _ = writeln!(
            csv,
            "A{:012},{first},{last},{preferred},{year_cell},{group},{},{},{}",
            820_000_000_000usize + n,
            cell(9, 1),
            cell(6, 2),
            cell(4, 2),
        );
    }
    csv
}

async fn load_pupils(store: &Store, head: &UserId) -> anyhow::Result<u64> {
    let principal = store.principal(head).await?;
    let admin = principal.people_admin().context("the headteacher administers people")?;
    let uses: Vec<String> = store.consent_uses(&principal.school).await?.into_iter().map(|u| u.name).collect();
    let plan =
        school::import::parse(roster_csv().as_bytes(), &uses).map_err(|e| anyhow::anyhow!("demo roster: {e}"))?;
    let report = store.apply_import(&admin, Origin::LOCAL, &plan).await?;
    anyhow::ensure!(report.rejected == 0, "the demo roster had {} rejected rows", report.rejected);
    Ok(report.added)
}

/// A parent or carer for most pupils (siblings share surnames, not parents: kept simple).
async fn add_parents(store: &Store, head: &UserId) -> anyhow::Result<usize> {
    let principal = store.principal(head).await?;
    let admin = principal.people_admin().context("the headteacher administers people")?;
    let reader = principal.people_reader().context("the headteacher reads people")?;
    let pupils = store
        .people(&reader, &school::people::PeopleFilter { kind: Some(PersonKind::Pupil), ..Default::default() })
        .await?;
    let mut added = 0;
    for (n, pupil) in pupils.iter().enumerate().filter(|(n, _)| n % 5 != 4) {
        let details = PersonDetails {
            external_id: Some(format!("C{:06}", n + 1)),
            kind: PersonKind::Parent,
            legal_first: FIRST[(n + 7) % FIRST.len()].to_string(),
            legal_last: pupil.legal_last.clone(),
            preferred_first: None,
            year: None,
            reg_group: None,
            current: true,
        };
        let parent = store.add_person(&admin, Origin::LOCAL, &details).await?;
        let relationship = Some(if n % 2 == 0 { "mother" } else { "father" }.to_string());
        let link = ParentLink { parent: parent.id, pupil: pupil.id.clone(), relationship };
        store.link_parent(&admin, Origin::LOCAL, &link).await?;
        added += 1;
    }
    Ok(added)
}

fn print_welcome(origin: &str, password: &str, dir: &tempfile::TempDir, pupils: u64, parents: usize) {
    println!("Gatehouse demo: Dar ul Madinah Primary School");
    println!("  {pupils} pupils in Reception to Year 6, {parents} parents and carers, mixed consents");
    println!("  database: {} (deleted when the demo stops)", dir.path().join("gatehouse.db").display());
    println!();
    println!("Open {origin}/sign-in and sign in as any of these, with the password {password}");
    for (local, name, role) in ACCOUNTS {
        let email = format!("{local}@{DOMAIN}");
        let mfa = if role.requires_mfa() {
            "\n      sets up an authenticator app at first sign-in (QR code and key shown)"
        } else {
            ""
        };
        println!("  {email:<34} {name}{mfa}");
    }
    println!();
    println!("Stop with Ctrl-C.");
}
