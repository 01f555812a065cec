//! Sign-in with the school's account, end to end against a real OpenID Connect provider run locally
//! (the npm package `oidc-provider`, OpenID-certified): Gatehouse discovers it, sends the browser
//! there, the test signs in on the provider's own login and consent forms, and Gatehouse checks the
//! ID token it gets back. The HTTP client here is a browser without JavaScript: it keeps cookies and
//! follows each redirect by hand, so every hop can be looked at.

#[path = "browser/harness.rs"]
mod harness;

use harness::Gatehouse;
use reqwest::header::LOCATION;
use reqwest::{StatusCode, Url};
use school::access::Role;
use serde_json::json;
use store::{NewOidcProvider, Origin};

const CLIENT_ID: &str = "gatehouse";
const PASSWORD: &str = "provider password";

/// The school's accounts at its provider: what each ID token will say.
fn accounts() -> serde_json::Value {
    let account = |email: &str, verified: bool, amr: &[&str]| json!({ "login": email, "password": PASSWORD, "email": email, "email_verified": verified, "amr": amr });
    json!([
        account("teacher@school.example", true, &["pwd"]),
        account("head@school.example", true, &["pwd", "mfa"]),
        account("dsl@school.example", true, &["pwd"]),
        account("stranger@school.example", true, &["pwd"]),
        account("unverified@school.example", false, &["pwd"]),
        account("governor@elsewhere.example", true, &["pwd"]),
    ])
}

/// Gatehouse with accounts, and the provider configured for its school.
struct Setup {
    gatehouse: Gatehouse,
    _provider: harness::Helper,
}

async fn setup(test: &str) -> Option<Setup> {
    if !harness::require(test, &[("node", "nodejs"), ("npm", "npm")]) {
        return None;
    }
    let gatehouse = Gatehouse::start().await;
    let head = gatehouse.user("head@school.example", Role::Headteacher, None).await;
    gatehouse.user("teacher@school.example", Role::Staff, None).await;
    gatehouse.user("dsl@school.example", Role::Dsl, None).await;
    gatehouse.user("unverified@school.example", Role::Staff, None).await;
    // An account of this school whose address is not at the school's domain.
    gatehouse.user("governor@elsewhere.example", Role::Governor, None).await;

    let secret = hex::encode(rand::random::<[u8; 16]>());
    let redirect = gatehouse.url("/auth/oidc/callback");
    let clients = json!([{ "client_id": CLIENT_ID, "client_secret": secret, "redirect_uris": [redirect] }]);
    let (provider, issuer) = harness::oidc_provider(&json!({ "clients": clients, "accounts": accounts() })).await;

    let new = NewOidcProvider {
        name: "Microsoft 365".into(),
        issuer,
        client_id: CLIENT_ID.into(),
        client_secret: secret,
        allowed_domain: Some("school.example".into()),
    };
    let principal = gatehouse.headteacher(&head);
    let admin = principal.user_admin().unwrap();
    gatehouse.store.set_oidc_provider(&admin, Origin(None), &gatehouse.key, &new).await.unwrap();
    Some(Setup { gatehouse, _provider: provider })
}

/// A browser: cookies kept, redirects followed by hand.
fn browser() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

struct Hop {
    status: StatusCode,
    location: Option<Url>,
    body: String,
}

async fn hop(request: reqwest::RequestBuilder) -> Hop {
    let response = request.send().await.unwrap();
    let status = response.status();
    let here = response.url().clone();
    let location = response.headers().get(LOCATION).map(|l| here.join(l.to_str().unwrap()).unwrap());
    Hop { status, location, body: response.text().await.unwrap() }
}

/// The value of attribute `name` in the first tag at or after `from` in `html`.
fn attribute<'a>(html: &'a str, from: usize, name: &str) -> Option<&'a str> {
    let marker = format!("{name}=\"");
    let start = html[from..].find(&marker)? + from + marker.len();
    let end = html[start..].find('"')? + start;
    Some(&html[start..end])
}

/// Opens the sign-in page and presses "Sign in with your school account" (a GET form with the
/// provider's id and where to go afterwards); returns Gatehouse's answer, the redirect to the provider.
async fn press_school_account_button(http: &reqwest::Client, gatehouse: &Gatehouse, next: &str) -> Hop {
    let page = hop(http.get(gatehouse.url("/sign-in"))).await;
    assert_eq!(page.status, StatusCode::OK);
    let button =
        page.body.find("Sign in with your school account").expect("the sign-in page offers the school account");
    let form = page.body[..button].rfind("<form").unwrap();
    let action = attribute(&page.body, form, "action").unwrap();
    assert_eq!(action, format!("/auth/oidc/{}/start", gatehouse.school.0));
    let provider_field = page.body[form..].find("name=\"provider\"").unwrap() + form;
    let provider = attribute(&page.body, provider_field, "value").unwrap();
    let mut start = Url::parse(&gatehouse.url(action)).unwrap();
    start.query_pairs_mut().append_pair("provider", provider).append_pair("next", next);
    hop(http.get(start)).await
}

