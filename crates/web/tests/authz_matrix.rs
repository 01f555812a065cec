//! The authorisation matrix: every route (pages and API, every method) × every role, with the expected
//! outcome written out below; every refusal recorded in the audit log with outcome `denied`; and no route
//! reachable that the table does not list — the API side read from the OpenAPI document, the pages from
//! the table, every other method on a listed path refused, and every link and form on every page
//! pointing at a listed route.

mod support;

use std::collections::{BTreeSet, HashMap};

use reqwest::{Method, StatusCode};
use school::access::{Principal, Role, UserId};
use school::audit::Outcome;
use school::channel::{ChannelKind, NewChannel};
use store::{AuditFilter, Origin};
use support::{Authenticator, Client, Options, PASSWORD, Page, Server, databases, read};

/// What a role should get from a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// Allowed: anything but 401/403 or a detour to sign-in (a 404 or 409 is the route answering).
    A,
    /// Denied: 403, recorded in the audit log as `denied`.
    D,
    /// Sign-in required: pages redirect to /sign-in, the API answers 401. Nothing is recorded (no actor).
    S,
    /// Public: reachable by anyone; never 403, never a server error.
    P,
}
use Expect::{A, D, P, S};

/// The matrix's columns, in order.
const ROLES: [&str; 8] =
    ["headteacher", "dsl", "deputy_dsl", "staff", "staff+post", "governor", "trust_admin", "signed out"];

// Rows. Columns: headteacher, dsl, deputy_dsl, staff (no grants), staff with a post grant, governor,
// trust_admin, signed out.
const ANYONE_SIGNED_IN: [Expect; 8] = [A, A, A, A, A, A, A, S];
const PEOPLE_READ: [Expect; 8] = [A, A, A, D, A, D, A, S];
const PEOPLE_ADMIN: [Expect; 8] = [A, D, D, D, D, D, A, S];
const CHANNEL_READ: [Expect; 8] = [A, D, D, D, A, D, A, S];
const CHANNEL_ADMIN: [Expect; 8] = [A, D, D, D, D, D, D, S];
const SUGGEST: [Expect; 8] = [A, A, A, A, A, D, D, S];
const REVIEW: [Expect; 8] = [A, D, D, D, D, D, D, S];
const AUDIT: [Expect; 8] = [A, D, D, D, D, D, A, S];
const USER_ADMIN: [Expect; 8] = [A, D, D, D, D, D, A, S];
const FIGURES: [Expect; 8] = [A, D, D, D, D, A, A, S];
const PUBLIC: [Expect; 8] = [P, P, P, P, P, P, P, P];

