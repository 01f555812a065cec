//! Sign-in with the school's own accounts (Microsoft 365, Google Workspace) by OpenID Connect.
//!
//! Flow (authorization code with PKCE, state and nonce):
//!
//! 1. `GET /auth/oidc/{school}/start[?provider=ID&next=/path]` discovers the provider from its issuer,
//!    keeps a fresh PKCE verifier, state and nonce in the session (database-backed, so any server
//!    process can finish the flow) and sends the browser to the provider.
//! 2. `GET /auth/oidc/callback?code&state` takes that record out of the session (single use), refuses
//!    a state it did not issue, exchanges the code with the verifier and the client secret, and lets
//!    the `openidconnect` crate check the ID token: signature against the provider's published keys,
//!    issuer, audience, expiry, and our nonce.
//! 3. The token's email must be verified, at the provider's allowed domain, and belong to an enabled
//!    account of the provider's school: OIDC signs in existing accounts only, it never creates one.
//! 4. The session is established exactly as after a password ([`session::advance`], the same audit
//!    entry and login counter), including the second factor the role needs — see [`stage_after`].
//!
//! Every refusal shows a page that says what to do, and is counted as a failed attempt.

use std::sync::OnceLock;
use std::time::Duration;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet, EndpointSet, HttpRequest,
    HttpResponse, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
};
use school::access::SchoolId;
use school::user::{User, normalise_email};
use serde::{Deserialize, Serialize};
use store::{LoginKind, OidcProvider};
use tower_sessions::Session;

use super::{sign_in, throttle};
use crate::error::AppError;
use crate::extract::ClientAddr;
use crate::pages::{Layout, with_status};
use crate::session::{self, SignIn, Stage};
use crate::state::AppState;

/// The callback path registered with every provider (as `{public origin}/auth/oidc/callback`).
pub const CALLBACK_PATH: &str = "/auth/oidc/callback";

/// Where the start step's secrets wait for the callback.
const FLOW_KEY: &str = "oidc_flow";

/// A provider that takes longer than this to answer is treated as down, so a sign-in never hangs.
const PROVIDER_TIMEOUT: Duration = Duration::from_secs(10);

/// `amr` values (RFC 8176, and Microsoft Entra's) that mean the provider checked more than a password.
/// `mfa`: several factors; `otp`: a one-time code, the factor Gatehouse's own TOTP step would add;
/// `ngcmfa`: Entra's Windows Hello for Business / passwordless multi-factor.
const MFA_AMR: [&str; 3] = ["mfa", "otp", "ngcmfa"];

/// What the start step leaves in the session for the callback.
#[derive(Serialize, Deserialize)]
struct Flow {
    provider: String,
    state: String,
    nonce: String,
    pkce_verifier: String,
    next: String,
}

/// One "Sign in with your school account" button on the sign-in page: a GET form to [`start`].
#[derive(Clone, Debug)]
pub struct Button {
    pub action: String,
    pub provider: String,
    /// The provider's name ("Microsoft 365"), and the school's when the deployment serves several.
    pub label: String,
}

/// The buttons for every school's providers. A database failure leaves the page with the password
/// form only (and a log line): sign-in by password must not depend on this.
pub async fn buttons(state: &AppState) -> Vec<Button> {
    match providers_by_school(state).await {
        Ok(found) => found,
        Err(err) => {
            tracing::error!(error = %err, "could not list OIDC providers for the sign-in page");
            Vec::new()
        }
    }
}

async fn providers_by_school(state: &AppState) -> Result<Vec<Button>, store::Error> {
    let schools = state.store.schools().await?;
    let several = schools.len() > 1;
    let mut buttons = Vec::new();
    for school in schools {
        for provider in state.store.oidc_providers(&school.id).await? {
            let label = if several { format!("{} ({})", provider.name, school.name) } else { provider.name.clone() };
            let action = format!("/auth/oidc/{}/start", school.id.0);
            buttons.push(Button { action, provider: provider.id, label });
        }
    }
    Ok(buttons)
}

