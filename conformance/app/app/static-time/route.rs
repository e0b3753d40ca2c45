use arbor::cache::Dynamic;
use arbor::prelude::*;

pub const DYNAMIC: Dynamic = Dynamic::ForceStatic;

/// Rendered once with an empty request: everything it reports is empty.
pub async fn GET(req: Request, cookies: Cookies) -> Response {
    let url = req.next_url();
    Response::json(&serde_json::json!({
        "time": crate::echo::now_ms(),
        "seen": {
            "headerCount": req.headers().len(),
            "xTest": req.header("x-test"),
            "cookieCount": req.cookies().len(),
            "search": url.search(),
            "queryCount": url.search_params().entries().len(),
            "url": req.url(),
            "nextHeadersXTest": req.header("x-test"),
            "nextCookiesCount": cookies.get_all().len(),
        },
    }))
}
