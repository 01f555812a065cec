//! What the server is built from, once: configuration checked without I/O ([`Config`]), then the
//! shared objects every handler reads ([`AppState`]).

use std::net::IpAddr;
use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

use store::{SecretKey, Store};

use crate::observe::Metrics;

/// A configuration value that cannot be used.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ConfigError {
    #[error(
        "public origin {0:?} must be scheme://host[:port] with http or https, no path and no trailing slash \
         (e.g. https://gatehouse.example.sch.uk)"
    )]
    Origin(String),
    #[error(
        "the metrics token must be at least {MIN_METRICS_TOKEN} characters with no spaces \
         (e.g. the output of `openssl rand -hex 32`)"
    )]
    MetricsToken,
    #[error("set GATEHOUSE_METRICS_TOKEN or GATEHOUSE_METRICS_TOKEN_FILE, not both")]
    TwoMetricsTokens,
    #[error("cannot read the metrics token file {path}: {message}")]
    MetricsTokenFile { path: String, message: String },
}

/// A shorter token could be guessed by a scraper that keeps trying.
const MIN_METRICS_TOKEN: usize = 16;

/// The bearer token Prometheus sends to read `/metrics` (its `authorization` / `bearer_token_file`
/// setting). `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct MetricsToken(String);

impl MetricsToken {
    /// A token as typed or read from a file: surrounding whitespace (a file's last newline) is ignored.
    pub fn new(text: &str) -> Result<MetricsToken, ConfigError> {
        let token = text.trim();
        if token.chars().count() < MIN_METRICS_TOKEN || token.chars().any(char::is_whitespace) {
            return Err(ConfigError::MetricsToken);
        }
        Ok(MetricsToken(token.to_string()))
    }

    /// From `GATEHOUSE_METRICS_TOKEN` or the file `GATEHOUSE_METRICS_TOKEN_FILE` names; `None` when neither
    /// is set, and then `/metrics` answers 404.
    pub fn from_env() -> Result<Option<MetricsToken>, ConfigError> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        MetricsToken::from_sources(var("GATEHOUSE_METRICS_TOKEN"), var("GATEHOUSE_METRICS_TOKEN_FILE"))
    }

    /// The token given directly, or read from the file at `file` (the `*_FILE` habit, for secrets kept
    /// by a container runtime or systemd credentials); never both.
    fn from_sources(direct: Option<String>, file: Option<String>) -> Result<Option<MetricsToken>, ConfigError> {
        match (direct, file) {
            (Some(_), Some(_)) => Err(ConfigError::TwoMetricsTokens),
            (Some(text), None) => MetricsToken::new(&text).map(Some),
            (None, Some(path)) => {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| ConfigError::MetricsTokenFile { path: path.clone(), message: e.to_string() })?;
                MetricsToken::new(&text).map(Some)
            }
            (None, None) => Ok(None),
        }
    }

    /// Whether `offered` is this token. Compares SHA-256 digests in constant time, so the time taken
    /// says nothing about how much of a guess was right.
    pub fn matches(&self, offered: &str) -> bool {
        use sha2::{Digest, Sha256};
        let (expected, offered) = (Sha256::digest(self.0.as_bytes()), Sha256::digest(offered.as_bytes()));
        expected.iter().zip(offered.iter()).fold(0u8, |diff, (a, b)| diff | (a ^ b)) == 0
    }
}

impl std::fmt::Debug for MetricsToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MetricsToken(<redacted>)")
    }
}

/// How many failed sign-in or second-factor attempts are allowed in a window, counted in the
/// database so every server process sees the same count.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Failures on one account (whatever address they came from).
    pub per_account: u32,
    /// Failures from one address (whatever accounts they tried) — slows password spraying.
    pub per_address: u32,
    pub window: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { per_account: 5, per_address: 20, window: Duration::from_secs(15 * 60) }
    }
}

/// The server's settings, validated before anything is built.
#[derive(Clone, Debug)]
pub struct Config {
    /// `https://host[:port]` as browsers send it in `Origin`: compared byte for byte by the CSRF check.
    pub public_origin: String,
    /// Encrypts secrets at rest (TOTP secrets, platform credentials); `Debug` redacts it.
    pub secret_key: SecretKey,
    /// Reverse proxies whose `X-Forwarded-For` is believed; from anyone else the header is ignored.
    pub trusted_proxies: Vec<IpAddr>,
    pub limits: Limits,
    /// How often each server deletes expired sessions from the database (and once at start).
    pub session_sweep_every: Duration,
    /// What `/metrics` asks of its scraper; without one, `/metrics` is not served at all (404).
    pub metrics_token: Option<MetricsToken>,
}

impl Config {
    pub fn new(public_origin: &str, secret_key: SecretKey) -> Result<Config, ConfigError> {
        check_origin(public_origin)?;
        Ok(Config {
            public_origin: public_origin.to_string(),
            secret_key,
            trusted_proxies: Vec::new(),
            limits: Limits::default(),
            session_sweep_every: Duration::from_secs(10 * 60),
            metrics_token: None,
        })
    }