/// Every page route: method, path pattern, expectations. `{…}` segments are filled from the fixture.
/// `POST /sign-out` is last: it ends the session that the rows before it use.
const PAGES: &[(&str, &str, [Expect; 8])] = &[
    ("GET", "/", ANYONE_SIGNED_IN),
    ("GET", "/sign-in", PUBLIC),
    ("POST", "/sign-in", PUBLIC),
    ("GET", "/mfa", PUBLIC),
    ("POST", "/mfa", PUBLIC),
    ("GET", "/mfa/enrol", PUBLIC),
    ("POST", "/mfa/enrol", PUBLIC),
    ("GET", "/auth/oidc/{school}/start", PUBLIC),
    ("GET", "/auth/oidc/callback", PUBLIC),
    ("GET", "/healthz", PUBLIC),
    // For Prometheus with its bearer token (server.rs); with none configured, as here, a 404 to everyone.
    ("GET", "/metrics", PUBLIC),
    ("GET", "/static/gatehouse.css", PUBLIC),
    ("GET", "/api/v1/openapi.json", PUBLIC),
    ("GET", "/account", ANYONE_SIGNED_IN),
    ("POST", "/account/tokens", ANYONE_SIGNED_IN),
    ("POST", "/account/tokens/{token}/revoke", ANYONE_SIGNED_IN),
    ("POST", "/sign-out/everywhere", ANYONE_SIGNED_IN),
    ("GET", "/account/sign-in-providers", USER_ADMIN),
    ("POST", "/account/sign-in-providers", USER_ADMIN),
    ("GET", "/people", PEOPLE_READ),
    ("GET", "/people/{person}", PEOPLE_READ),
    ("GET", "/people/{person}/consents/{use}", PEOPLE_ADMIN),
    ("POST", "/people/{person}/consents/{use}", PEOPLE_ADMIN),
    ("GET", "/people/import", PEOPLE_ADMIN),
    ("POST", "/people/import", PEOPLE_ADMIN),
    ("GET", "/channels", CHANNEL_READ),
    ("POST", "/channels", CHANNEL_ADMIN),
    ("GET", "/channels/new", CHANNEL_ADMIN),
    ("GET", "/channels/{channel}", CHANNEL_READ),
    ("POST", "/channels/{channel}", CHANNEL_ADMIN),
    ("GET", "/channels/{channel}/edit", CHANNEL_ADMIN),
    ("GET", "/channels/{channel}/credentials", CHANNEL_ADMIN),
    ("POST", "/channels/{channel}/credentials", CHANNEL_ADMIN),
    ("POST", "/channels/{channel}/grants", CHANNEL_ADMIN),
    ("POST", "/channels/{channel}/grants/{user}/revoke", CHANNEL_ADMIN),
    ("GET", "/suggestions", SUGGEST),
    ("POST", "/suggestions", SUGGEST),
    ("POST", "/suggestions/{suggestion}/decision", REVIEW),
    ("GET", "/audit", AUDIT),
    ("GET", "/audit/export.csv", AUDIT),
    ("GET", "/audit/export.json", AUDIT),
    ("GET", "/figures", FIGURES),
    ("POST", "/sign-out", PUBLIC),
];

/// Every API route. The test checks that this is exactly what the OpenAPI document lists.
const API: &[(&str, &str, [Expect; 8])] = &[
    ("GET", "/api/v1/me", ANYONE_SIGNED_IN),
    ("GET", "/api/v1/people", PEOPLE_READ),
    ("GET", "/api/v1/people/{id}", PEOPLE_READ),
    ("PUT", "/api/v1/people/{id}/consents/{use}", PEOPLE_ADMIN),
    ("POST", "/api/v1/people/import", PEOPLE_ADMIN),
    ("GET", "/api/v1/channels", CHANNEL_READ),
    ("POST", "/api/v1/channels", CHANNEL_ADMIN),
    ("GET", "/api/v1/channels/{id}", CHANNEL_READ),
    ("PATCH", "/api/v1/channels/{id}", CHANNEL_ADMIN),
    ("PUT", "/api/v1/channels/{id}/credentials", CHANNEL_ADMIN),
    ("GET", "/api/v1/channels/{id}/grants", CHANNEL_READ),
    ("PUT", "/api/v1/channels/{id}/grants/{user}", CHANNEL_ADMIN),
    ("DELETE", "/api/v1/channels/{id}/grants/{user}", CHANNEL_ADMIN),
    ("GET", "/api/v1/suggestions", SUGGEST),
    ("POST", "/api/v1/suggestions", SUGGEST),
    ("POST", "/api/v1/suggestions/{id}/decision", REVIEW),
    ("GET", "/api/v1/audit", AUDIT),
    ("GET", "/api/v1/audit/export", AUDIT),
    ("GET", "/api/v1/figures", FIGURES),
];

const ROSTER: &str = "UPN,Forename,Surname,Preferred Forename,Year,Reg Group,Consent: photo_online\n\
                      A100,Amina,Begum,,3,3K,Y\n\
                      A101,Yusuf,Ali,Yus,4,4M,N\n";

/// The school every test runs in: an account per role, a channel with a post grant, two pupils, a
/// suggestion, and a browser and a read-and-change API token per role.
struct World {
    server: Server,
    users: Vec<UserId>,
    clients: Vec<Client>,
    tokens: Vec<Option<String>>,
    fill: HashMap<&'static str, String>,
}

async fn principal(server: &Server, user: &UserId) -> Principal {
    server.store.principal(user).await.unwrap()
}

