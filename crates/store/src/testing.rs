//! For tests in this and other crates: a fresh, empty PostgreSQL database per test, dropped when the
//! test ends, so tests never share state on one database (a habit Lemmy regrets). Compiled only with
//! the `testing` feature.

/// An empty database on the server `GATEHOUSE_TEST_DATABASE_URL` names; dropped with this value.
pub struct EmptyPostgres {
    pub url: String,
    admin_url: String,
    name: String,
}

impl EmptyPostgres {
    /// Create `<prefix>_<random>` on the server of `admin_url`.
    pub async fn create(admin_url: &str, prefix: &str) -> EmptyPostgres {
        let name = format!("{prefix}_{}", uuid::Uuid::new_v4().simple());
        let admin = sqlx::PgPool::connect(admin_url).await.expect("connect to GATEHOUSE_TEST_DATABASE_URL");
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin).await.expect("create a test database");
        admin.close().await;
        let (base, _) = admin_url.rsplit_once('/').expect("a database URL ends with /database");
        EmptyPostgres { url: format!("{base}/{name}"), admin_url: admin_url.to_string(), name }
    }
}

impl Drop for EmptyPostgres {
    fn drop(&mut self) {
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        // Drop runs inside the test's runtime, which cannot be blocked on: use a thread with its own.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async {
                if let Ok(admin) = sqlx::PgPool::connect(&admin_url).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&admin).await;
                    admin.close().await;
                }
            });
        })
        .join();
    }
}
