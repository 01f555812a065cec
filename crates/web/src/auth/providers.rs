//! `/account/sign-in-providers`: the school's OpenID Connect provider (Microsoft 365, Google Workspace),
//! set up by whoever administers the school's accounts (`user_admin`: the headteacher, the trust's team).
//!
//! check → permit → write → respond: the form is read and checked field by field (each problem named by
//! its field), the capability proves the role, and the store encrypts the client secret and audits
//! `oidc_provider.set` in the change's transaction. The client secret is write-only: it is never put
//! back into a page — not in the list, not in a form shown again for a problem.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use school::access::UserAdmin;
use school::audit::actions;
use serde::Deserialize;
use store::{NewOidcProvider, OidcProvider};

use super::oidc::{CALLBACK_PATH, issuer_url};
use crate::api::FieldErrors;
use crate::csrf::CsrfToken;
use crate::error::AppError;
use crate::extract::Signed;
use crate::guard::deny;
use crate::pages::{Layout, with_status};
use crate::state::AppState;

pub const PATH: &str = "/account/sign-in-providers";

/// Longer than any real issuer, client id or secret, short enough to refuse a paste of the wrong thing.
const MAX_NAME: usize = 60;
const MAX_FIELD: usize = 500;
const MAX_SECRET: usize = 2_000;

/// The form as typed: every field text, so each problem can be named and the typing kept.
#[derive(Default, Deserialize)]
pub struct ProviderInput {
    #[serde(default)]
    name: String,
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    client_secret: String,
    #[serde(default)]
    allowed_domain: String,
}

// No `Debug` that could print the secret.
impl std::fmt::Debug for ProviderInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderInput").field("issuer", &self.issuer).finish_non_exhaustive()
    }
}

impl ProviderInput {
    /// What the form shows again after a problem: everything but the secret.
    fn without_secret(self) -> ProviderInput {
        ProviderInput { client_secret: String::new(), ..self }
    }

    fn check(&self) -> Result<NewOidcProvider, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME {
            errors.add("name", format!("Enter what the sign-in button should say, up to {MAX_NAME} characters"));
        }
        let issuer = self.issuer.trim();
        if issuer.is_empty() {
            errors.add("issuer", "Enter the issuer address your provider gives for Gatehouse");
        } else if issuer.len() > MAX_FIELD || issuer_url(issuer).is_err() {
            errors.add("issuer", "Enter the issuer as a full https:// address, such as https://accounts.google.com");
        }
        let client_id = self.client_id.trim();
        if client_id.is_empty() || client_id.len() > MAX_FIELD || client_id.chars().any(char::is_whitespace) {
            errors.add("client_id", "Enter the client (application) id your provider gave Gatehouse, without spaces");
        }
        let secret = self.client_secret.trim();
        if secret.is_empty() || secret.len() > MAX_SECRET {
            errors.add("client_secret", "Enter the client secret your provider gave Gatehouse");
        }
        let domain = self.allowed_domain.trim().trim_start_matches('@').to_lowercase();
        if !is_domain(&domain) {
            errors.add("allowed_domain", "Enter the school's email domain, such as school.example.org");
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(NewOidcProvider {
            name: name.to_string(),
            issuer: issuer.to_string(),
            client_id: client_id.to_string(),
            client_secret: secret.to_string(),
            allowed_domain: Some(domain),
        })
    }
}

