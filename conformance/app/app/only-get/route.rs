use arbor::prelude::*;

/// Exports GET only: 405 for other methods, automatic HEAD and OPTIONS.
pub async fn GET(req: Request) -> Response {
    Response::json(&serde_json::json!({
        "handler": "GET",
        "method": req.method().as_str(),
        "pathname": req.pathname(),
    }))
    .with_header("x-handler", "GET")
    .with_header("x-seen-method", req.method().as_str())
}