/// What the person does at the provider's login page.
#[derive(Clone, Copy, PartialEq)]
enum AtProvider {
    SignIn,
    Cancel,
}

/// At the provider: follows its redirects and fills its forms (login, then consent; or the login page's
/// cancel button) until it sends the browser back to Gatehouse; returns that callback address.
async fn through_provider(
    http: &reqwest::Client,
    authorize: Url,
    gatehouse: &Gatehouse,
    login: &str,
    act: AtProvider,
) -> Url {
    let callback = gatehouse.url("/auth/oidc/callback");
    let mut next = authorize;
    // A bounded walk: authorize → login form → resume → consent form → resume → callback.
    for _ in 0..12 {
        if next.as_str().starts_with(&callback) {
            return next;
        }
        let here = hop(http.get(next.clone())).await;
        if let Some(location) = here.location {
            next = location;
            continue;
        }
        assert_eq!(here.status, StatusCode::OK, "provider page {next}: {}", here.body);
        // The first form (login, consent), or the one that cancels.
        let form = match act {
            AtProvider::SignIn => here.body.find("<form"),
            AtProvider::Cancel => here.body.find("/abort\"").and_then(|at| here.body[..at].rfind("<form")),
        };
        let form = form.unwrap_or_else(|| panic!("no form wanted on the provider page {next}: {}", here.body));
        let action = next.join(attribute(&here.body, form, "action").unwrap()).unwrap();
        let login_form = act == AtProvider::SignIn && here.body.contains("name=\"login\"");
        let fields: Vec<(&str, &str)> =
            if login_form { vec![("login", login), ("password", PASSWORD)] } else { vec![] };
        let submitted = hop(http.post(action).form(&fields)).await;
        next = submitted
            .location
            .unwrap_or_else(|| panic!("provider form answered {}: {}", submitted.status, submitted.body));
    }
    panic!("the provider never sent the browser back to Gatehouse");
}

/// The whole round trip up to (not including) the callback: Gatehouse's redirect, checked for PKCE,
/// state and nonce, then the provider.
async fn until_callback(
    http: &reqwest::Client,
    gatehouse: &Gatehouse,
    login: &str,
    next: &str,
    act: AtProvider,
) -> Url {
    let start = press_school_account_button(http, gatehouse, next).await;
    assert_eq!(start.status, StatusCode::SEE_OTHER);
    let authorize = start.location.expect("start redirects to the provider");
    let query: Vec<(String, String)> = authorize.query_pairs().into_owned().collect();
    let param = |name: &str| query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    assert_eq!(param("response_type"), Some("code"));
    assert_eq!(param("client_id"), Some(CLIENT_ID));
    assert_eq!(param("code_challenge_method"), Some("S256"), "PKCE with SHA-256");
    assert!(param("code_challenge").is_some_and(|c| c.len() >= 43));
    assert!(param("state").is_some_and(|s| !s.is_empty()) && param("nonce").is_some_and(|n| !n.is_empty()));
    assert!(param("scope").is_some_and(|s| s.split(' ').any(|w| w == "openid") && s.contains("email")));
    through_provider(http, authorize, gatehouse, login, act).await
}

/// Where a fresh browser ends up after signing in as `login`: Gatehouse's answer to the callback.
async fn sign_in_as(http: &reqwest::Client, gatehouse: &Gatehouse, login: &str, next: &str) -> Hop {
    let callback = until_callback(http, gatehouse, login, next, AtProvider::SignIn).await;
    hop(http.get(callback)).await
}

async fn dashboard_status(http: &reqwest::Client, gatehouse: &Gatehouse) -> (StatusCode, Option<String>) {
    let page = hop(http.get(gatehouse.url("/"))).await;
    (page.status, page.location.map(|l| l.path().to_string()))
}

#[tokio::test]
async fn staff_sign_in_with_the_school_account_and_land_where_they_were_going() {
    let Some(setup) = setup("oidc staff sign-in").await else { return };
    let gatehouse = &setup.gatehouse;
    let http = browser();
    assert_eq!(dashboard_status(&http, gatehouse).await.0, StatusCode::SEE_OTHER, "signed out at first");

    let done = sign_in_as(&http, gatehouse, "teacher@school.example", "/account").await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location.unwrap().path(), "/account", "sign-in goes on to the page asked for");
    let account = hop(http.get(gatehouse.url("/account"))).await;
    assert_eq!(account.status, StatusCode::OK);
    assert!(account.body.contains("site-header__role\">Staff<"), "signed in as the provider's user, a teacher");
    assert_eq!(dashboard_status(&http, gatehouse).await, (StatusCode::OK, None));
}

