//! Who is asking: the extractors every area's handlers take.
//!
//! - [`Signed`] — a page request from a fully signed-in user (password and, where the role needs it, a
//!   second factor), checked against the session epoch. Absent: redirect to sign-in; second factor
//!   pending: redirect to it.
//! - [`ApiSigned`] — an `/api/v1` request with `Authorization: Bearer <token>`; absent or revoked: 401
//!   JSON. A read-only token is refused (403, audited as `api_token.write` denied) on any method that
//!   changes something.
//! - [`ClientAddr`] — the client's address, believing `X-Forwarded-For` only from trusted proxies.
//!
//! Both signed extractors implement [`Actor`], which is what [`deny`](crate::deny) takes.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, OriginalUri};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::response::{IntoResponse, Redirect, Response};
use school::access::Principal;
use tower_sessions::Session;

use crate::error::AppError;
use crate::guard::deny;
use crate::session::{self, Stage};
use crate::state::AppState;

/// A signed-in person on a page. `Signed { principal, from }`; ask `principal` for capabilities.
#[derive(Clone, Debug)]
pub struct Signed {
    pub principal: Principal,
    pub from: ClientAddr,
}

/// A program calling the JSON API with a bearer token, acting as the token's owner.
#[derive(Clone, Debug)]
pub struct ApiSigned {
    pub principal: Principal,
    pub from: ClientAddr,
    pub scope: Scope,
}

/// Whoever is acting, page or API: what [`deny`](crate::deny) and audit records need.
pub trait Actor {
    fn principal(&self) -> &Principal;
    fn from(&self) -> &ClientAddr;
}

impl Actor for Signed {
    fn principal(&self) -> &Principal {
        &self.principal
    }
    fn from(&self) -> &ClientAddr {
        &self.from
    }
}

impl Actor for ApiSigned {
    fn principal(&self) -> &Principal {
        &self.principal
    }
    fn from(&self) -> &ClientAddr {
        &self.from
    }
}

/// Why a page request has no [`Signed`]: where to send the browser, or a real error.
#[derive(Debug)]
pub enum PageRejection {
    SignIn { next: String },
    SecondFactor(Stage),
    Error(AppError),
}

impl From<AppError> for PageRejection {
    fn from(err: AppError) -> PageRejection {
        PageRejection::Error(err)
    }
}

impl IntoResponse for PageRejection {
    fn into_response(self) -> Response {
        match self {
            PageRejection::SignIn { next } => {
                let next: String = form_urlencoded::byte_serialize(next.as_bytes()).collect();
                Redirect::to(&format!("/sign-in?next={next}")).into_response()
            }
            PageRejection::SecondFactor(stage) => Redirect::to(session::stage_path(stage)).into_response(),
            PageRejection::Error(err) => err.into_response(),
        }
    }
}

impl FromRequestParts<AppState> for Signed {
    type Rejection = PageRejection;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Signed, PageRejection> {
        let from = ClientAddr::from_request_parts(parts, state).await?;
        let session = parts.extensions.get::<Session>().cloned().ok_or_else(|| AppError::internal("no session"))?;
        let sign_in = || PageRejection::SignIn { next: return_path(parts) };
        let Some(current) = session::current(&session).await? else {
            return Err(sign_in());
        };
        if current.stage != Stage::Done {
            return Err(PageRejection::SecondFactor(current.stage));
        }
        match session::principal(state, &session, &current).await? {
            Some(principal) => Ok(Signed { principal, from }),
            None => Err(sign_in()),
        }
    }
}

/// Where to come back to after signing in: only a local path, never another site.
fn return_path(parts: &Parts) -> String {
    let uri = parts.extensions.get::<OriginalUri>().map_or(&parts.uri, |u| &u.0);
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    if parts.method == Method::GET { path.to_string() } else { "/".to_string() }
}

