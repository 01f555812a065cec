//! `/account`: the signed-in user's API tokens and "sign out everywhere"; `GET /api/v1/me`.
//! The store audits each change (token created or revoked, epoch raised) in the change's transaction.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Redirect, Response};
use serde::Deserialize;
use store::ApiToken;
use time::OffsetDateTime;
use tower_sessions::Session;

use crate::csrf::CsrfToken;
use crate::error::AppError;
use crate::extract::{Scope, Signed};
use crate::pages::{Layout, with_status};
use crate::session;
use crate::state::AppState;

struct TokenRow {
    id: String,
    name: String,
    scope: &'static str,
    created: String,
    last_used: String,
}

#[derive(Template)]
#[template(path = "auth/account.html")]
struct AccountPage {
    layout: Layout,
    tokens: Vec<TokenRow>,
    new_token: Option<String>,
    problem: Option<String>,
    /// Whether to offer the school's sign-in provider settings (account administrators only).
    configures_sign_in: bool,
}

fn date(at: OffsetDateTime) -> String {
    format!("{:04}-{:02}-{:02} {:02}:{:02} UTC", at.year(), u8::from(at.month()), at.day(), at.hour(), at.minute())
}

fn row(token: ApiToken) -> TokenRow {
    TokenRow {
        id: token.id,
        name: token.name,
        scope: match Scope::from_scopes(&token.scopes) {
            Scope::Read => "Read only",
            Scope::ReadWrite => "Read and change",
        },
        created: date(token.created_at),
        last_used: token.last_used_at.map_or_else(|| "Never".to_string(), date),
    }
}

async fn render(
    state: &AppState,
    signed: &Signed,
    csrf: &CsrfToken,
    new_token: Option<String>,
    problem: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let tokens = state.store.api_tokens(&signed.principal).await?;
    let page = AccountPage {
        layout: Layout::signed(state, signed, csrf, "Your account", "/account"),
        tokens: tokens.into_iter().filter(|t| t.revoked_at.is_none()).map(row).collect(),
        new_token,
        problem,
        configures_sign_in: signed.principal.user_admin().is_some(),
    };
    Ok(with_status(status, page.render().map_err(AppError::internal)))
}

pub async fn page(State(state): State<AppState>, signed: Signed, csrf: CsrfToken) -> Result<Response, AppError> {
    render(&state, &signed, &csrf, None, None, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct NewToken {
    name: String,
    scope: String,
}

/// `POST /account/tokens`: the token is shown in this response only; the database keeps its hash.
pub async fn create_token(
    State(state): State<AppState>,
    signed: Signed,
    csrf: CsrfToken,
    Form(form): Form<NewToken>,
) -> Result<Response, AppError> {
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        let problem = Some("Give the token a name of 1 to 80 characters.".to_string());
        return render(&state, &signed, &csrf, None, problem, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let scope = Scope::parse(&form.scope).ok_or_else(|| AppError::invalid("scope", "choose read or read_write"))?;
    let origin = signed.from.origin();
    let created = state.store.create_api_token(&signed.principal, origin, name, &scope.to_scopes()).await?;
    render(&state, &signed, &csrf, Some(created.secret), None, StatusCode::OK).await
}

/// `POST /account/tokens/{id}/revoke`: only the owner's own live tokens; anything else is "not found".
pub async fn revoke_token(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
) -> Result<Redirect, AppError> {
    state.store.revoke_api_token(&signed.principal, signed.from.origin(), &id).await?;
    Ok(Redirect::to("/account"))
}

/// `POST /sign-out/everywhere`: every other session of this user stops working at its next request.
pub async fn sign_out_everywhere(
    State(state): State<AppState>,
    session: Session,
    signed: Signed,
) -> Result<Redirect, AppError> {
    let epoch = state.store.bump_session_epoch(&signed.principal.user, signed.from.origin()).await?;
    let current = session::current(&session).await?.ok_or(AppError::Unauthenticated)?;
    session::set_epoch(&session, current, epoch).await?;
    Ok(Redirect::to("/account"))
}

pub mod me {
    //! `GET /api/v1/me`: who a token acts as.

    use axum::Json;
    use serde::Serialize;

    use crate::error::ErrorBody;
    use crate::extract::{ApiSigned, Scope};

    /// The token's owner as the API sees them.
    #[derive(Serialize, utoipa::ToSchema)]
    pub struct Me {
        /// The user's id.
        pub user: String,
        /// The school's id.
        pub school: String,
        /// headteacher, dsl, deputy_dsl, staff, governor or trust_admin.
        pub role: String,
        /// What this token may do.
        pub scope: Scope,
    }

    /// Who this token acts as.
    #[utoipa::path(
        get,
        path = "/api/v1/me",
        tag = "account",
        security(("bearer" = [])),
        responses(
            (status = 200, description = "The token's owner", body = Me),
            (status = 401, description = "Missing, unknown or revoked token", body = ErrorBody),
        )
    )]
    pub async fn me(signed: ApiSigned) -> Json<Me> {
        let p = signed.principal;
        Json(Me { user: p.user.0, school: p.school.0, role: p.role.as_str().to_string(), scope: signed.scope })
    }
}