#[tokio::test]
async fn roles_that_need_mfa_skip_gatehouses_code_only_when_the_provider_says_it_did_mfa() {
    let Some(setup) = setup("oidc mfa").await else { return };
    let gatehouse = &setup.gatehouse;

    // The headteacher's ID token says amr = [pwd, mfa]: fully signed in.
    let head = browser();
    let done = sign_in_as(&head, gatehouse, "head@school.example", "/").await;
    assert_eq!(done.location.unwrap().path(), "/");
    assert_eq!(dashboard_status(&head, gatehouse).await, (StatusCode::OK, None));

    // The DSL's says amr = [pwd]: the password alone is not enough, Gatehouse's TOTP enrolment is next.
    let dsl = browser();
    let done = sign_in_as(&dsl, gatehouse, "dsl@school.example", "/").await;
    assert_eq!(done.location.unwrap().path(), "/mfa/enrol");
    assert_eq!(dashboard_status(&dsl, gatehouse).await, (StatusCode::SEE_OTHER, Some("/mfa/enrol".into())));
}

#[tokio::test]
async fn a_callback_with_another_state_is_refused_and_the_flow_cannot_be_replayed() {
    let Some(setup) = setup("oidc wrong state").await else { return };
    let gatehouse = &setup.gatehouse;
    let http = browser();
    let callback = until_callback(&http, gatehouse, "teacher@school.example", "/", AtProvider::SignIn).await;

    let mut forged = callback.clone();
    let pairs: Vec<(String, String)> = callback.query_pairs().into_owned().collect();
    let mut query = forged.query_pairs_mut();
    query.clear();
    for (name, value) in &pairs {
        query.append_pair(name, if name == "state" { "not-the-state-we-sent" } else { value });
    }
    drop(query);
    let refused = hop(http.get(forged)).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("not started here or has already been used"), "{}", refused.body);
    assert_eq!(dashboard_status(&http, gatehouse).await.0, StatusCode::SEE_OTHER, "still signed out");

    // The genuine callback now finds nothing to finish: a state is good for one attempt only.
    let replayed = hop(http.get(callback)).await;
    assert_eq!(replayed.status, StatusCode::BAD_REQUEST);
    assert_eq!(dashboard_status(&http, gatehouse).await.0, StatusCode::SEE_OTHER, "still signed out");

    // A callback in a browser that never started a flow is refused too.
    let elsewhere = browser();
    let stray = hop(elsewhere.get(gatehouse.url("/auth/oidc/callback?code=abc&state=def"))).await;
    assert_eq!(stray.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn unknown_unverified_and_off_domain_addresses_are_refused() {
    let Some(setup) = setup("oidc refusals").await else { return };
    let gatehouse = &setup.gatehouse;
    let cases = [
        ("stranger@school.example", "There is no Gatehouse account for your school account"),
        ("unverified@school.example", "email address is not verified"),
        ("governor@elsewhere.example", "Only addresses ending @school.example can sign in this way"),
    ];
    for (login, message) in cases {
        let http = browser();
        let refused = sign_in_as(&http, gatehouse, login, "/").await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{login}: {}", refused.body);
        assert!(refused.body.contains(message), "{login}: {}", refused.body);
        assert!(refused.body.contains("role=\"alert\""), "{login}: the problem is announced");
        assert_eq!(dashboard_status(&http, gatehouse).await.0, StatusCode::SEE_OTHER, "{login}: still signed out");
    }
    let failures = gatehouse
        .store
        .recent_failures("stranger@school.example", "127.0.0.1", std::time::Duration::from_secs(900))
        .await;
    assert_eq!(failures.unwrap().account, 1, "a refusal is counted as a failed attempt");
}

#[tokio::test]
async fn only_the_schools_own_providers_can_be_started() {
    let Some(setup) = setup("oidc unknown provider").await else { return };
    let gatehouse = &setup.gatehouse;
    let http = browser();
    let other_school = gatehouse.store.create_school("Another School", None).await.unwrap();
    let cases = [
        format!("/auth/oidc/{}/start", other_school.0),
        format!("/auth/oidc/{}/start?provider=nonexistent", gatehouse.school.0),
        "/auth/oidc/no-such-school/start".to_string(),
    ];
    for path in cases {
        let page = hop(http.get(gatehouse.url(&path))).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test]
async fn cancelling_at_the_provider_says_so_and_signs_nobody_in() {
    let Some(setup) = setup("oidc cancel").await else { return };
    let gatehouse = &setup.gatehouse;
    let http = browser();
    let callback = until_callback(&http, gatehouse, "teacher@school.example", "/", AtProvider::Cancel).await;
    assert!(callback.query_pairs().any(|(k, v)| k == "error" && v == "access_denied"), "{callback}");
    let refused = hop(http.get(callback)).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert!(refused.body.contains("did not sign you in (access_denied)"), "{}", refused.body);
    assert_eq!(dashboard_status(&http, gatehouse).await.0, StatusCode::SEE_OTHER, "still signed out");
}
