//! What a route handler saw, as `lib/echo.ts` answers it.

use arbor::{Request, Response};

/// `{route, method, pathname, search, nextUrl, params: null, proxyReq}` with `x-route: route`.
pub fn echo(route: &str, req: &Request) -> Response {
    echo_params(route, req, serde_json::Value::Null)
}

/// [`echo`] with the route's parameters.
pub fn echo_params(route: &str, req: &Request, params: serde_json::Value) -> Response {
    let url = req.next_url();
    let search = url.search();
    Response::json(&serde_json::json!({
        "route": route,
        "method": req.method().as_str(),
        "pathname": url.pathname(),
        "search": search,
        "nextUrl": format!("{}{}", url.pathname(), search),
        "params": params,
        "proxyReq": req.headers().get("x-proxy-req").and_then(|v| v.to_str().ok()),
    }))
    .with_header("x-route", route)
}