/// Signs in through the pages, enrolling an authenticator where the role needs one, and leaves the
/// browser holding the session's form token.
async fn browser(server: &Server, email: &str, role: Role) -> Client {
    let mut client = if role.requires_mfa() {
        let mut client = server.client();
        let page = client.sign_in(email, PASSWORD).await;
        assert_eq!(page.location(), Some("/mfa/enrol"), "{email}");
        let key = client.get("/mfa/enrol").await.text_of_id("secret").expect("the enrolment page shows the key");
        let code = Authenticator::from_page_key(&key).code(0);
        assert_eq!(client.post("/mfa/enrol", &[("code", &code)]).await.status, StatusCode::SEE_OTHER);
        client
    } else {
        Client::signed_in(server, email).await
    };
    assert_eq!(client.get("/").await.status, StatusCode::OK, "{email} reaches the dashboard");
    client
}

impl World {
    async fn new(server: Server) -> World {
        let roles = [
            ("head", Role::Headteacher),
            ("dsl", Role::Dsl),
            ("deputy", Role::DeputyDsl),
            ("staff", Role::Staff),
            ("poster", Role::Staff),
            ("governor", Role::Governor),
            ("trust", Role::TrustAdmin),
        ];
        let mut users = Vec::new();
        for (name, role) in roles {
            users.push(server.user(&format!("{name}@school.example"), role).await);
        }
        let grantee = server.user("grantee@school.example", Role::Staff).await;
        let head = principal(&server, &users[0]).await;
        let admin = head.channel_admin().unwrap();
        let new = NewChannel {
            kind: ChannelKind::FacebookPage,
            name: "School Facebook Page".into(),
            handle: "darulmadinah".into(),
            url: Some("https://facebook.com/darulmadinah".into()),
        };
        let channel = server.store.add_channel(&admin, Origin::LOCAL, &new).await.unwrap();
        server.store.grant(&admin, Origin::LOCAL, &users[4], &channel.id, true, false).await.unwrap();
        let uses: Vec<String> = ["name_online", "photo_online", "photo_press"].map(String::from).to_vec();
        let plan = school::import::parse(ROSTER.as_bytes(), &uses).unwrap();
        server.store.apply_import(&head.people_admin().unwrap(), Origin::LOCAL, &plan).await.unwrap();
        let pupil =
            server.store.people(&head.people_reader().unwrap(), &Default::default()).await.unwrap()[0].id.clone();
        let staff = principal(&server, &users[3]).await;
        let suggestion =
            server.store.suggest(&staff.suggester().unwrap(), Origin::LOCAL, "Sports day photos").await.unwrap();

        let mut clients = Vec::new();
        let mut tokens = Vec::new();
        for ((name, role), user) in roles.iter().zip(&users) {
            clients.push(browser(&server, &format!("{name}@school.example"), *role).await);
            let p = principal(&server, user).await;
            let scopes = ["read".to_string(), "write".to_string()];
            tokens
                .push(Some(server.store.create_api_token(&p, Origin::LOCAL, "matrix", &scopes).await.unwrap().secret));
        }
        let mut anonymous = server.client();
        anonymous.get("/sign-in").await;
        clients.push(anonymous);
        tokens.push(None);

        let fill = HashMap::from([
            ("school", server.school.0.clone()),
            ("person", pupil.0.clone()),
            ("id", String::new()),
            ("use", "photo_online".to_string()),
            ("channel", channel.id.0.clone()),
            ("user", grantee.0.clone()),
            ("suggestion", suggestion.id.0.clone()),
            ("token", "no-such-token".to_string()),
        ]);
        World { server, users, clients, tokens, fill }
    }

    /// The pattern with its `{…}` segments filled; API `{id}` is the object the path is about.
    fn path(&self, pattern: &str) -> String {
        let id = if pattern.starts_with("/api/v1/people") {
            &self.fill["person"]
        } else if pattern.starts_with("/api/v1/channels") {
            &self.fill["channel"]
        } else {
            &self.fill["suggestion"]
        };
        pattern
            .split('/')
            .map(|seg| match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some("id") => id.clone(),
                Some(name) => self.fill[name].clone(),
                None => seg.to_string(),
            })
            .collect::<Vec<_>>()
            .join("/")
    }
}