/// A plain DNS name with at least two labels: what follows the `@` in the school's addresses.
fn is_domain(text: &str) -> bool {
    let label = |l: &str| {
        (1..=63).contains(&l.len())
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    text.len() <= 253 && text.split('.').count() >= 2 && text.split('.').all(label)
}

#[derive(Template)]
#[template(path = "auth/providers.html")]
struct ProvidersPage {
    layout: Layout,
    providers: Vec<OidcProvider>,
    /// Where providers must send people back: `{public origin}/auth/oidc/callback`.
    redirect_uri: String,
    input: ProviderInput,
    errors: FieldErrors,
    saved: bool,
}

async fn render(
    state: &AppState,
    signed: &Signed,
    csrf: &CsrfToken,
    admin: &UserAdmin<'_>,
    input: ProviderInput,
    errors: FieldErrors,
    saved: bool,
) -> Result<Response, AppError> {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = ProvidersPage {
        layout: Layout::signed(state, signed, csrf, "School sign-in", "/account"),
        providers: state.store.oidc_providers(admin.school()).await?,
        redirect_uri: format!("{}{CALLBACK_PATH}", state.config.public_origin),
        input: input.without_secret(),
        errors,
        saved,
    };
    Ok(with_status(status, page.render().map_err(AppError::internal)))
}

#[derive(Deserialize)]
pub struct Shown {
    saved: Option<String>,
}

/// `GET /account/sign-in-providers`.
pub async fn page(
    State(state): State<AppState>,
    signed: Signed,
    csrf: CsrfToken,
    Query(shown): Query<Shown>,
) -> Result<Response, AppError> {
    let Some(admin) = signed.principal.user_admin() else {
        return Err(deny(&state, &signed, actions::OIDC_PROVIDER_SET, "route", PATH).await);
    };
    let input = ProviderInput::default();
    render(&state, &signed, &csrf, &admin, input, FieldErrors::default(), shown.saved.is_some()).await
}

/// `POST /account/sign-in-providers`: adds the provider, or replaces the one with the same issuer.
pub async fn submit(
    State(state): State<AppState>,
    signed: Signed,
    csrf: CsrfToken,
    Form(input): Form<ProviderInput>,
) -> Result<Response, AppError> {
    let Some(admin) = signed.principal.user_admin() else {
        return Err(deny(&state, &signed, actions::OIDC_PROVIDER_SET, "route", PATH).await);
    };
    let new = match input.check() {
        Ok(new) => new,
        Err(errors) => return render(&state, &signed, &csrf, &admin, input, errors, false).await,
    };
    let key = &state.config.secret_key;
    state.store.set_oidc_provider(&admin, signed.from.origin(), key, &new).await?;
    Ok(Redirect::to(&format!("{PATH}?saved=1")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(issuer: &str, domain: &str) -> ProviderInput {
        ProviderInput {
            name: "Microsoft 365".into(),
            issuer: issuer.into(),
            client_id: "0f1e2d3c-gatehouse".into(),
            client_secret: " s3cret-value \n".into(),
            allowed_domain: domain.into(),
        }
    }

    #[test]
    fn a_good_provider_is_trimmed_and_its_domain_lowered() {
        let new = input("https://login.microsoftonline.com/tenant/v2.0", "@School.Example.org").check().unwrap();
        assert_eq!(new.client_secret, "s3cret-value");
        assert_eq!(new.allowed_domain.as_deref(), Some("school.example.org"));
    }

    #[test]
    fn every_problem_is_named_by_its_field() {
        let fields = |i: ProviderInput| i.check().unwrap_err().0.into_iter().map(|(f, _)| f).collect::<Vec<_>>();
        assert_eq!(
            fields(ProviderInput::default()),
            ["name", "issuer", "client_id", "client_secret", "allowed_domain"]
        );
        assert_eq!(fields(input("http://login.example.com", "school.example")), ["issuer"], "https only");
        assert_eq!(fields(input("not a url", "school.example")), ["issuer"]);
        for domain in ["localhost", "school..example", "-school.example", "school example.org", "a@b.example"] {
            assert_eq!(fields(input("https://accounts.google.com", domain)), ["allowed_domain"], "{domain}");
        }
        let spaced =
            ProviderInput { client_id: "two words".into(), ..input("https://accounts.google.com", "s.example") };
        assert_eq!(fields(spaced), ["client_id"]);
    }

    #[test]
    fn neither_debug_nor_a_form_shown_again_carries_the_secret() {
        let typed = input("https://accounts.google.com", "school.example");
        assert!(!format!("{typed:?}").contains("s3cret"));
        assert_eq!(typed.without_secret().client_secret, "");
    }
}