#[derive(Deserialize)]
pub struct StartQuery {
    provider: Option<String>,
    next: Option<String>,
}

/// `GET /auth/oidc/{school}/start`: to the provider, with PKCE, state and nonce.
pub async fn start(
    State(state): State<AppState>,
    session: Session,
    Path(school): Path<String>,
    Query(query): Query<StartQuery>,
) -> Result<Response, AppError> {
    let provider = chosen(&state, &SchoolId(school), query.provider.as_deref()).await?;
    let client = match client(&state, &provider).await {
        Ok(client) => client,
        Err(refusal) => return Ok(refusal.page(&state)),
    };
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf_state, nonce) = client
        .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("profile".into()))
        .set_pkce_challenge(challenge)
        .url();
    let flow = Flow {
        provider: provider.id,
        state: csrf_state.secret().clone(),
        nonce: nonce.secret().clone(),
        pkce_verifier: verifier.secret().clone(),
        next: sign_in::safe_next(query.next.as_deref()).to_string(),
    };
    session.insert(FLOW_KEY, flow).await.map_err(AppError::internal)?;
    Ok(Redirect::to(url.as_str()).into_response())
}

/// The school's provider named by `?provider=`, or its only one. Another school's provider is "not
/// found", like any object outside the school.
async fn chosen(state: &AppState, school: &SchoolId, wanted: Option<&str>) -> Result<OidcProvider, AppError> {
    let providers = state.store.oidc_providers(school).await?;
    let found = match wanted {
        Some(id) => providers.into_iter().find(|p| p.id == id),
        None => providers.into_iter().next(),
    };
    found.ok_or(AppError::NotFound)
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// `GET /auth/oidc/callback`: the provider sends the browser back here with a code (or an error).
pub async fn callback(
    State(state): State<AppState>,
    session: Session,
    from: ClientAddr,
    Query(query): Query<CallbackQuery>,
) -> Result<Response, AppError> {
    // Taken out before anything is checked: a state, code or nonce is good for one attempt only.
    let flow: Option<Flow> = session.remove(FLOW_KEY).await.map_err(AppError::internal)?;
    let Some(flow) = flow.filter(|flow| query.state.as_deref().is_some_and(|s| same(s, &flow.state))) else {
        return Ok(Refusal::NotStarted.page(&state));
    };
    if let Some(error) = query.error {
        return Ok(Refusal::ProviderSaidNo(error_code(&error)).page(&state));
    }
    let Some(code) = query.code else {
        return Ok(Refusal::NotStarted.page(&state));
    };
    let provider = state.store.oidc_provider(&flow.provider).await?;
    let identity = match verify(&state, &provider, &flow, code).await {
        Ok(identity) => identity,
        Err(refusal) => return Ok(refusal.page(&state)),
    };
    match account(&state, &provider, &identity).await? {
        Ok(account) => admit(&state, &session, &from, account, identity.mfa, &flow.next).await,
        Err(refusal) => {
            throttle::record(&state, &identity.email, &from, LoginKind::Oidc, false, Some(&provider.school)).await?;
            Ok(refusal.page(&state))
        }
    }
}

/// The provider's OAuth error code as shown to the person: codes are short snake_case words
/// (`access_denied`); anything else is not repeated back.
fn error_code(error: &str) -> String {
    let plain = !error.is_empty() && error.len() <= 40 && error.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    if plain { error.to_string() } else { "error".to_string() }
}

/// Compares the returned state with ours without an early exit, so timing tells nothing about it.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// What a checked ID token says about the person.
struct Identity {
    email: String,
    email_verified: Option<bool>,
    /// Whether the provider says it used more than one factor (see [`MFA_AMR`]).
    mfa: bool,
}

/// Exchanges the code (with the PKCE verifier) and checks the ID token; the crate verifies signature,
/// issuer, audience, expiry and nonce.
async fn verify(state: &AppState, provider: &OidcProvider, flow: &Flow, code: String) -> Result<Identity, Refusal> {
    let client = client(state, provider).await?;
    let request =
        client.exchange_code(AuthorizationCode::new(code)).map_err(|e| failed(provider, "no token endpoint", e))?;
    let response = request
        .set_pkce_verifier(PkceCodeVerifier::new(flow.pkce_verifier.clone()))
        .request_async(&|request| send(request))
        .await
        .map_err(|e| failed(provider, "code exchange", e))?;
    let id_token = openidconnect::TokenResponse::id_token(&response)
        .ok_or_else(|| failed(provider, "token response", "no ID token"))?;
    let claims = id_token
        .claims(&client.id_token_verifier(), &Nonce::new(flow.nonce.clone()))
        .map_err(|e| failed(provider, "ID token", e))?;
    let email = claims.email().ok_or(Refusal::NoEmail)?;
    let amr = claims.auth_method_refs().into_iter().flatten();
    let mfa = amr.map(|r| r.as_str()).any(|r| MFA_AMR.contains(&r));
    Ok(Identity { email: normalise_email(email.as_str()), email_verified: claims.email_verified(), mfa })
}

type Client =
    CoreClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointMaybeSet, EndpointMaybeSet>;

/// The provider as discovered from its issuer now (endpoints and signing keys follow its rotations),
/// with our client id and the decrypted secret.
async fn client(state: &AppState, provider: &OidcProvider) -> Result<Client, Refusal> {
    let issuer = issuer_url(&provider.issuer).map_err(|e| failed(provider, "issuer", e))?;
    let metadata = CoreProviderMetadata::discover_async(issuer, &|request| send(request))
        .await
        .map_err(|e| failed(provider, "discovery", e))?;
    let secret = state
        .store
        .oidc_client_secret(&state.config.secret_key, &provider.id)
        .await
        .map_err(|e| failed(provider, "client secret", e))?;
    let redirect = format!("{}{CALLBACK_PATH}", state.config.public_origin);
    let redirect = RedirectUrl::new(redirect).map_err(|e| failed(provider, "redirect URL", e))?;
    let client_secret = ClientSecret::new(secret.expose_secret().to_string());
    Ok(CoreClient::from_provider_metadata(metadata, ClientId::new(provider.client_id.clone()), Some(client_secret))
        .set_redirect_uri(redirect))
}

/// Issuers are https; plain http only on this machine's loopback, for a provider run locally (tests,
/// trying Gatehouse out), since tokens and the client secret travel over this connection.
pub(super) fn issuer_url(issuer: &str) -> Result<IssuerUrl, String> {
    let url = IssuerUrl::new(issuer.to_string()).map_err(|e| e.to_string())?;
    let parsed = url.url();
    let loopback = match parsed.host() {
        Some(openidconnect::url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(openidconnect::url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(openidconnect::url::Host::Domain(name)) => name == "localhost",
        None => false,
    };
    match parsed.scheme() {
        "https" => Ok(url),
        "http" if loopback => Ok(url),
        _ => Err(format!("issuer {issuer} must use https")),
    }
}

/// The HTTP client for provider requests. Redirects are not followed (the openidconnect crate's advice:
/// a redirect could point discovery or the code exchange somewhere else), and every request has a
/// timeout. One pool for the process, like any connection pool.
fn http() -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(PROVIDER_TIMEOUT)
            .build()
            .expect("a client without custom TLS settings builds")
    })
}