/// A valid submission for each page form, so an allowed request gets past its checks.
fn form_for(pattern: &str, fill: &HashMap<&str, String>) -> Vec<(&'static str, String)> {
    let pairs: &[(&'static str, &str)] = match pattern {
        "/account/tokens" => &[("name", "matrix"), ("scope", "read")],
        "/account/sign-in-providers" => &[
            ("name", "Google Workspace"),
            ("issuer", "https://accounts.google.com"),
            ("client_id", "matrix-client"),
            ("client_secret", "matrix-secret"),
            ("allowed_domain", "school.example"),
        ],
        "/people/{person}/consents/{use}" => &[("state", "granted"), ("source", "paper_form")],
        "/channels" => &[("kind", "other"), ("name", "Newsletter"), ("handle", "newsletter")],
        "/channels/{channel}" => &[
            ("kind", "facebook_page"),
            ("name", "School Facebook Page"),
            ("handle", "darulmadinah"),
            ("url", "https://facebook.com/darulmadinah"),
            ("status", "active"),
        ],
        "/channels/{channel}/credentials" => &[("credentials", "page-token-for-the-matrix")],
        "/channels/{channel}/grants" => &[("may_moderate", "on")],
        "/suggestions" => &[("text", "Year 4's trip to the museum")],
        "/suggestions/{suggestion}/decision" => &[("decision", "accept")],
        _ => &[],
    };
    let mut form: Vec<(&'static str, String)> = pairs.iter().map(|(k, v)| (*k, v.to_string())).collect();
    if pattern == "/channels/{channel}/grants" {
        form.push(("user", fill["user"].clone()));
    }
    form
}

/// A multipart upload of the roster, as a browser sends the import form.
async fn upload(client: &mut Client, path: &str) -> Page {
    let boundary = "matrixboundary";
    let token = client.csrf.clone().unwrap_or_default();
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"roster\"; filename=\"roster.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n{ROSTER}\r\n--{boundary}--\r\n"
    );
    let request = client
        .http
        .post(client.url(path))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body);
    read(request.send().await.unwrap()).await
}

async fn page_request(world: &mut World, role: usize, method: &str, pattern: &str) -> Page {
    let path = world.path(pattern);
    let form = form_for(pattern, &world.fill);
    let client = &mut world.clients[role];
    match method {
        "GET" => client.get(&path).await,
        "POST" if pattern == "/people/import" => upload(client, &path).await,
        "POST" => {
            let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            client.post(&path, &fields).await
        }
        other => panic!("no page uses {other}"),
    }
}

/// A valid body for each API call.
fn api_body(method: &str, pattern: &str) -> Option<(&'static str, String)> {
    let json = |v: serde_json::Value| Some(("application/json", v.to_string()));
    match (method, pattern) {
        ("PUT", "/api/v1/people/{id}/consents/{use}") => {
            json(serde_json::json!({"state": "refused", "source": "parent"}))
        }
        ("POST", "/api/v1/people/import") => Some(("text/csv", ROSTER.to_string())),
        ("POST", "/api/v1/channels") => {
            json(serde_json::json!({"kind": "x_account", "name": "X", "handle": "@darulmadinah"}))
        }
        ("PATCH", "/api/v1/channels/{id}") => json(serde_json::json!({"status": "active"})),
        ("PUT", "/api/v1/channels/{id}/credentials") => {
            json(serde_json::json!({"credentials": "api-token-for-the-matrix"}))
        }
        ("PUT", "/api/v1/channels/{id}/grants/{user}") => json(serde_json::json!({"may_post": true})),
        ("POST", "/api/v1/suggestions") => json(serde_json::json!({"text": "The choir at the care home"})),
        ("POST", "/api/v1/suggestions/{id}/decision") => {
            json(serde_json::json!({"decision": "decline", "note": "Not now"}))
        }
        _ => None,
    }
}

async fn api_request(world: &World, role: usize, method: &str, pattern: &str) -> Page {
    let mut path = world.path(pattern);
    if pattern == "/api/v1/audit/export" {
        path.push_str("?format=csv");
    }
    let http = reqwest::Client::new();
    let mut request = http.request(Method::from_bytes(method.as_bytes()).unwrap(), world.server.url(&path));
    if let Some(token) = &world.tokens[role] {
        request = request.bearer_auth(token);
    }
    if let Some((content_type, body)) = api_body(method, pattern) {
        request = request.header("content-type", content_type).body(body);
    }
    read(request.send().await.unwrap()).await
}

