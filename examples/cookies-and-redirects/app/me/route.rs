use arbor::prelude::*;

use crate::SESSION;

/// Who is logged in, or a redirect to the login page: `?` carries it out of the helper.
fn current_user(req: &Request) -> Result<String> {
    req.cookies()
        .get(SESSION)
        .map(|c| c.value.clone())
        .ok_or_else(|| redirect("/login"))
}

/// `GET /me`
pub async fn GET(req: Request, cookies: Cookies) -> Result<Response> {
    let user = current_user(&req)?;
    cookies.set("last-seen", "me");
    Ok(Response::json(&serde_json::json!({ "user": user })))
}
