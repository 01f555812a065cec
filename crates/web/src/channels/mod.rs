//! The channel registry and who may use each channel (P2.1–P2.3), as pages and as `/api/v1/channels`.
//!
//! Seeing the registry needs `channel_reader` (the headteacher, the trust's team, staff with a grant);
//! registering, editing, entering credentials and granting need `channel_admin` (the headteacher only,
//! P2.2). Every refused attempt goes through [`deny`](crate::deny) with the channel as its object, so it
//! appears in the audit log and on the channel's page under "Refused attempts" (P2.3).
//!
//! Credentials go in through a password field and are never shown again: the store encrypts them and
//! [`school::channel::Channel`] carries only whether they are set; the pages say when.
//!
//! - `list.rs`: `GET /channels`, `GET /api/v1/channels`
//! - `register.rs`: `GET /channels/new`, `POST /channels`, `POST /api/v1/channels`
//! - `show.rs`: `GET /channels/{id}`, `GET /api/v1/channels/{id}`
//! - `edit.rs`: `GET /channels/{id}/edit`, `POST /channels/{id}`, `PATCH /api/v1/channels/{id}`
//! - `credentials.rs`: `GET/POST /channels/{id}/credentials`, `PUT /api/v1/channels/{id}/credentials`
//! - `grants.rs`: `POST /channels/{id}/grants`, `POST /channels/{id}/grants/{user}/revoke`,
//!   `GET /api/v1/channels/{id}/grants`, `PUT|DELETE /api/v1/channels/{id}/grants/{user}`

use axum::routing::{get, post};
use school::channel::{Channel, ChannelKind, ChannelStatus, NewChannel};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::{FieldErrors, rfc3339, schema};
use crate::state::AppState;

mod credentials;
mod edit;
mod grants;
mod list;
mod register;
mod show;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .route("/channels", get(list::page).post(register::submit))
        .route("/channels/new", get(register::form))
        .route("/channels/{id}", get(show::page).post(edit::submit))
        .route("/channels/{id}/edit", get(edit::form))
        .route("/channels/{id}/credentials", get(credentials::form).post(credentials::submit))
        .route("/channels/{id}/grants", post(grants::grant))
        .route("/channels/{id}/grants/{user}/revoke", post(grants::revoke))
        .routes(routes!(list::api, register::api))
        .routes(routes!(show::api, edit::api))
        .routes(routes!(credentials::api))
        .routes(routes!(grants::list_api))
        .routes(routes!(grants::put_api, grants::delete_api))
}

/// The longest name or handle kept; a URL may be longer.
const MAX_TEXT: usize = 100;
const MAX_URL: usize = 500;

/// A channel as the API shows it: never its credentials, only whether and when they were set.
#[derive(Serialize, ToSchema)]
#[schema(as = Channel)]
pub struct ChannelJson {
    pub id: String,
    #[schema(schema_with = schema::channel_kind)]
    pub kind: &'static str,
    /// A name for people: "School Facebook Page".
    pub name: String,
    /// The platform's handle or page id.
    pub handle: String,
    pub url: Option<String>,
    #[schema(schema_with = schema::channel_status)]
    pub status: &'static str,
    /// Whether platform credentials are on file.
    pub has_credentials: bool,
    /// When they were last set (RFC 3339).
    pub credentials_set_at: Option<String>,
}

impl ChannelJson {
    pub fn new(c: &Channel, credentials_set_at: Option<OffsetDateTime>) -> ChannelJson {
        ChannelJson {
            id: c.id.0.clone(),
            kind: c.kind.as_str(),
            name: c.name.clone(),
            handle: c.handle.clone(),
            url: c.url.clone(),
            status: c.status.as_str(),
            has_credentials: c.has_credentials,
            credentials_set_at: credentials_set_at.map(rfc3339),
        }
    }
}

/// A channel's details as a form or a JSON body sends them.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[schema(as = ChannelInput)]
pub struct ChannelInput {
    #[schema(schema_with = schema::channel_kind)]
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub handle: String,
    /// The channel's public address (`https://…`); WhatsApp groups have none.
    #[serde(default)]
    pub url: Option<String>,
    /// Only when editing: `active`, `paused` or `retired`.
    #[schema(schema_with = schema::channel_status)]
    #[serde(default)]
    pub status: Option<String>,
}