    /// Cookies get `Secure` (and responses HSTS) exactly when the public origin is https.
    pub fn secure_cookies(&self) -> bool {
        self.public_origin.starts_with("https://")
    }
}

/// Browsers send `Origin` as `scheme://host[:port]`, without a slash or the default port; a configured
/// origin in any other shape would never match, so it is refused at start rather than failing every form.
fn check_origin(origin: &str) -> Result<(), ConfigError> {
    let bad = || ConfigError::Origin(origin.to_string());
    let rest = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://")).ok_or_else(bad)?;
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']');
    if rest.is_empty() || !rest.chars().all(plain) {
        return Err(bad());
    }
    let default_port = if origin.starts_with("https://") { ":443" } else { ":80" };
    if rest.ends_with(default_port) {
        return Err(bad());
    }
    Ok(())
}

/// Everything handlers share, built once. Cheap to clone (one `Arc`); fields are read through `Deref`:
/// `state.store`, `state.policy`, `state.config`.
///
/// Store errors convert into [`AppError`](crate::AppError) with `?` (not found → 404, conflict → 409,
/// invalid → 422, anything else → 500).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

pub struct Shared {
    /// The database (SQLite or PostgreSQL).
    pub store: Store,
    /// The school's policy file, parsed and validated.
    pub policy: policy::Policy,
    pub config: Config,
    pub(crate) metrics: Metrics,
    /// How many expired-session sweeps have finished (see [`AppState::session_sweeps`]).
    pub(crate) sweeps: tokio::sync::watch::Sender<u64>,
    /// A real argon2id hash of a random password: unknown emails are verified against it so that they
    /// cost the same time as known ones (no user enumeration by timing).
    pub(crate) dummy_hash: String,
}

impl AppState {
    pub fn new(store: Store, policy: policy::Policy, config: Config) -> AppState {
        let dummy_hash = crate::auth::password::hash(&hex::encode(rand::random::<[u8; 16]>()))
            .expect("hashing a random password cannot fail");
        let sweeps = tokio::sync::watch::Sender::new(0);
        AppState(Arc::new(Shared { store, policy, config, metrics: Metrics::new(), sweeps, dummy_hash }))
    }

    /// How many expired-session sweeps this server has finished, successful or not (each is also
    /// counted in `/metrics` as `session_sweeps_total`). Wait on it to know a sweep has happened.
    pub fn session_sweeps(&self) -> tokio::sync::watch::Receiver<u64> {
        self.sweeps.subscribe()
    }

    /// The school's name, as the policy gives it, for page headers.
    pub fn school_name(&self) -> &str {
        &self.policy.school.name
    }
}

impl Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_checked_as_browsers_send_them() {
        for good in ["https://gatehouse.example", "http://127.0.0.1:8080", "https://a.example:8443"] {
            assert_eq!(check_origin(good), Ok(()), "{good}");
        }
        for bad in ["https://gatehouse.example/", "gatehouse.example", "https://x.example:443", "ftp://x", "https://"] {
            assert!(check_origin(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn metrics_tokens_are_long_plain_and_never_printed() {
        let token = MetricsToken::new("  0123456789abcdef0123\n").unwrap();
        assert!(token.matches("0123456789abcdef0123"), "a file's newline is not part of the token");
        assert!(!token.matches("0123456789abcdef012") && !token.matches("0123456789abcdef01234"));
        assert!(!token.matches(""));
        assert_eq!(format!("{token:?}"), "MetricsToken(<redacted>)");
        assert_eq!(MetricsToken::new("short"), Err(ConfigError::MetricsToken));
        assert_eq!(MetricsToken::new("0123456789 abcdef0123"), Err(ConfigError::MetricsToken));
    }

    #[test]
    fn a_metrics_token_comes_from_the_variable_or_its_file_never_both() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("metrics-token");
        std::fs::write(&path, "from-the-file-0123456789\n").unwrap();
        let file = Some(path.display().to_string());
        let direct = Some("from-the-variable-0123456789".to_string());

        assert_eq!(MetricsToken::from_sources(None, None), Ok(None));
        let read = MetricsToken::from_sources(None, file.clone()).unwrap().unwrap();
        assert!(read.matches("from-the-file-0123456789"));
        let given = MetricsToken::from_sources(direct.clone(), None).unwrap().unwrap();
        assert!(given.matches("from-the-variable-0123456789"));
        assert_eq!(MetricsToken::from_sources(direct, file), Err(ConfigError::TwoMetricsTokens));
        let missing = Some(dir.path().join("absent").display().to_string());
        assert!(matches!(MetricsToken::from_sources(None, missing), Err(ConfigError::MetricsTokenFile { .. })));
    }
}
