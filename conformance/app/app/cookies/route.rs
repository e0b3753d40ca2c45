use arbor::cookies::{ResponseCookie, SameSite};
use arbor::prelude::*;

pub async fn GET(req: Request) -> Response {
    let cookies = req.cookies();
    let mut res = Response::json(&serde_json::json!({
        "all": cookies.get_all(),
        "theme": cookies.get("theme").map(|c| c.value.as_str()),
        "hasSession": cookies.has("session"),
    }));
    res.cookies_mut()
        .set("visited", "yes")
        .set_cookie(
            ResponseCookie::new("prefs", "a b;c")
                .http_only(true)
                .path("/cookies")
                .max_age(60)
                .same_site(SameSite::Lax)
                .secure(true),
        )
        .delete("old");
    res
}

pub async fn POST(cookies: Cookies) -> Response {
    cookies.set("viaHeaders", "1");
    cookies.set_cookie(ResponseCookie::new("another", "two").http_only(true));
    Response::text("ok")
}

pub async fn DELETE(cookies: Cookies) -> Response {
    cookies.delete("theme");
    Response::empty()
        .with_status(StatusCode::NO_CONTENT)
        .with_header("set-cookie", "manual=1; Path=/")
}
