use arbor::cookies::{ResponseCookie, SameSite};
use arbor::prelude::*;
use serde::Deserialize;

use crate::SESSION;

/// The login form's fields.
#[derive(Deserialize, schemars::JsonSchema)]
pub struct Login {
    name: String,
}

/// `GET /login`: what to send.
pub async fn GET() -> Response {
    Response::text("POST a form with a `name` to log in")
}

/// `POST /login` (form `name=...`): sets the session cookie and sends the browser to `/me`
/// (303, so it follows with a GET).
pub async fn POST(Form(login): Form<Login>) -> Result<Response> {
    let name = login.name.trim();
    if name.is_empty() {
        return Err(Error::unprocessable("name must not be empty"));
    }
    Ok(Response::redirect_with("/me", RedirectStatus::SeeOther).with_cookie(
        ResponseCookie::new(SESSION, name)
            .http_only(true)
            .same_site(SameSite::Lax)
            .max_age(60 * 60),
    ))
}