impl ChannelInput {
    pub fn of(c: &Channel) -> ChannelInput {
        ChannelInput {
            kind: c.kind.as_str().to_string(),
            name: c.name.clone(),
            handle: c.handle.clone(),
            url: c.url.clone(),
            status: Some(c.status.as_str().to_string()),
        }
    }

    /// For templates: the URL as typed.
    pub fn url_text(&self) -> &str {
        self.url.as_deref().unwrap_or("")
    }

    /// For templates: whether a radio is the chosen one.
    pub fn is(&self, field: &str, value: &str) -> bool {
        match field {
            "kind" => self.kind == value,
            _ => self.status.as_deref() == Some(value),
        }
    }
}

/// A channel's details, checked; the status only when `editing` (a new channel starts active).
pub fn check(input: &ChannelInput, editing: bool) -> Result<(NewChannel, Option<ChannelStatus>), FieldErrors> {
    let mut errors = FieldErrors::default();
    let kind = input.kind.trim().parse::<ChannelKind>().ok();
    if kind.is_none() {
        errors.add("kind", "Choose the platform: a Facebook Page, an X account, a WhatsApp group or other");
    }
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > MAX_TEXT {
        errors.add("name", format!("Enter a name of 1 to {MAX_TEXT} characters"));
    }
    let handle = input.handle.trim();
    if handle.is_empty() || handle.chars().count() > MAX_TEXT {
        errors.add("handle", format!("Enter the handle or page id, 1 to {MAX_TEXT} characters"));
    }
    let url = input.url.as_deref().map(str::trim).filter(|u| !u.is_empty());
    let plausible = |u: &str| {
        let rest = u.strip_prefix("https://").or_else(|| u.strip_prefix("http://")).unwrap_or("");
        !rest.is_empty() && !rest.starts_with('/') && !u.chars().any(char::is_whitespace) && u.len() <= MAX_URL
    };
    if url.is_some_and(|u| !plausible(u)) {
        errors.add("url", "Enter the address starting with https://, or leave it blank");
    }
    let status = match (editing, input.status.as_deref().map(str::trim)) {
        (true, Some(s)) => match s.parse::<ChannelStatus>() {
            Ok(status) => Some(status),
            Err(_) => {
                errors.add("status", "Choose active, paused or retired");
                None
            }
        },
        _ => None,
    };
    match kind {
        Some(kind) if errors.is_empty() => {
            let new =
                NewChannel { kind, name: name.to_string(), handle: handle.to_string(), url: url.map(str::to_string) };
            Ok((new, status))
        }
        _ => Err(errors),
    }
}

/// Words for the platform, for pages.
pub fn kind_words(kind: ChannelKind) -> &'static str {
    match kind {
        ChannelKind::FacebookPage => "Facebook Page",
        ChannelKind::XAccount => "X account",
        ChannelKind::WhatsappGroup => "WhatsApp group",
        ChannelKind::Other => "Other",
    }
}

pub fn status_words(status: ChannelStatus) -> &'static str {
    match status {
        ChannelStatus::Active => "Active",
        ChannelStatus::Paused => "Paused",
        ChannelStatus::Retired => "Retired",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(kind: &str, name: &str, handle: &str, url: &str) -> ChannelInput {
        ChannelInput {
            kind: kind.into(),
            name: name.into(),
            handle: handle.into(),
            url: Some(url.into()),
            status: None,
        }
    }

    #[test]
    fn a_channel_needs_a_platform_a_name_and_a_handle() {
        let (new, status) =
            check(&input("facebook_page", " School page ", "@school", "https://facebook.com/school"), false).unwrap();
        assert_eq!((new.kind, new.name.as_str(), status), (ChannelKind::FacebookPage, "School page", None));
        let (new, _) = check(&input("whatsapp_group", "Year 3 parents", "Y3", ""), false).unwrap();
        assert_eq!(new.url, None, "a blank URL is none");
        let errors = check(&input("myspace", "", "", "javascript:alert(1)"), false).unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["kind", "name", "handle", "url"]);
    }

    #[test]
    fn only_an_edit_reads_the_status() {
        let mut i = input("x_account", "X", "@x", "");
        i.status = Some("paused".into());
        assert_eq!(check(&i, true).unwrap().1, Some(ChannelStatus::Paused));
        assert_eq!(check(&i, false).unwrap().1, None);
        i.status = Some("deleted".into());
        assert_eq!(check(&i, true).unwrap_err().0[0].0, "status");
    }
}
