use arbor::cookies::{ResponseCookie, SameSite};
use arbor::prelude::*;
use serde::Deserialize;

/// The login form.
#[derive(Deserialize)]
pub struct Login {
    name: String,
}

/// The query of `GET /login?next=...`.
#[derive(Deserialize)]
pub struct Next {
    next: Option<String>,
}

/// `GET /login`
pub async fn GET() -> Response {
    Response::text("POST a form with a `name` to log in")
}

/// `POST /login?next=/dashboard` with `name=...`: sets the session, back to where the user was going.
pub async fn POST(Query(next): Query<Next>, Form(login): Form<Login>) -> Result<Response> {
    let name = login.name.trim();
    if name.is_empty() {
        return Err(Error::unprocessable("name must not be empty"));
    }
    let target = next
        .next
        .filter(|n| n.starts_with('/') && !n.starts_with("//"))
        .unwrap_or_else(|| "/dashboard".to_owned());
    Ok(Response::redirect_with(&target, RedirectStatus::SeeOther).with_cookie(
        ResponseCookie::new("session", name)
            .http_only(true)
            .same_site(SameSite::Lax),
    ))
}
