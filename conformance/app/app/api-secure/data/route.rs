use arbor::prelude::*;

/// Reached only through the proxy, which checks the credentials and injects `x-from-mw`.
pub async fn GET(req: Request) -> Response {
    Response::json(&serde_json::json!({ "secret": 42, "fromMw": req.header("x-from-mw") }))
}
