//! The gate: runs before `/dashboard` and `/api`, nothing else.

use arbor::middleware::{Config, Matcher, Next, Outcome};
use arbor::prelude::*;
use http::HeaderValue;

pub const CONFIG: Config = Config {
    matcher: &[Matcher::new("/dashboard/:path*"), Matcher::new("/api/:path*")],
};

pub async fn proxy(req: Request) -> Result<Outcome> {
    // A cookie that cannot be a user name (a control character, say) is no session: the
    // client is not signed in, rather than the server failing.
    let user = req
        .cookies()
        .get("session")
        .and_then(|c| HeaderValue::from_str(&c.value).ok())
        .filter(|v| !v.is_empty());
    let Some(user) = user else {
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
    headers.insert("x-user", user);
    Ok(Next::with_request_headers(headers).into())
}
