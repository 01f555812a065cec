//! The server as a browser and an API client see it: a real server on port 0, over SQLite (and
//! PostgreSQL when `GATEHOUSE_TEST_DATABASE_URL` is set).

mod support;

use reqwest::StatusCode;
use school::access::Role;
use support::{Authenticator, Client, Options, PASSWORD, Server, databases, read};

const SECURITY_HEADERS: [(&str, &str); 6] = [
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
    ("cross-origin-opener-policy", "same-origin"),
    ("permissions-policy", "camera=()"),
    ("content-security-policy", "frame-ancestors 'none'"),
];

fn assert_security_headers(page: &support::Page, what: &str) {
    for (name, expected) in SECURITY_HEADERS {
        let value = page.header(name).unwrap_or_else(|| panic!("{what}: no {name}"));
        assert!(value.contains(expected), "{what}: {name} is {value:?}");
    }
    let csp = page.header("content-security-policy").unwrap();
    assert!(csp.contains("default-src 'self'") && !csp.contains("unsafe-inline"), "{what}: {csp}");
    assert!(page.header("x-request-id").is_some_and(|id| !id.is_empty()), "{what}: no request id");
}

#[tokio::test]
async fn staff_sign_in_reaches_a_dashboard_that_offers_only_what_the_role_allows() {
    for db in databases().await {
        let server = Server::start(db, Options::default()).await;
        server.user("teacher@school.example", Role::Staff).await;
        server.user("head@school.example", Role::Headteacher).await;

        let mut anonymous = server.client();
        let page = anonymous.get("/").await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        assert_eq!(page.location(), Some("/sign-in?next=%2F"));

        let mut teacher = server.client();
        let signed_in = teacher.sign_in("Teacher@School.example ", PASSWORD).await;
        assert_eq!(signed_in.location(), Some("/"), "{}", signed_in.body);
        let cookie = signed_in.header("set-cookie").expect("a new session id after sign-in");
        assert!(cookie.starts_with("gatehouse=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
        let dashboard = teacher.get("/").await;
        assert_eq!(dashboard.status, StatusCode::OK);
        assert!(dashboard.body.contains("Dar ul Madinah Primary School"));
        assert!(dashboard.body.contains("href=\"/suggestions\""), "staff may suggest content");
        for hidden in [
            "href=\"/audit\"",
            "href=\"/channels\"",
            "href=\"/people\"",
            "href=\"/people/import\"",
            "href=\"/figures\"",
        ] {
            assert!(!dashboard.body.contains(hidden), "staff without grants must not be offered {hidden}");
        }
        assert!(!dashboard.body.contains("id=\"dashboard-pupils\""), "nor the figures");
        assert!(dashboard.body.contains("lang=\"en-GB\"") && dashboard.body.contains("href=\"#main\""));
        server.stop().await;
    }
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_answer() {
    for db in databases().await {
        let server = Server::start(db, Options::default()).await;
        server.user("teacher@school.example", Role::Staff).await;
        let mut client = server.client();
        let wrong = client.sign_in("teacher@school.example", "not the password").await;
        let unknown = client.sign_in("nobody@school.example", "not the password").await;
        for page in [&wrong, &unknown] {
            assert_eq!(page.status, StatusCode::UNAUTHORIZED);
            assert!(page.body.contains("role=\"alert\""));
            assert!(page.body.contains("The email address or password is not right."));
            assert!(page.body.contains("aria-describedby=\"sign-in-error\""));
        }
        assert_eq!(client.get("/").await.status, StatusCode::SEE_OTHER, "still signed out");
        server.stop().await;
    }
}

#[tokio::test]
async fn failures_lock_the_account_whatever_address_they_come_from() {
    for db in databases().await {
        let options = Options { trusted_proxies: vec!["127.0.0.1".parse().unwrap()], ..Options::default() };
        let server = Server::start(db, options).await;
        server.user("teacher@school.example", Role::Staff).await;
        server.user("other@school.example", Role::Staff).await;
        let mut client = server.client();
        for n in 1..=3 {
            let from = format!("198.51.100.{n}");
            let page = client.sign_in_from("teacher@school.example", "wrong", &[("x-forwarded-for", &from)]).await;
            assert_eq!(page.status, StatusCode::UNAUTHORIZED);
        }
        let locked =
            client.sign_in_from("teacher@school.example", PASSWORD, &[("x-forwarded-for", "198.51.100.9")]).await;
        assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS, "the right password is refused while locked");
        assert!(locked.body.contains("Too many failed attempts"));
        let other = client.sign_in_from("other@school.example", PASSWORD, &[("x-forwarded-for", "198.51.100.9")]).await;
        assert_eq!(other.status, StatusCode::SEE_OTHER, "another account is not locked");
        server.stop().await;
    }
}

#[tokio::test]
async fn failures_from_one_address_lock_that_address_for_every_account() {
    for db in databases().await {
        let options = Options { trusted_proxies: vec!["127.0.0.1".parse().unwrap()], ..Options::default() };
        let server = Server::start(db, options).await;
        server.user("teacher@school.example", Role::Staff).await;
        let mut client = server.client();
        let sprayer = [("x-forwarded-for", "203.0.113.7")];
        for n in 0..6 {
            let page = client.sign_in_from(&format!("guess{n}@school.example"), "Summer2026", &sprayer).await;
            assert_eq!(page.status, StatusCode::UNAUTHORIZED);
        }
        let refused = client.sign_in_from("teacher@school.example", PASSWORD, &sprayer).await;
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
        let elsewhere =
            client.sign_in_from("teacher@school.example", PASSWORD, &[("x-forwarded-for", "192.0.2.1")]).await;
        assert_eq!(elsewhere.status, StatusCode::SEE_OTHER, "the same account from another address signs in");
        server.stop().await;
    }
}

#[tokio::test]
async fn forwarded_for_from_an_untrusted_peer_does_not_escape_the_address_limit() {
    for db in databases().await {
        let server = Server::start(db, Options::default()).await;
        server.user("teacher@school.example", Role::Staff).await;
        let mut client = server.client();
        for n in 0..6 {
            let spoofed = format!("192.0.2.{n}");
            let page =
                client.sign_in_from(&format!("guess{n}@school.example"), "x", &[("x-forwarded-for", &spoofed)]).await;
            assert_eq!(page.status, StatusCode::UNAUTHORIZED);
        }
        let refused =
            client.sign_in_from("teacher@school.example", PASSWORD, &[("x-forwarded-for", "192.0.2.200")]).await;
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "every attempt counted against 127.0.0.1");
        server.stop().await;
    }
}

#[tokio::test]
async fn roles_that_need_mfa_enrol_at_first_sign_in_and_a_code_cannot_be_replayed() {
    for db in databases().await {
        let server = Server::start(db, Options::default()).await;
        server.user("head@school.example", Role::Headteacher).await;
        let mut head = server.client();

        let page = head.sign_in("head@school.example", PASSWORD).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        assert_eq!(page.location(), Some("/mfa/enrol"));
        let blocked = head.get("/").await;
        assert_eq!(blocked.location(), Some("/mfa/enrol"), "no principal before the second factor");

        let enrol = head.get("/mfa/enrol").await;
        assert_eq!(enrol.status, StatusCode::OK);
        assert!(enrol.body.contains("<svg role=\"img\""), "QR code inline");
        let key = enrol.text_of_id("secret").expect("the key is shown for manual entry");
        let again = head.get("/mfa/enrol").await;
        assert_eq!(again.text_of_id("secret").as_deref(), Some(key.as_str()), "a reload keeps the secret");
        let app = Authenticator::from_page_key(&key);

        let wrong = head.post("/mfa/enrol", &[("code", "000000")]).await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert!(wrong.body.contains("role=\"alert\""));
        let code = app.code(0);
        let enrolled = head.post("/mfa/enrol", &[("code", &code)]).await;
        assert_eq!(enrolled.status, StatusCode::SEE_OTHER, "{}", enrolled.body);
        assert_eq!(enrolled.location(), Some("/"));
        assert_eq!(head.get("/").await.status, StatusCode::OK);

        // A second browser: password, then a code; the code just used is refused.
        let mut second = server.client();
        let page = second.sign_in("head@school.example", PASSWORD).await;
        assert_eq!(page.location(), Some("/mfa"));
        assert_eq!(second.get("/mfa").await.status, StatusCode::OK);
        let replay = second.post("/mfa", &[("code", &code)]).await;
        assert_eq!(replay.status, StatusCode::UNAUTHORIZED, "a replayed code is refused");
        assert_eq!(second.get("/").await.location(), Some("/mfa"));
        let next = second.post("/mfa", &[("code", &app.code(1))]).await;
        assert_eq!(next.status, StatusCode::SEE_OTHER, "{}", next.body);
        assert_eq!(second.get("/").await.status, StatusCode::OK);
        server.stop().await;
    }
}

#[tokio::test]
async fn forms_without_the_session_token_or_from_another_origin_are_refused() {
    for db in databases().await {
        let server = Server::start(db, Options::default()).await;
        server.user("teacher@school.example", Role::Staff).await;
        let mut client = server.client();
        client.get("/sign-in").await;
        let token = client.csrf.clone().unwrap();
        let fields = [("email", "teacher@school.example"), ("password", PASSWORD)];

        let missing = client.post_raw("/sign-in", &fields, &[]).await;
        let with_wrong = [fields[0], fields[1], ("csrf_token", "0123")];
        let wrong = client.post_raw("/sign-in", &with_wrong, &[]).await;
        let with_token = [fields[0], fields[1], ("csrf_token", token.as_str())];
        let foreign = client.post_raw("/sign-in", &with_token, &[("origin", "https://evil.example")]).await;
        let cross_site = client.post_raw("/sign-in", &with_token, &[("sec-fetch-site", "cross-site")]).await;
        for (what, page) in [("missing", &missing), ("wrong", &wrong), ("origin", &foreign), ("fetch", &cross_site)] {
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{what}");
            assert!(page.body.contains("came from another site"), "{what}: {}", page.body);
            assert!(page.body.contains("operation id"), "{what}");
            assert_security_headers(page, what);
        }
        let own_origin = server.base.clone();
        let ok = client.post_raw("/sign-in", &with_token, &[("origin", &own_origin)]).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "same origin with the token passes: {}", ok.body);
        server.stop().await;
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers_and_errors_carry_the_request_id() {
    for db in databases().await {
        let server = Server::start(db, Options::default()).await;
        let mut client = server.client();
        let http = reqwest::Client::new();
        let mut pages = vec![
            ("sign-in", client.get("/sign-in").await),
            ("redirect", client.get("/").await),
            ("css", client.get("/static/gatehouse.css").await),
            ("healthz", client.get("/healthz").await),
            ("openapi", client.get("/api/v1/openapi.json").await),
            ("api 401", client.get("/api/v1/me").await),
            ("csrf 403", client.post_raw("/sign-out", &[], &[]).await),
        ];
        let not_found =
            read(http.get(server.url("/no/such/page")).header("x-request-id", "test-id-42").send().await.unwrap())
                .await;
        assert_eq!(not_found.status, StatusCode::NOT_FOUND);
        assert_eq!(not_found.header("x-request-id"), Some("test-id-42"), "the id is echoed");
        assert!(not_found.body.contains("test-id-42"), "the error page shows the operation id");
        assert!(not_found.header("content-type").unwrap().starts_with("text/html"));
        pages.push(("404", not_found));

        let api_404 = read(http.get(server.url("/api/v1/nothing")).send().await.unwrap()).await;
        let id = api_404.header("x-request-id").unwrap().to_string();
        assert_eq!(id.len(), 32, "a generated id: {id}");
        let body: serde_json::Value = serde_json::from_str(&api_404.body).unwrap();
        assert_eq!(body["code"], "not_found");
        assert_eq!(body["operation_id"], id.as_str());
        pages.push(("api 404", api_404));

        let hostile =
            read(http.get(server.url("/nope")).header("x-request-id", "a b\"<script>").send().await.unwrap()).await;
        assert_ne!(hostile.header("x-request-id"), Some("a b\"<script>"), "an unsafe id is replaced");
        for (what, page) in &pages {
            assert_security_headers(page, what);
        }
        server.stop().await;
    }
}

#[tokio::test]
async fn sign_out_everywhere_ends_the_other_sessions_and_keeps_this_one() {
    for db in databases().await {
        let server = Server::start(db, Options::default()).await;
        server.user("teacher@school.example", Role::Staff).await;
        let mut laptop = Client::signed_in(&server, "teacher@school.example").await;
        let mut phone = Client::signed_in(&server, "teacher@school.example").await;
        assert_eq!(phone.get("/").await.status, StatusCode::OK);

        laptop.get("/account").await;
        let done = laptop.post("/sign-out/everywhere", &[]).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER);
        assert_eq!(laptop.get("/").await.status, StatusCode::OK, "this session stays");
        let phone_page = phone.get("/").await;
        assert_eq!(phone_page.status, StatusCode::SEE_OTHER);
        assert!(phone_page.location().unwrap().starts_with("/sign-in"), "the other session is over");

        laptop.get("/").await;
        let out = laptop.post("/sign-out", &[]).await;
        assert_eq!(out.location(), Some("/sign-in"));
        assert_eq!(laptop.get("/").await.status, StatusCode::SEE_OTHER, "signed out");
        server.stop().await;
    }
}

#[tokio::test]
async fn api_tokens_act_as_their_owner_until_revoked() {
    for db in databases().await {
        let server = Server::start(db, Options::default()).await;
        server.user("teacher@school.example", Role::Staff).await;
        let mut teacher = Client::signed_in(&server, "teacher@school.example").await;
        teacher.get("/account").await;
        let created = teacher.post("/account/tokens", &[("name", "timetable sync"), ("scope", "read")]).await;
        assert_eq!(created.status, StatusCode::OK);
        let token = created.text_of_id("new-token").expect("the token is shown once");
        assert!(token.starts_with("gh_"));
        let listed = teacher.get("/account").await;
        assert!(listed.body.contains("timetable sync") && !listed.body.contains(&token), "listed, never shown again");

        let http = reqwest::Client::new();
        let me = read(http.get(server.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap()).await;
        assert_eq!(me.status, StatusCode::OK, "{}", me.body);
        let body: serde_json::Value = serde_json::from_str(&me.body).unwrap();
        assert_eq!(body["role"], "staff");
        assert_eq!(body["scope"], "read");
        let bogus = read(http.get(server.url("/api/v1/me")).bearer_auth("gh_nonsense").send().await.unwrap()).await;
        assert_eq!(bogus.status, StatusCode::UNAUTHORIZED);

        let marker = "action=\"/account/tokens/";
        let start = listed.body.find(marker).unwrap() + marker.len();
        let id = &listed.body[start..start + listed.body[start..].find('/').unwrap()];
        let revoked = teacher.post(&format!("/account/tokens/{id}/revoke"), &[]).await;
        assert_eq!(revoked.status, StatusCode::SEE_OTHER);
        let after = read(http.get(server.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap()).await;
        assert_eq!(after.status, StatusCode::UNAUTHORIZED);
        let body: serde_json::Value = serde_json::from_str(&after.body).unwrap();
        assert_eq!(body["code"], "unauthenticated");
        let again = teacher.post(&format!("/account/tokens/{id}/revoke"), &[]).await;
        assert_eq!(again.status, StatusCode::NOT_FOUND, "a revoked token cannot be revoked again");
        server.stop().await;
    }
}

/// What a Prometheus scraper is configured with in these tests.
const METRICS_TOKEN: &str = "prometheus-scrapes-with-this-token";

/// `/metrics` as a scraper sends it, with `token` as its bearer token if any.
async fn scrape(server: &Server, token: Option<&str>) -> support::Page {
    let mut request = reqwest::Client::new().get(server.url("/metrics"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    read(request.send().await.unwrap()).await
}

#[tokio::test]
async fn health_metrics_and_the_openapi_document() {
    for db in databases().await {
        let options = Options { metrics_token: Some(METRICS_TOKEN.into()), ..Options::default() };
        let server = Server::start(db, options).await;
        let mut client = server.client();
        let health = client.get("/healthz").await;
        assert_eq!((health.status, health.body.as_str()), (StatusCode::OK, "ok"));
        client.get("/sign-in").await;
        client.get("/no/such/page").await;
        for (what, token) in [("no token", None), ("a wrong token", Some("prometheus-scrapes-with-this-tokem"))] {
            let refused = scrape(&server, token).await;
            assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{what}");
            assert_eq!(refused.header("www-authenticate"), Some("Bearer realm=\"metrics\""), "{what}");
            assert!(!refused.body.contains("http_requests_total"), "{what}");
        }
        let metrics = scrape(&server, Some(METRICS_TOKEN)).await;
        assert_eq!(metrics.status, StatusCode::OK);
        assert!(metrics.body.contains("http_requests_total"), "{}", metrics.body);
        assert!(metrics.body.contains("route=\"/sign-in\""));
        assert!(metrics.body.contains("route=\"unmatched\"") || metrics.body.contains("status=\"404\""));
        assert!(metrics.body.contains("http_request_duration_seconds_bucket"));

        let doc: serde_json::Value = serde_json::from_str(&client.get("/api/v1/openapi.json").await.body).unwrap();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
        assert!(doc["paths"]["/api/v1/me"]["get"].is_object());
        assert!(doc["paths"].get("/sign-in").is_none(), "pages are not in the API document");
        assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
        assert!(doc["paths"].get("/metrics").is_none(), "the scraper's token is not an API token");
        server.stop().await;
        // Once stopped, the database still answers but nothing listens.
    }
}

#[tokio::test]
async fn without_a_metrics_token_configured_metrics_are_not_served() {
    for db in databases().await {
        let server = Server::start(db, Options::default()).await;
        server.client().get("/sign-in").await;
        for token in [None, Some(METRICS_TOKEN)] {
            let page = scrape(&server, token).await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "{token:?}");
            assert!(!page.body.contains("http_requests_total"));
        }
        server.stop().await;
    }
}

#[tokio::test]
async fn healthz_says_so_when_the_database_stops_answering() {
    for db in databases().await {
        let server = Server::start(db, Options::default()).await;
        let http = reqwest::Client::new();
        let up = read(http.get(server.url("/healthz")).send().await.unwrap()).await;
        assert_eq!((up.status, up.body.as_str()), (StatusCode::OK, "ok"));
        server.store.close().await;
        let down = read(http.get(server.url("/healthz")).send().await.unwrap()).await;
        assert_eq!(down.status, StatusCode::SERVICE_UNAVAILABLE, "a balancer takes this server out");
        assert_eq!(down.body, "database unreachable");
        server.stop().await;
    }
}

/// Rows in the session table with this id, expired or not (the store's `load` hides expired ones).
async fn session_rows(store: &store::Store, id: &tower_sessions::session::Id) -> i64 {
    let id = id.to_string();
    match store {
        store::Store::Sqlite(p) => {
            sqlx::query_scalar("SELECT COUNT(*) FROM tower_sessions WHERE id = $1").bind(id).fetch_one(p).await
        }
        store::Store::Postgres(p) => {
            sqlx::query_scalar("SELECT COUNT(*) FROM tower_sessions.session WHERE id = $1").bind(id).fetch_one(p).await
        }
    }
    .unwrap()
}

/// A session in the database that expires `from_now` from now (in the past when negative).
async fn session_expiring(store: &store::Store, from_now: time::Duration) -> tower_sessions::session::Id {
    use tower_sessions::SessionStore;
    let mut record = tower_sessions::session::Record {
        id: Default::default(),
        data: [("auth".to_string(), serde_json::json!("someone"))].into_iter().collect(),
        expiry_date: time::OffsetDateTime::now_utc() + from_now,
    };
    store.session_store().create(&mut record).await.unwrap();
    record.id
}

/// Waits (without sleeping: on the server's count of finished sweeps) until `n` sweeps have finished.
async fn sweeps_reach(server: &Server, n: u64) {
    let mut sweeps = server.state.session_sweeps();
    let waited = tokio::time::timeout(std::time::Duration::from_secs(30), sweeps.wait_for(|done| *done >= n)).await;
    waited.expect("the sweeper keeps sweeping").unwrap();
}

#[tokio::test]
async fn expired_sessions_are_deleted_at_start_and_then_every_period() {
    for db in databases().await {
        let hour = time::Duration::hours(1);
        let stale = session_expiring(&db.store, -hour).await;
        let live = session_expiring(&db.store, hour).await;
        let options = Options {
            session_sweep_every: std::time::Duration::from_millis(20),
            metrics_token: Some(METRICS_TOKEN.into()),
            ..Options::default()
        };
        let server = Server::start(db, options).await;
        sweeps_reach(&server, 1).await;
        assert_eq!(session_rows(&server.store, &stale).await, 0, "swept at start");
        assert_eq!(session_rows(&server.store, &live).await, 1, "a live session stays");

        // A sweep may already be under way, so whether `later` is still there at this instant is a race;
        // what matters is that a sweep begun after it was written removes it.
        let later = session_expiring(&server.store, -hour).await;
        // The sweep after next began after `later` was written.
        let done = *server.state.session_sweeps().borrow();
        sweeps_reach(&server, done + 2).await;
        assert_eq!(session_rows(&server.store, &later).await, 0, "swept by a later sweep");
        assert_eq!(session_rows(&server.store, &live).await, 1);
        let metrics = scrape(&server, Some(METRICS_TOKEN)).await;
        assert!(metrics.body.contains("session_sweeps_total{outcome=\"ok\"}"), "{}", metrics.body);
        // `stop` returns only once `serve` has, and `serve` waits for the sweeper to end.
        server.stop().await;
    }
}

#[tokio::test]
async fn sign_ins_and_refused_capabilities_are_recorded_in_the_audit_log() {
    use school::audit::{Actor, Outcome};
    for db in databases().await {
        let server = Server::start(db, Options::default()).await;
        let teacher = server.user("teacher@school.example", Role::Staff).await;
        let head = server.user("head@school.example", Role::Headteacher).await;
        Client::signed_in(&server, "teacher@school.example").await;
        let principal = server.store.principal(&teacher).await.unwrap();
        assert!(principal.channel_admin().is_none());
        let signed = web::Signed { principal, from: web::ClientAddr("198.51.100.4".parse().unwrap()) };

        let refusal = web::deny(&server.state, &signed, "channel.grant", "channel", "chan-1").await;
        assert_eq!((refusal.status().as_u16(), refusal.code()), (403, "forbidden"));

        let head = server.store.principal(&head).await.unwrap();
        let filter = store::AuditFilter { outcome: Some(Outcome::Denied), ..Default::default() };
        let denied = server.store.audit(&head.audit_reader().unwrap(), &filter).await.unwrap();
        assert_eq!(denied.len(), 1, "{denied:?}");
        let entry = &denied[0];
        assert_eq!(entry.action, "channel.grant");
        assert_eq!((entry.object_kind.as_str(), entry.object_id.as_str()), ("channel", "chan-1"));
        assert_eq!(entry.actor, Actor::from_user(&teacher));
        assert_eq!(entry.from.as_deref(), Some("198.51.100.4"));

        let filter = store::AuditFilter { action: Some("user.sign_in".into()), ..Default::default() };
        let sign_ins = server.store.audit(&head.audit_reader().unwrap(), &filter).await.unwrap();
        assert_eq!(sign_ins.len(), 1, "the sign-in is audited too");
        assert_eq!((sign_ins[0].actor.clone(), sign_ins[0].outcome), (Actor::from_user(&teacher), Outcome::Ok));
        server.stop().await;
    }
}
