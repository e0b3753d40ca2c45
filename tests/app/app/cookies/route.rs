use arbor::cookies::{Priority, ResponseCookie, SameSite};
use arbor::prelude::*;

/// Reads the request's cookies; sets, sets with every attribute, and deletes on the response.
pub async fn GET(req: Request) -> Response {
    let cookies = req.cookies();
    let mut response = Response::json(&serde_json::json!({
        "all": cookies.get_all(),
        "theme": cookies.get("theme").map(|c| c.value.as_str()),
        "hasSession": cookies.has("session"),
        "count": cookies.len(),
    }));
    response
        .cookies_mut()
        .set("visited", "yes")
        .set_cookie(
            ResponseCookie::new("prefs", "a b;c")
                .path("/cookies")
                .max_age(60)
                .domain("localhost")
                .secure(true)
                .http_only(true)
                .same_site(SameSite::Lax)
                .partitioned(true)
                .priority(Priority::High),
        )
        .delete("old");
    response
}

/// `cookies()` of `next/headers`: merged into whatever response comes back.
pub async fn POST(cookies: Cookies) -> Response {
    cookies.set("viaHeaders", "1");
    cookies.set_cookie(ResponseCookie::new("another", "two").http_only(true));
    Response::text("ok")
}

/// The handler's own `Set-Cookie` comes first, then the `cookies()` ones.
pub async fn DELETE(cookies: Cookies) -> Response {
    cookies.delete("theme");
    Response::empty()
        .with_status(StatusCode::NO_CONTENT)
        .append_header("set-cookie", "manual=1; Path=/")
}

/// A request's cookies changed by the handler rewrite its `Cookie` header.
pub async fn PUT(mut req: Request) -> Response {
    {
        let mut cookies = req.cookies_mut();
        cookies.set("added", "x y");
        cookies.delete("theme");
    }
    Response::json(&serde_json::json!({
        "header": req.header("cookie"),
        "count": req.cookies().len(),
    }))
}
