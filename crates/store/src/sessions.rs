//! Sessions for the web layer, kept in the database so any server process can serve any request
//! (tower-sessions' SQLx stores; never its memory store).

use async_trait::async_trait;
use tower_sessions::SessionStore;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

use crate::db::Store;
use crate::error::Result;

/// A `tower_sessions::SessionStore` on whichever engine the [`Store`] uses.
#[derive(Clone, Debug)]
pub enum Sessions {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl Store {
    /// The session store for `tower_sessions::SessionManagerLayer`, sharing this store's pool.
    pub fn session_store(&self) -> Sessions {
        match self {
            Store::Sqlite(pool) => Sessions::Sqlite(SqliteStore::new(pool.clone())),
            Store::Postgres(pool) => Sessions::Postgres(PostgresStore::new(pool.clone())),
        }
    }
}

impl Sessions {
    /// Creates the session table if it is missing (the schema migrations already create it).
    pub(crate) async fn migrate(&self) -> Result<()> {
        match self {
            Sessions::Sqlite(s) => s.migrate().await?,
            Sessions::Postgres(s) => s.migrate().await?,
        }
        Ok(())
    }
}

#[async_trait]
impl SessionStore for Sessions {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match self {
            Sessions::Sqlite(s) => s.create(record).await,
            Sessions::Postgres(s) => s.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self {
            Sessions::Sqlite(s) => s.save(record).await,
            Sessions::Postgres(s) => s.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            Sessions::Sqlite(s) => s.load(id).await,
            Sessions::Postgres(s) => s.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match self {
            Sessions::Sqlite(s) => s.delete(id).await,
            Sessions::Postgres(s) => s.delete(id).await,
        }
    }
}

#[async_trait]
impl ExpiredDeletion for Sessions {
    async fn delete_expired(&self) -> session_store::Result<()> {
        match self {
            Sessions::Sqlite(s) => s.delete_expired().await,
            Sessions::Postgres(s) => s.delete_expired().await,
        }
    }
}
