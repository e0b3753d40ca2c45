//! The gate: runs before `/dashboard` and `/api`, nothing else.

use arbor::middleware::{Config, Matcher, Next, Outcome};
use arbor::prelude::*;

pub const CONFIG: Config = Config {
    matcher: &[Matcher::new("/dashboard/:path*"), Matcher::new("/api/:path*")],
};

pub async fn proxy(req: Request) -> Result<Outcome> {
    let Some(user) = req.cookies().get("session").map(|c| c.value.clone()) else {
        if req.pathname().starts_with("/api/") {
            return Ok(
                Response::json(&serde_json::json!({ "error": "authentication required" }))
                    .with_status(StatusCode::UNAUTHORIZED)
                    .into(),
            );
        }
        let mut login = req.next_url().clone();
        login.set_pathname("/login");
        login.set_search("");
        login.search_params_mut().set("next", req.pathname());
        return Ok(Response::redirect(&login.href()).into());
    };
    // The routes read the user from a request header only the gate can set.
    let mut headers = req.headers().clone();
    headers.insert("x-user", user.parse()?);
    Ok(Next::with_request_headers(headers).into())
}
