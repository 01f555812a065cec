//! The store's one error type.

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The thing asked for does not exist in the capability's school.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The change collides with what is there (a taken email, a decided suggestion…).
    #[error("conflict: {0}")]
    Conflict(String),
    /// The input breaks a rule the store enforces.
    #[error("invalid: {0}")]
    Invalid(String),
    /// The account is disabled: no principal, no session.
    #[error("the account is disabled")]
    Disabled,
    #[error("unsupported database URL {0:?}: expected sqlite:… or postgres://…")]
    UnsupportedUrl(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(transparent)]
    Secret(#[from] crate::secret::SecretError),
    /// A stored value no longer reads as its type (a hand-edited row, or a newer version's data).
    #[error("stored data cannot be read: {0}")]
    Corrupt(String),
}

/// The store's result.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<school::UnknownValue> for Error {
    fn from(e: school::UnknownValue) -> Error {
        Error::Corrupt(e.to_string())
    }
}

/// Turns a unique-constraint violation into a [`Error::Conflict`] naming what collided.
pub(crate) fn conflict_on_unique(what: &str) -> impl FnOnce(sqlx::Error) -> Error + '_ {
    move |e| match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => Error::Conflict(format!("{what} already exists")),
        _ => Error::Database(e),
    }
}
