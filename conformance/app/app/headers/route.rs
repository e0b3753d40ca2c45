use arbor::prelude::*;

/// What the handler sees after the proxy changed the request, and how its own headers and
/// cookies merge with the proxy's.
pub async fn GET(req: Request, cookies: Cookies) -> Response {
    let mut names: Vec<&str> = req
        .headers()
        .keys()
        .map(|k| k.as_str())
        .filter(|k| k.starts_with("x-") || matches!(*k, "host" | "user-agent" | "authorization"))
        .collect();
    names.sort_unstable();
    let from_request: serde_json::Map<String, serde_json::Value> = names
        .into_iter()
        .map(|k| (k.to_owned(), req.header(k).into()))
        .collect();
    Response::json(&serde_json::json!({
        "fromRequest": from_request,
        // `headers()` of next/headers: the same request headers.
        "fromNextHeaders": { "x-from-mw": req.header("x-from-mw"), "x-test": req.header("x-test") },
        "cookieSetByProxy": cookies.get("from-proxy").map(|c| c.value),
        "requestCookieHeader": req.header("cookie"),
    }))
    .with_header("x-custom", "custom-value")
    .with_header("x-conflict", "from-handler")
    .with_header("cache-control", "public, max-age=60")
    .append_header("set-cookie", "from-handler=h1; Path=/")
}
