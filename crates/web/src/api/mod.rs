//! What the areas' JSON endpoints (`/api/v1/…`) share: the error shape with 400 for bad input, reading
//! a JSON body only after the permission check, OpenAPI schemas for the domain's spellings, and the
//! few presentation helpers pages share with the API (dates, form errors).
//!
//! Each area keeps its own endpoints next to its pages (`people`, `consent`, `import`, `channels`,
//! `suggestions`, `audit`, `figures`), so one file reads as one action whichever way it is called.
//! Every endpoint takes [`ApiSigned`](crate::ApiSigned) and is annotated with `#[utoipa::path]`, so
//! `/api/v1/openapi.json` is generated from the routes and cannot drift from them.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use time::{Date, Month, OffsetDateTime, UtcOffset};
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};

use crate::error::{AppError, ErrorInfo};

/// An API handler's error: an [`AppError`], except that bad input is a 400 (the request as sent cannot
/// be carried out) with the field at fault, rather than the 422 pages use for a form shown again.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl ApiError {
    /// A field's value is wrong; `problem` says what to send instead.
    pub fn invalid(field: impl Into<String>, problem: impl Into<String>) -> ApiError {
        ApiError(AppError::invalid(field, problem))
    }
}

impl From<AppError> for ApiError {
    fn from(err: AppError) -> ApiError {
        ApiError(err)
    }
}

impl From<store::Error> for ApiError {
    fn from(err: store::Error) -> ApiError {
        ApiError(err.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let invalid = matches!(self.0, AppError::InvalidInput { .. });
        let mut response = self.0.into_response();
        if invalid {
            // The error renderer writes the body from this record, status included.
            if let Some(info) = response.extensions_mut().get_mut::<ErrorInfo>() {
                info.status = StatusCode::BAD_REQUEST;
            }
            *response.status_mut() = StatusCode::BAD_REQUEST;
        }
        response
    }
}

/// What an API handler returns.
pub type ApiResult<T> = Result<T, ApiError>;

/// Reads a JSON body. Handlers take the body as bytes and call this after the permission check, so a
/// refused caller is refused (and audited) whatever they sent.
pub fn json<T: DeserializeOwned>(body: &[u8]) -> ApiResult<T> {
    serde_json::from_slice(body).map_err(|err| {
        let message = err.to_string();
        ApiError::invalid(field_named_in(&message).unwrap_or("body").to_string(), message)
    })
}

/// serde names the field in "missing field `x`" and "unknown field `x`"; other messages give a position.
fn field_named_in(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("missing field `").or_else(|| message.strip_prefix("unknown field `"))?;
    rest.split('`').next()
}

/// A string schema limited to `values` (the domain's spellings, from its `ALL` lists, so they cannot drift).
pub fn one_of<'a>(values: impl IntoIterator<Item = &'a str>, description: &str) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values.into_iter().map(str::to_string)))
        .description(Some(description))
        .build()
}

/// Schema functions for `#[schema(schema_with = …)]`, one per spelled enum of the domain.
pub mod schema {
    use school::audit::Outcome;
    use school::channel::{ChannelKind, ChannelStatus};
    use school::consent::{ConsentSource, ConsentState};
    use school::people::PersonKind;
    use school::suggestion::SuggestionStatus;
    use utoipa::openapi::schema::Object;

    use super::one_of;

    pub fn person_kind() -> Object {
        one_of(PersonKind::ALL.map(PersonKind::as_str), "pupil, staff or parent (a parent or carer)")
    }
    pub fn consent_state() -> Object {
        one_of(ConsentState::ALL.map(ConsentState::as_str), "Where the consent stands")
    }
    pub fn consent_source() -> Object {
        one_of(ConsentSource::ALL.map(ConsentSource::as_str), "How the decision reached the school")
    }
    pub fn channel_kind() -> Object {
        one_of(ChannelKind::ALL.map(ChannelKind::as_str), "The platform")
    }
    pub fn channel_status() -> Object {
        one_of(ChannelStatus::ALL.map(ChannelStatus::as_str), "Whether the channel is in use")
    }
    pub fn suggestion_status() -> Object {
        one_of(SuggestionStatus::ALL.map(SuggestionStatus::as_str), "Where the suggestion is in the queue")
    }
    pub fn outcome() -> Object {
        one_of(Outcome::ALL.map(Outcome::as_str), "ok, denied (refused for want of a permission) or failed")
    }
    pub fn decision() -> Object {
        one_of(["accept", "decline"], "accept (it can become a draft) or decline")
    }
}

