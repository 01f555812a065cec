//! A real server on port 0 over a fresh database, and a browser-like client (cookies, no redirects
//! followed) that reads forms the way a person's browser would submit them.

#![allow(dead_code)]

use std::net::{IpAddr, SocketAddr};
use std::sync::Once;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, LOCATION};
use reqwest::{Response, StatusCode};
use school::access::{Role, SchoolId, UserId};
use school::user::NewUser;
use store::testing::EmptyPostgres;
use store::{SecretKey, Store};
use tokio::sync::oneshot;

pub const PASSWORD: &str = "correct horse battery staple";

/// One database for one test: a SQLite file in a temporary directory, or a fresh PostgreSQL database
/// dropped at the end.
pub struct TestDb {
    pub store: Store,
    _dir: Option<tempfile::TempDir>,
    _pg: Option<EmptyPostgres>,
}

async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("gatehouse.db").display());
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    TestDb { store, _dir: Some(dir), _pg: None }
}

async fn postgres(admin_url: &str) -> TestDb {
    let pg = EmptyPostgres::create(admin_url, "gatehouse_web").await;
    let store = Store::connect(&pg.url).await.unwrap();
    store.migrate().await.unwrap();
    TestDb { store, _dir: None, _pg: Some(pg) }
}

static SKIP_NOTE: Once = Once::new();

/// SQLite always; PostgreSQL too when `GATEHOUSE_TEST_DATABASE_URL` names a server.
pub async fn databases() -> Vec<TestDb> {
    let mut dbs = vec![sqlite().await];
    match std::env::var("GATEHOUSE_TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) {
        Some(url) => dbs.push(postgres(&url).await),
        None => SKIP_NOTE.call_once(|| eprintln!("web: PostgreSQL skipped: GATEHOUSE_TEST_DATABASE_URL is not set")),
    }
    dbs
}

/// A running server. Dropping it stops the server.
pub struct Server {
    pub base: String,
    pub state: web::AppState,
    pub store: Store,
    pub school: SchoolId,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    _db: TestDb,
}

/// How a test wants the server set up.
#[derive(Clone)]
pub struct Options {
    pub limits: web::Limits,
    pub trusted_proxies: Vec<IpAddr>,
    pub session_sweep_every: Duration,
    /// The bearer token `/metrics` asks for; `None` leaves `/metrics` unserved.
    pub metrics_token: Option<String>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            limits: web::Limits { per_account: 3, per_address: 6, window: Duration::from_secs(900) },
            trusted_proxies: vec![],
            session_sweep_every: Duration::from_secs(600),
            metrics_token: None,
        }
    }
}

impl Server {
    pub async fn start(db: TestDb, options: Options) -> Server {
        let store = db.store.clone();
        let school = store.create_school("Dar ul Madinah Primary School", None).await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr: SocketAddr = listener.local_addr().unwrap();
        let base = format!("http://{addr}");
        let source = include_str!("../../../../examples/dar-ul-madinah/policy.toml");
        let policy = policy::Policy::parse(source, "policy.toml").unwrap();
        let mut config = web::Config::new(&base, SecretKey::generate().unwrap()).unwrap();
        config.limits = options.limits;
        config.trusted_proxies = options.trusted_proxies;
        config.session_sweep_every = options.session_sweep_every;
        config.metrics_token = options.metrics_token.map(|t| web::MetricsToken::new(&t).unwrap());
        let state = web::AppState::new(store.clone(), policy, config);
        let serving = state.clone();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            web::serve(listener, serving, async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
        });
        Server { base, state, store, school, stop: Some(stop), task: Some(task), _db: db }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Creates an account with [`PASSWORD`].
    pub async fn user(&self, email: &str, role: Role) -> UserId {
        let new = NewUser {
            email: email.to_string(),
            display_name: email.split('@').next().unwrap().to_string(),
            role,
            password_hash: Some(web::hash_password(PASSWORD).unwrap()),
        };
        self.store.bootstrap_user(&self.school, new).await.unwrap().id
    }