/// One request to a provider through the workspace's reqwest (rustls), for the openidconnect crate.
async fn send(request: HttpRequest) -> Result<HttpResponse, reqwest::Error> {
    let (parts, body) = request.into_parts();
    let mut outgoing = http().request(parts.method, parts.uri.to_string()).body(body);
    for (name, value) in &parts.headers {
        outgoing = outgoing.header(name, value);
    }
    let response = outgoing.send().await?;
    let mut builder = axum::http::Response::builder().status(response.status());
    for (name, value) in response.headers() {
        builder = builder.header(name, value);
    }
    let body = response.bytes().await?.to_vec();
    Ok(builder.body(body).expect("status and headers came from a valid response"))
}

/// The account the identity signs in to, or why there is none.
async fn account(
    state: &AppState,
    provider: &OidcProvider,
    identity: &Identity,
) -> Result<Result<store::SignIn, Refusal>, AppError> {
    if let Err(refusal) = acceptable(provider, identity) {
        return Ok(Err(refusal));
    }
    let found = state.store.user_by_email(&identity.email).await?;
    // Emails are unique across the deployment; an account of another school is none of this provider's
    // business, so it gets the same answer as no account at all.
    Ok(found.filter(|f| f.user.school == provider.school && !f.user.disabled).ok_or(Refusal::NoAccount))
}