impl FromRequestParts<AppState> for ApiSigned {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<ApiSigned, AppError> {
        let from = ClientAddr::from_request_parts(parts, state).await?;
        let token = bearer(&parts.headers).ok_or(AppError::Unauthenticated)?;
        let (principal, scopes) = state.store.api_token_principal(token).await?.ok_or(AppError::Unauthenticated)?;
        let signed = ApiSigned { principal, from, scope: Scope::from_scopes(&scopes) };
        let changes = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if changes && signed.scope == Scope::Read {
            // Refused before any handler runs, so no handler's `deny` records it: record it here, so the
            // headteacher sees this refused attempt like every other (P2.3).
            let path = parts.extensions.get::<OriginalUri>().map_or(&parts.uri, |u| &u.0).path();
            return Err(deny(state, &signed, READ_ONLY_TOKEN_WRITE, "route", path).await);
        }
        Ok(signed)
    }
}

/// The action recorded when a read-only API token is used on a method that changes something.
pub const READ_ONLY_TOKEN_WRITE: &str = "api_token.write";

/// The token of an `Authorization: Bearer <token>` header.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty()).then(|| token.trim())
}

/// What an API token may do: read only, or read and change. Stored as the store's scope list
/// (`["read"]` or `["read", "write"]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Read,
    ReadWrite,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::ReadWrite => "read_write",
        }
    }

    pub fn parse(text: &str) -> Option<Scope> {
        [Scope::Read, Scope::ReadWrite].into_iter().find(|s| s.as_str() == text)
    }

    pub fn to_scopes(self) -> Vec<String> {
        match self {
            Scope::Read => vec!["read".into()],
            Scope::ReadWrite => vec!["read".into(), "write".into()],
        }
    }

    /// Anything without `write` is read-only: an unknown scope never grants more.
    pub fn from_scopes(scopes: &[String]) -> Scope {
        if scopes.iter().any(|s| s == "write") { Scope::ReadWrite } else { Scope::Read }
    }
}

/// The client's address, as used for rate limits and the audit log's "from where".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

impl ClientAddr {
    /// As the store's audit entries want it.
    pub fn origin(&self) -> store::Origin {
        store::Origin::remote(self.0)
    }
}

impl std::fmt::Display for ClientAddr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<ClientAddr, AppError> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip())
            .ok_or_else(|| AppError::internal("serve without connect info"))?;
        let forwarded = parts.headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok());
        Ok(ClientAddr(client_ip(peer, forwarded, &state.config.trusted_proxies)))
    }
}

/// Walks `X-Forwarded-For` from the right (the hop nearest us), skipping our own proxies, and takes
/// the first address they did not add. From an untrusted peer the header is ignored entirely: anyone
/// can write anything in it (the trap of tower_governor's `SmartIpKeyExtractor`).
fn client_ip<'a>(peer: IpAddr, forwarded: impl Iterator<Item = &'a str>, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let hops: Vec<&str> = forwarded.flat_map(|v| v.split(',')).map(str::trim).collect();
    for hop in hops.iter().rev() {
        match hop.parse::<IpAddr>() {
            Ok(ip) if trusted.contains(&ip) => continue,
            Ok(ip) => return ip,
            // Garbage from the client side: stop believing the chain here.
            Err(_) => break,
        }
    }
    peer
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let proxy = ip("10.0.0.1");
        let header = ["6.6.6.6, 203.0.113.9"];
        assert_eq!(client_ip(ip("198.51.100.2"), header.into_iter(), &[proxy]), ip("198.51.100.2"));
        assert_eq!(client_ip(proxy, header.into_iter(), &[proxy]), ip("203.0.113.9"));
        assert_eq!(client_ip(proxy, ["203.0.113.9, 10.0.0.1"].into_iter(), &[proxy]), ip("203.0.113.9"));
        assert_eq!(client_ip(proxy, ["nonsense"].into_iter(), &[proxy]), proxy);
        assert_eq!(client_ip(proxy, std::iter::empty(), &[proxy]), proxy);
    }
}
