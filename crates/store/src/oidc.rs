//! OpenID Connect providers, configured per school (Microsoft 365 or Google Workspace), so staff sign in
//! with the accounts they already have. The client secret is encrypted at rest like channel credentials.

use std::fmt;

use school::access::{SchoolId, UserAdmin};
use school::audit::{Actor, NewEntry, actions};

use crate::audit_log;
use crate::db::{Origin, Store, Ts, new_id, now, on_pool, on_tx};
use crate::error::{Error, Result};
use crate::secret::SecretKey;

/// A school's OIDC provider, without its secret.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct OidcProvider {
    pub id: String,
    pub school: SchoolId,
    /// What the sign-in button says: "Microsoft 365".
    pub name: String,
    pub issuer: String,
    pub client_id: String,
    /// Only addresses at this domain may sign in through it (the school's own domain).
    pub allowed_domain: Option<String>,
}

/// A provider to configure, with its client secret.
#[derive(Clone, PartialEq, Eq)]
pub struct NewOidcProvider {
    pub name: String,
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    pub allowed_domain: Option<String>,
}

impl fmt::Debug for NewOidcProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewOidcProvider")
            .field("name", &self.name)
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("allowed_domain", &self.allowed_domain)
            .finish()
    }
}

fn secret_context(id: &str) -> String {
    format!("oidc_providers.client_secret:{id}")
}

type ProviderRow = (String, String, String, String, String, Option<String>);

fn provider((id, school, name, issuer, client_id, allowed_domain): ProviderRow) -> OidcProvider {
    OidcProvider { id, school: SchoolId(school), name, issuer, client_id, allowed_domain }
}

const PROVIDER_COLUMNS: &str = "id, school_id, name, issuer, client_id, allowed_domain";

impl Store {
    /// Adds or replaces (by issuer) the capability's school's OIDC provider.
    pub async fn set_oidc_provider(
        &self,
        cap: &UserAdmin<'_>,
        origin: Origin,
        key: &SecretKey,
        new: &NewOidcProvider,
    ) -> Result<OidcProvider> {
        let existing = self.oidc_providers(cap.school()).await?.into_iter().find(|p| p.issuer == new.issuer);
        let id = existing.map_or_else(new_id, |p| p.id);
        let sealed = key.encrypt(new.client_secret.as_bytes(), &secret_context(&id))?;
        let domain = new.allowed_domain.as_deref().map(|d| d.trim().trim_start_matches('@').to_lowercase());
        let mut tx = self.write().await?;
        let sql = "INSERT INTO oidc_providers (id, school_id, name, issuer, client_id, client_secret, allowed_domain, \
                   created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (school_id, issuer) DO UPDATE SET \
                   name = excluded.name, client_id = excluded.client_id, client_secret = excluded.client_secret, \
                   allowed_domain = excluded.allowed_domain";
        on_tx!(&mut tx, |c| {
            sqlx::query(sql)
                .bind(&id)
                .bind(&cap.school().0)
                .bind(&new.name)
                .bind(&new.issuer)
                .bind(&new.client_id)
                .bind(&sealed)
                .bind(&domain)
                .bind(Ts(now()))
                .execute(c)
                .await
                .map(|r| r.rows_affected())
        })?;
        let entry = NewEntry::new(
            cap.school().clone(),
            Actor::from_user(cap.actor()),
            actions::OIDC_PROVIDER_SET,
            "oidc_provider",
            &id,
        )
        .from(origin.as_text())
        .detail(serde_json::json!({ "issuer": new.issuer }));
        audit_log::append(&mut tx, entry).await?;
        tx.commit().await?;
        self.oidc_provider(&id).await
    }

    /// A school's OIDC providers, for its sign-in page (no secrets).
    pub async fn oidc_providers(&self, school: &SchoolId) -> Result<Vec<OidcProvider>> {
        let sql = format!("SELECT {PROVIDER_COLUMNS} FROM oidc_providers WHERE school_id = $1 ORDER BY name, id");
        let rows: Vec<ProviderRow> = on_pool!(self, |pool| sqlx::query_as(&sql).bind(&school.0).fetch_all(pool).await)?;
        Ok(rows.into_iter().map(provider).collect())
    }

    /// One OIDC provider by id (no secret).
    pub async fn oidc_provider(&self, id: &str) -> Result<OidcProvider> {
        let sql = format!("SELECT {PROVIDER_COLUMNS} FROM oidc_providers WHERE id = $1");
        let row: Option<ProviderRow> = on_pool!(self, |pool| sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)?;
        row.map(provider).ok_or(Error::NotFound("oidc provider"))
    }

    /// A provider's client secret, decrypted, for the code exchange with the provider.
    pub async fn oidc_client_secret(&self, key: &SecretKey, id: &str) -> Result<crate::PlatformCredentials> {
        let sql = "SELECT client_secret FROM oidc_providers WHERE id = $1";
        let sealed: Option<Vec<u8>> =
            on_pool!(self, |pool| sqlx::query_scalar(sql).bind(id).fetch_optional(pool).await)?;
        let plain = key.decrypt(&sealed.ok_or(Error::NotFound("oidc provider"))?, &secret_context(id))?;
        let text = String::from_utf8(plain).map_err(|_| Error::Corrupt("client secret is not text".into()))?;
        Ok(crate::PlatformCredentials::new(text))
    }
}