/// The address must be at the provider's domain (when one is set) and verified by the provider.
///
/// `email_verified: false` is always refused. Microsoft Entra ID sends no `email_verified` at all; a
/// missing claim is accepted only when the provider is limited to the school's domain, since that
/// issuer is the school's own tenant, which administers the addresses at that domain.
fn acceptable(provider: &OidcProvider, identity: &Identity) -> Result<(), Refusal> {
    let domain = identity.email.rsplit_once('@').map(|(_, domain)| domain).unwrap_or_default();
    if let Some(allowed) = &provider.allowed_domain
        && domain != allowed
    {
        return Err(Refusal::WrongDomain(allowed.clone()));
    }
    match identity.email_verified {
        Some(true) => Ok(()),
        None if provider.allowed_domain.is_some() => Ok(()),
        _ => Err(Refusal::Unverified),
    }
}

/// The stage sign-in continues at after the provider vouched for the person.
///
/// The provider's own MFA is trusted only when its ID token says it happened (`amr` contains one of
/// [`MFA_AMR`]): then the person is fully signed in, whatever the role. Otherwise the role's second
/// factor is still owed and sign-in continues at Gatehouse's TOTP step (enrolment the first time),
/// exactly as after a password.
fn stage_after(user: &User, provider_mfa: bool) -> Stage {
    if provider_mfa { Stage::Done } else { sign_in::first_stage(user) }
}

/// Establishes the session as a password sign-in does, with the provider standing in for the password.
async fn admit(
    state: &AppState,
    session: &Session,
    from: &ClientAddr,
    account: store::SignIn,
    provider_mfa: bool,
    next: &str,
) -> Result<Response, AppError> {
    let user = &account.user;
    let stage = stage_after(user, provider_mfa);
    // As with passwords, only a complete sign-in counts as a success (it resets the failure count).
    if stage == Stage::Done {
        throttle::record(state, &user.email, from, LoginKind::Oidc, true, Some(&user.school)).await?;
    }
    session::advance(session, &SignIn { user: user.id.clone(), epoch: account.session_epoch, stage }).await?;
    if stage != Stage::Done {
        return Ok(Redirect::to(session::stage_path(stage)).into_response());
    }
    sign_in::audit_sign_in(state, user, from).await;
    Ok(Redirect::to(next).into_response())
}

/// Why a sign-in through the provider did not happen.
#[derive(Debug)]
enum Refusal {
    /// No flow in this session, or a state we did not issue: a stale, replayed or forged callback.
    NotStarted,
    /// The provider answered with an OAuth error (the person cancelled, or the app is not allowed).
    ProviderSaidNo(String),
    /// Discovery, the code exchange or the ID token failed; the detail is in the log.
    ProviderFailed,
    NoEmail,
    Unverified,
    WrongDomain(String),
    NoAccount,
}

/// Logs what went wrong with a provider (never the token or secret: errors carry neither) and
/// refuses without detail.
fn failed(provider: &OidcProvider, step: &str, err: impl std::fmt::Display) -> Refusal {
    tracing::warn!(provider = %provider.id, issuer = %provider.issuer, step, error = %err, "OIDC sign-in failed");
    Refusal::ProviderFailed
}

#[derive(Template)]
#[template(path = "auth/oidc_problem.html")]
struct ProblemPage {
    layout: Layout,
    problem: String,
}