    pub fn client(&self) -> Client {
        Client { http: browser(), base: self.base.clone(), csrf: None }
    }

    /// Stops the server and waits for it to finish (graceful shutdown).
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.unwrap();
        }
    }
}

fn browser() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// A browser: keeps cookies and the last anti-forgery token it saw in a page.
pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
    pub csrf: Option<String>,
}

/// A response read in full.
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    pub fn location(&self) -> Option<&str> {
        self.headers.get(LOCATION).and_then(|v| v.to_str().ok())
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The text inside the first element carrying `id="…"`.
    pub fn text_of_id(&self, id: &str) -> Option<String> {
        let marker = format!("id=\"{id}\">");
        let start = self.body.find(&marker)? + marker.len();
        let end = self.body[start..].find('<')?;
        Some(self.body[start..start + end].to_string())
    }
}

pub async fn read(response: Response) -> Page {
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.text().await.unwrap();
    Page { status, headers, body }
}

fn csrf_in(body: &str) -> Option<String> {
    let marker = "name=\"csrf_token\" value=\"";
    let start = body.find(marker)? + marker.len();
    let end = body[start..].find('"')?;
    Some(body[start..start + end].to_string())
}

impl Client {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// GETs a page and remembers its form token, as a browser showing the page would.
    pub async fn get(&mut self, path: &str) -> Page {
        let page = read(self.http.get(self.url(path)).send().await.unwrap()).await;
        if let Some(token) = csrf_in(&page.body) {
            self.csrf = Some(token);
        }
        page
    }

    /// Submits a form with the last token seen, plus any extra headers.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        self.post_with(path, fields, &[]).await
    }

    pub async fn post_with(&mut self, path: &str, fields: &[(&str, &str)], headers: &[(&str, &str)]) -> Page {
        let token = self.csrf.clone();
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        if let Some(token) = &token {
            form.push(("csrf_token", token));
        }
        self.post_raw(path, &form, headers).await
    }

    /// Submits exactly these fields (no token added).
    pub async fn post_raw(&mut self, path: &str, form: &[(&str, &str)], headers: &[(&str, &str)]) -> Page {
        let mut request = self.http.post(self.url(path)).form(form);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let page = read(request.send().await.unwrap()).await;
        if let Some(token) = csrf_in(&page.body) {
            self.csrf = Some(token);
        }
        page
    }

    /// Opens the sign-in page and submits the password; returns the response to the submission.
    pub async fn sign_in(&mut self, email: &str, password: &str) -> Page {
        self.sign_in_from(email, password, &[]).await
    }

    pub async fn sign_in_from(&mut self, email: &str, password: &str, headers: &[(&str, &str)]) -> Page {
        let page = self.get("/sign-in").await;
        assert_eq!(page.status, StatusCode::OK);
        self.post_with("/sign-in", &[("email", email), ("password", password)], headers).await
    }

    /// Signs in a role without a second factor and checks it reached the dashboard.
    pub async fn signed_in(server: &Server, email: &str) -> Client {
        let mut client = server.client();
        let page = client.sign_in(email, PASSWORD).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        assert_eq!(page.location(), Some("/"));
        client
    }
}

/// The authenticator app: codes for a base32 key as shown on the enrolment page.
pub struct Authenticator(totp_rs::Totp);

impl Authenticator {
    pub fn from_page_key(key: &str) -> Authenticator {
        let compact: String = key.chars().filter(|c| !c.is_whitespace()).collect();
        let secret = totp_rs::Secret::try_from_base32(&compact).expect("the page shows base32");
        let totp = totp_rs::Builder::new().with_secret(secret).build().unwrap();
        Authenticator(totp)
    }

    /// The code for `steps_ahead` 30-second steps from now (the server accepts one step of skew).
    pub fn code(&self, steps_ahead: u64) -> String {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
        self.0.generate(now + 30 * steps_ahead).to_string()
    }
}
