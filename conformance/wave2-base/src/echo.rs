//! What a route handler saw, as this app's `lib/echo.ts` answers it.

use arbor::{Request, Response};

/// `{route, pathname, search, nextUrlPathname, nextUrlBasePath, params}`.
pub fn echo(route: &str, req: &Request, params: serde_json::Value) -> Response {
    let url = req.next_url();
    Response::json(&serde_json::json!({
        "route": route,
        "pathname": url.pathname(),
        "search": url.search(),
        "nextUrlPathname": url.pathname(),
        // The handler's URL is the app's own, without `BASE_PATH`: Next.js says `""` here.
        "nextUrlBasePath": "",
        "params": params,
    }))
}