impl Refusal {
    fn status(&self) -> StatusCode {
        match self {
            Refusal::NotStarted => StatusCode::BAD_REQUEST,
            Refusal::ProviderSaidNo(_) => StatusCode::UNAUTHORIZED,
            Refusal::ProviderFailed => StatusCode::BAD_GATEWAY,
            Refusal::NoEmail | Refusal::Unverified | Refusal::WrongDomain(_) | Refusal::NoAccount => {
                StatusCode::FORBIDDEN
            }
        }
    }

    fn message(&self) -> String {
        match self {
            Refusal::NotStarted => {
                "This sign-in was not started here or has already been used. Start again from the sign-in page.".into()
            }
            Refusal::ProviderSaidNo(code) => format!("Your school account did not sign you in ({code})."),
            Refusal::ProviderFailed => {
                "Your school's sign-in service could not be reached or gave an answer Gatehouse cannot accept. \
                 Try again later, or sign in with your password."
                    .into()
            }
            Refusal::NoEmail => "Your school account did not share your email address with Gatehouse.".into(),
            Refusal::Unverified => "Your school account's email address is not verified.".into(),
            Refusal::WrongDomain(domain) => format!("Only addresses ending @{domain} can sign in this way."),
            Refusal::NoAccount => {
                "There is no Gatehouse account for your school account's email address. Ask your headteacher to \
                 add one."
                    .into()
            }
        }
    }

    fn page(&self, state: &AppState) -> Response {
        let page = ProblemPage { layout: Layout::anonymous(state, "Could not sign you in"), problem: self.message() };
        with_status(self.status(), page.render().map_err(AppError::internal))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provider(domain: Option<&str>) -> OidcProvider {
        OidcProvider {
            id: "p".into(),
            school: SchoolId("s".into()),
            name: "Microsoft 365".into(),
            issuer: "https://login.example".into(),
            client_id: "c".into(),
            allowed_domain: domain.map(str::to_string),
        }
    }

    fn identity(email: &str, verified: Option<bool>) -> Identity {
        Identity { email: email.into(), email_verified: verified, mfa: false }
    }

    #[test]
    fn addresses_must_be_verified_and_at_the_allowed_domain() {
        let school = provider(Some("school.example"));
        assert!(acceptable(&school, &identity("a@school.example", Some(true))).is_ok());
        assert!(acceptable(&school, &identity("a@school.example", None)).is_ok(), "Entra sends no email_verified");
        assert!(matches!(acceptable(&school, &identity("a@school.example", Some(false))), Err(Refusal::Unverified)));
        assert!(matches!(acceptable(&school, &identity("a@other.example", Some(true))), Err(Refusal::WrongDomain(_))));
        assert!(matches!(
            acceptable(&school, &identity("a@sub.school.example", Some(true))),
            Err(Refusal::WrongDomain(_))
        ));
        let anywhere = provider(None);
        assert!(acceptable(&anywhere, &identity("a@other.example", Some(true))).is_ok());
        assert!(matches!(acceptable(&anywhere, &identity("a@other.example", None)), Err(Refusal::Unverified)));
    }

    #[test]
    fn issuers_are_https_except_on_loopback() {
        assert!(issuer_url("https://login.microsoftonline.com/tenant/v2.0").is_ok());
        assert!(issuer_url("http://127.0.0.1:4000").is_ok());
        assert!(issuer_url("http://[::1]:4000").is_ok());
        assert!(issuer_url("http://localhost:4000").is_ok());
        assert!(issuer_url("http://login.example").is_err());
        assert!(issuer_url("ftp://login.example").is_err());
    }

    #[test]
    fn only_plain_error_codes_are_repeated() {
        assert_eq!(error_code("access_denied"), "access_denied");
        assert_eq!(error_code("<script>"), "error");
        assert_eq!(error_code(&"a".repeat(41)), "error");
        assert_eq!(error_code(""), "error");
    }

    #[test]
    fn states_compare_whole() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd") && !same("abc", "ab") && !same("", "a"));
    }
}
