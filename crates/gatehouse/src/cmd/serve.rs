//! `gatehouse serve`: the server, on a database shared by any number of such processes.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;

#[derive(clap::Args)]
pub struct Args {
    /// The database: `sqlite://FILE?mode=rwc` or `postgres://user@host/db`.
    #[arg(long, env = "GATEHOUSE_DATABASE_URL", value_name = "URL", hide_env_values = true)]
    pub database: String,
    /// Where to listen.
    #[arg(long, env = "GATEHOUSE_BIND", value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// The school's policy file (TOML).
    #[arg(long, env = "GATEHOUSE_POLICY", value_name = "FILE")]
    pub policy: PathBuf,
    /// The address browsers use, as they send it in `Origin` (e.g. https://gatehouse.school.example).
    /// Defaults to http://BIND. Cookies are `Secure` and HSTS is sent when it is https.
    #[arg(long, env = "GATEHOUSE_PUBLIC_ORIGIN", value_name = "ORIGIN")]
    pub public_origin: Option<String>,
    /// Reverse proxies whose X-Forwarded-For is believed (comma-separated addresses).
    #[arg(long = "trusted-proxy", env = "GATEHOUSE_TRUSTED_PROXIES", value_name = "IP", value_delimiter = ',')]
    pub trusted_proxies: Vec<IpAddr>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting tokio")?;
    runtime.block_on(serve(args))?;
    Ok(ExitCode::SUCCESS)
}

async fn serve(args: Args) -> anyhow::Result<()> {
    web::init_logging();
    let key = store::SecretKey::from_env()
        .context("reading the secret key")?
        .context("set GATEHOUSE_SECRET_KEY or GATEHOUSE_SECRET_KEY_FILE to 32 random bytes in hex or base64")?;
    let source = crate::school::read(&args.policy)?;
    let name = args.policy.display().to_string();
    let policy =
        policy::Policy::parse(&source, &name).map_err(|e| anyhow::anyhow!("the policy file is not valid:\n{e}"))?;
    let origin = args.public_origin.clone().unwrap_or_else(|| format!("http://{}", args.bind));
    let mut config = web::Config::new(&origin, key)?;
    config.trusted_proxies = args.trusted_proxies.clone();
    // Without a token /metrics is not served: its route counts are not for everyone to read.
    config.metrics_token = web::MetricsToken::from_env().context("reading the metrics token")?;

    let store = store::Store::connect(&args.database).await.context("connecting to the database")?;
    store.migrate().await.context("migrating the database")?;
    let listener = tokio::net::TcpListener::bind(args.bind).await.with_context(|| format!("binding {}", args.bind))?;
    let state = web::AppState::new(store.clone(), policy, config);
    web::serve(listener, state, shutdown_signal()).await?;
    store.close().await;
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM (what a service manager or container runtime sends).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
