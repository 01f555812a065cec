//! What the end-to-end tests (`oidc.rs`, `browser.rs`) share: the real server on port 0 over a fresh
//! SQLite file, the programs they need from outside Rust (node, chromium, chromedriver) with the rule
//! for when their absence is a skip, the npm packages, and a child process that announces itself on
//! its first line of output.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use school::access::{Principal, Role, SchoolId, UserId};
use school::user::NewUser;
use store::{SecretKey, Store};
use tokio::sync::oneshot;

/// How long a helper program may take to say it is ready before the test gives up on it.
const READY_TIMEOUT: Duration = Duration::from_secs(60);

/// The test directory of this crate (`crates/web/tests`).
pub fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

/// A real server over a fresh SQLite file, with one school. Stopped when dropped or by [`stop`].
///
/// [`stop`]: Gatehouse::stop
pub struct Gatehouse {
    pub base: String,
    pub store: Store,
    pub school: SchoolId,
    pub key: SecretKey,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    _dir: tempfile::TempDir,
}

impl Gatehouse {
    pub async fn start() -> Gatehouse {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("gatehouse.db").display());
        let store = Store::connect(&url).await.unwrap();
        store.migrate().await.unwrap();
        let school = store.create_school("Dar ul Madinah Primary School", None).await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let source = include_str!("../../../../examples/dar-ul-madinah/policy.toml");
        let policy = policy::Policy::parse(source, "policy.toml").unwrap();
        let key = SecretKey::generate().unwrap();
        let config = web::Config::new(&base, key.clone()).unwrap();
        let state = web::AppState::new(store.clone(), policy, config);
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let shutdown = async {
                let _ = stopped.await;
            };
            web::serve(listener, state, shutdown).await.unwrap();
        });
        Gatehouse { base, store, school, key, stop: Some(stop), task: Some(task), _dir: dir }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Creates an account; `password: None` makes one that signs in through the school's provider only.
    pub async fn user(&self, email: &str, role: Role, password: Option<&str>) -> UserId {
        let new = NewUser {
            email: email.to_string(),
            display_name: display_name(email),
            role,
            password_hash: password.map(|p| web::hash_password(p).unwrap()),
        };
        self.store.bootstrap_user(&self.school, new).await.unwrap().id
    }

    /// The headteacher as the store's capabilities see them, for setting the school up directly.
    pub fn headteacher(&self, user: &UserId) -> Principal {
        Principal { user: user.clone(), school: self.school.clone(), role: Role::Headteacher, grants: vec![] }
    }

    /// Stops the server gracefully and waits for it.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.unwrap();
        }
    }
}

/// "ada.lovelace@school.example" → "Ada Lovelace".
fn display_name(email: &str) -> String {
    let local = email.split('@').next().unwrap_or(email);
    let words = local.split(['.', '_', '-']).map(|w| {
        let mut chars = w.chars();
        chars.next().map(|c| c.to_uppercase().chain(chars).collect::<String>()).unwrap_or_default()
    });
    words.collect::<Vec<_>>().join(" ")
}

/// Whether this run is CI's, where a missing browser or node is a failure rather than a skip.
pub fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Whether `program` runs (`program --version` succeeds).
fn runs(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Checks that each (program, Debian package) is installed. Missing ones fail the test on CI and skip it
/// elsewhere, saying why and what to install; returns whether the test can go on.
pub fn require(test: &str, programs: &[(&str, &str)]) -> bool {
    let missing: Vec<_> = programs.iter().filter(|(program, _)| !runs(program)).collect();
    if missing.is_empty() {
        return true;
    }
    let names: Vec<_> = missing.iter().map(|(program, _)| *program).collect();
    let packages: Vec<_> = missing.iter().map(|(_, package)| *package).collect();
    let reason = format!(
        "{test}: {} not installed (apt-get install {}); .ci/run installs them",
        names.join(", "),
        packages.join(" ")
    );
    assert!(!on_ci(), "{reason}; CI is set, so this is a failure, not a skip");
    // Straight to the process's stderr: the test harness captures `eprintln!` of passing tests, and a
    // skip must be seen.
    let _ = writeln!(std::io::stderr(), "SKIPPED {reason}");
    false
}

/// Installs the npm packages locked in `dir` (`npm ci`) unless they are there already; once per
/// directory per test binary, however many tests ask.
pub fn npm_packages(dir: &Path) {
    static DONE: OnceLock<Mutex<Vec<PathBuf>>> = OnceLock::new();
    let mut done = DONE.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    if done.iter().any(|d| d == dir) || dir.join("node_modules").is_dir() {
        return;
    }
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(dir)
        .stdout(Stdio::null())
        .status()
        .expect("npm runs");
    assert!(status.success(), "npm ci in {} failed", dir.display());
    done.push(dir.to_path_buf());
}

/// A helper program (the OIDC provider, chromedriver) that says it is ready on its output. Killed when
/// dropped, so a failing test leaves nothing running; its standard input stays open until then.
pub struct Helper {
    child: Child,
    _stdin: Option<ChildStdin>,
}

impl Helper {
    /// Starts `command` and waits (up to [`READY_TIMEOUT`]) for the first line of its standard output
    /// that `ready` accepts, returning what `ready` made of it. Everything the program prints is passed
    /// on to the test's output, which shows it when the test fails.
    pub async fn start<T: Send + 'static>(
        mut command: Command,
        ready: impl Fn(&str) -> Option<T> + Send + 'static,
    ) -> (Helper, T) {
        let what = format!("{command:?}");
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {what}: {e}"));
        forward(child.stderr.take().unwrap());
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let (found, wait) = oneshot::channel();
        std::thread::spawn(move || {
            let mut found = Some(found);
            for line in stdout.lines().map_while(Result::ok) {
                eprintln!("  | {line}");
                if let Some(value) = found.as_ref().and_then(|_| ready(&line)) {
                    let _ = found.take().unwrap().send(value);
                }
            }
        });
        let stdin = child.stdin.take();
        let helper = Helper { child, _stdin: stdin };
        match tokio::time::timeout(READY_TIMEOUT, wait).await {
            Ok(Ok(value)) => (helper, value),
            Ok(Err(_)) => panic!("{what} ended without saying it was ready"),
            Err(_) => panic!("{what} did not say it was ready within {READY_TIMEOUT:?}"),
        }
    }
}

impl Drop for Helper {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Passes a child's standard error on to the test's output, line by line.
fn forward(stream: impl std::io::Read + Send + 'static) {
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            eprintln!("  ! {line}");
        }
    });
}

/// The OIDC provider in `tests/oidc-provider` (the npm package `oidc-provider`), configured with
/// `config` (clients and accounts: see `provider.js`).
pub async fn oidc_provider(config: &serde_json::Value) -> (Helper, String) {
    let dir = tests_dir().join("oidc-provider");
    npm_packages(&dir);
    let mut command = Command::new("node");
    command.current_dir(&dir).arg("provider.js").args(["--port", "0", "--config"]).arg(config.to_string());
    Helper::start(command, |line| {
        let said: serde_json::Value = serde_json::from_str(line).ok()?;
        said["issuer"].as_str().map(str::to_string)
    })
    .await
}