/// Checks one response against its expectation; returns whether it was a recorded refusal.
fn judge(page: &Page, expect: Expect, api: bool, what: &str) -> bool {
    let status = page.status;
    assert!(!status.is_server_error(), "{what}: {status} {}", page.body);
    let to_sign_in = status == StatusCode::SEE_OTHER && page.location().is_some_and(|l| l.starts_with("/sign-in"));
    match expect {
        A => {
            assert!(
                status != StatusCode::FORBIDDEN && status != StatusCode::UNAUTHORIZED && !to_sign_in,
                "{what}: allowed, got {status}: {}",
                page.body
            );
        }
        D => {
            assert_eq!(status, StatusCode::FORBIDDEN, "{what}: denied, got {}", page.body);
            if api {
                let body: serde_json::Value = serde_json::from_str(&page.body).unwrap();
                assert_eq!(body["code"], "forbidden", "{what}");
            }
        }
        S if api => assert_eq!(status, StatusCode::UNAUTHORIZED, "{what}: needs a token"),
        S => assert!(to_sign_in, "{what}: needs sign-in, got {status} {:?}", page.location()),
        P => assert_ne!(status, StatusCode::FORBIDDEN, "{what}: public"),
    }
    expect == D
}

#[tokio::test]
async fn every_route_and_role_gets_what_the_table_says_and_every_refusal_is_audited() {
    for db in databases().await {
        let mut world = World::new(Server::start(db, Options::default()).await).await;
        let mut refusals = vec![0usize; ROLES.len()];
        for (method, pattern, expects) in PAGES {
            for (role, expect) in expects.iter().enumerate() {
                let page = page_request(&mut world, role, method, pattern).await;
                let what = format!("{method} {pattern} as {}", ROLES[role]);
                refusals[role] += usize::from(judge(&page, *expect, false, &what));
            }
        }
        for (method, pattern, expects) in API {
            for (role, expect) in expects.iter().enumerate() {
                let page = api_request(&world, role, method, pattern).await;
                let what = format!("{method} {pattern} as {}", ROLES[role]);
                refusals[role] += usize::from(judge(&page, *expect, true, &what));
            }
        }

        // Each refusal is one `denied` entry naming who was refused; nothing else is recorded as denied.
        let head = principal(&world.server, &world.users[0]).await;
        let filter = AuditFilter { outcome: Some(Outcome::Denied), limit: Some(10_000), ..AuditFilter::default() };
        let denied = world.server.store.audit(&head.audit_reader().unwrap(), &filter).await.unwrap();
        for (role, user) in world.users.iter().enumerate() {
            let recorded = denied.iter().filter(|e| e.actor.to_string() == user.0).count();
            assert_eq!(recorded, refusals[role], "denied entries for {}", ROLES[role]);
        }
        assert_eq!(denied.len(), refusals.iter().sum::<usize>());
        assert!(refusals[3] > 0 && refusals[5] > 0, "the table refuses plain staff and governors something");
        let channel = &world.fill["channel"];
        assert!(
            denied.iter().any(|e| e.object_kind == "channel" && &e.object_id == channel && e.from.is_some()),
            "refused uses of the channel name it, with the address they came from"
        );
        world.server.stop().await;
    }
}

/// Matches a concrete path against a pattern whose `{…}` segments match any one segment.
fn matches(pattern: &str, path: &str) -> bool {
    let (p, q): (Vec<&str>, Vec<&str>) = (pattern.split('/').collect(), path.split('/').collect());
    p.len() == q.len() && p.iter().zip(&q).all(|(a, b)| (a.starts_with('{') && !b.is_empty()) || a == b)
}

fn listed(method: &str, path: &str) -> bool {
    PAGES.iter().chain(API).any(|(m, p, _)| *m == method && matches(p, path))
}

