//! What a route handler saw, as `lib/echo.ts` answers it.

use arbor::{Request, Response};

/// `{route, method, pathname, search, nextUrl, params, proxyReq}` with `x-route: route`.
pub fn echo(route: &str, req: &Request) -> Response {
    let url = req.next_url();
    let search = url.search();
    Response::json(&serde_json::json!({
        "route": route,
        "method": req.method().as_str(),
        "pathname": url.pathname(),
        "search": search,
        "nextUrl": format!("{}{}", url.pathname(), search),
        "params": null,
        "proxyReq": req.headers().get("x-proxy-req").and_then(|v| v.to_str().ok()),
    }))
    .with_header("x-route", route)
}