/// A user's name for pages ("Gatehouse (command line)" for the system actor), or their id if the
/// account is gone: a record must still say who, even then.
pub async fn user_name(state: &crate::state::AppState, id: &str) -> String {
    if id == school::audit::SYSTEM {
        return "Gatehouse (command line)".into();
    }
    match state.store.user(&school::access::UserId(id.to_string())).await {
        Ok(user) => user.display_name,
        Err(_) => id.to_string(),
    }
}

/// A calendar date as `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<Date> {
    let mut parts = text.trim().splitn(3, '-');
    let year = parts.next()?.parse::<i32>().ok().filter(|y| (1900..=9999).contains(y))?;
    let month = Month::try_from(parts.next()?.parse::<u8>().ok()?).ok()?;
    let day = parts.next()?.parse::<u8>().ok()?;
    Date::from_calendar_date(year, month, day).ok()
}

/// The start of a day, UTC.
pub fn start_of(date: Date) -> OffsetDateTime {
    date.midnight().assume_offset(UtcOffset::UTC)
}

/// `2026-11-25`.
pub fn day(at: OffsetDateTime) -> String {
    format!("{:04}-{:02}-{:02}", at.year(), u8::from(at.month()), at.day())
}

/// `2026-11-25 14:03 UTC`, for pages.
pub fn moment(at: OffsetDateTime) -> String {
    let at = at.to_offset(UtcOffset::UTC);
    format!("{} {:02}:{:02} UTC", day(at), at.hour(), at.minute())
}

/// RFC 3339, for JSON.
pub fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339).unwrap_or_else(|_| at.unix_timestamp().to_string())
}

/// The problems with a submitted form, in the order of its fields: the error summary links to each
/// field by id (`#field`), and each field shows its own message.
#[derive(Clone, Debug, Default)]
pub struct FieldErrors(pub Vec<(String, String)>);

impl FieldErrors {
    pub fn add(&mut self, field: impl Into<String>, problem: impl Into<String>) {
        self.0.push((field.into(), problem.into()));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The message for `field`, for templates: `{% if let Some(e) = errors.get("state") %}`.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|(f, _)| f == field).map(|(_, p)| p.as_str())
    }

    /// The first problem, as the API reports it (a 400 naming the field).
    pub fn into_api(self) -> ApiError {
        let (field, problem) = self.0.into_iter().next().unwrap_or_else(|| ("body".into(), "invalid".into()));
        ApiError::invalid(field, problem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_name_their_field() {
        assert_eq!(field_named_in("missing field `state` at line 1 column 2"), Some("state"));
        assert_eq!(field_named_in("unknown field `sate`, expected one of `state`"), Some("sate"));
        assert_eq!(field_named_in("expected value at line 1 column 1"), None);
    }

    #[test]
    fn dates_are_year_month_day() {
        assert_eq!(parse_date("2027-07-31").map(|d| d.to_string()), Some("2027-07-31".to_string()));
        for bad in ["", "2027-02-30", "31/07/2027", "2027-13-01", "99-01-01", "2027-07"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn bad_input_is_a_400_with_its_field() {
        let response = ApiError::invalid("state", "expected granted").into_response();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let info = response.extensions().get::<ErrorInfo>().unwrap();
        assert_eq!((info.status, info.field.as_deref()), (StatusCode::BAD_REQUEST, Some("state")));
        assert_eq!(ApiError(AppError::NotFound).into_response().status(), StatusCode::NOT_FOUND);
    }
}