/// Every local link and form on a page, as (method, path) without query or fragment.
fn targets(body: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let strip = |url: &str| url.split(['?', '#']).next().unwrap_or("").to_string();
    for (marker, method) in [("href=\"", "GET"), ("action=\"", "")] {
        let mut rest = body;
        while let Some(at) = rest.find(marker) {
            let tail = &rest[at + marker.len()..];
            let end = tail.find('"').unwrap();
            let url = &tail[..end];
            if url.starts_with('/') {
                let method = if method.is_empty() {
                    // A form's method is before its action in our templates.
                    let open = rest[..at].rfind("<form").map_or("", |f| &rest[f..at]);
                    if open.contains("method=\"post\"") { "POST" } else { "GET" }
                } else {
                    method
                };
                out.push((method.to_string(), strip(url)));
            }
            rest = &tail[end..];
        }
    }
    out
}

#[tokio::test]
async fn nothing_is_reachable_that_the_table_does_not_list() {
    for db in databases().await {
        let mut world = World::new(Server::start(db, Options::default()).await).await;

        // The API: the document lists exactly the table's routes (it is generated from the router).
        let doc: serde_json::Value =
            serde_json::from_str(&world.clients[7].get("/api/v1/openapi.json").await.body).unwrap();
        let mut documented = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for method in item.as_object().unwrap().keys() {
                documented.insert((method.to_uppercase(), path.clone()));
            }
        }
        let table: BTreeSet<(String, String)> = API.iter().map(|(m, p, _)| (m.to_string(), p.to_string())).collect();
        assert_eq!(documented, table, "the API routes and the table differ");

        // Every other method on a listed path is refused by the router. Sent by the headteacher's browser
        // with the form token, so that the CSRF check lets it through to the router.
        let (http, token) = (world.clients[0].http.clone(), world.clients[0].csrf.clone().unwrap());
        let paths: BTreeSet<&str> = PAGES.iter().chain(API).map(|(_, p, _)| *p).collect();
        for pattern in paths {
            let path = world.path(pattern);
            for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
                if listed(method, &path) {
                    continue;
                }
                let request = http
                    .request(Method::from_bytes(method.as_bytes()).unwrap(), world.server.url(&path))
                    .form(&[("csrf_token", token.as_str())]);
                let status = request.send().await.unwrap().status();
                assert!(
                    status == StatusCode::METHOD_NOT_ALLOWED || status == StatusCode::NOT_FOUND,
                    "{method} {path} is not in the table but answered {status}"
                );
            }
        }

        // Every link and form on every page each role can open points at a listed route.
        let mut seen = BTreeSet::new();
        for role in 0..ROLES.len() - 1 {
            for (method, pattern, expects) in PAGES {
                if *method != "GET"
                    || expects[role] != A
                    || pattern.starts_with("/api/")
                    || pattern.starts_with("/audit/export")
                {
                    continue;
                }
                let path = world.path(pattern);
                let page = world.clients[role].get(&path).await;
                for (m, target) in targets(&page.body) {
                    assert!(listed(&m, &target), "{path} as {} links to {m} {target}, not in the table", ROLES[role]);
                    seen.insert((m, target));
                }
            }
        }
        let (channel, person) = (&world.fill["channel"], &world.fill["person"]);
        for expected in [
            ("POST", format!("/channels/{channel}/grants")),
            ("GET", format!("/people/{person}/consents/photo_online")),
            ("POST", "/people/import".to_string()),
            ("GET", "/audit/export.csv".to_string()),
            ("POST", "/account/sign-in-providers".to_string()),
        ] {
            assert!(seen.contains(&(expected.0.to_string(), expected.1.clone())), "the crawl reached {expected:?}");
        }
        world.server.stop().await;
    }
}

#[test]
fn link_targets_are_read_with_their_methods() {
    let body = r##"<a href="/people?kind=pupil">x</a><a href="https://x.example">y</a><a href="#main">z</a>
        <form method="post" action="/channels/1/grants"><input></form><form method="get" action="/people">"##;
    assert_eq!(
        targets(body),
        [("GET", "/people"), ("POST", "/channels/1/grants"), ("GET", "/people")]
            .map(|(m, p)| (m.to_string(), p.to_string()))
    );
    assert!(matches("/channels/{channel}/grants", "/channels/1/grants"));
    assert!(!matches("/channels/{channel}", "/channels/1/grants") && !matches("/channels/{channel}", "/channels/"));
}
