use arbor::prelude::*;

/// Only GET: HEAD and OPTIONS are automatic, everything else is 405.
pub async fn GET(req: Request, _ctx: RouteContext) -> Response {
    Response::json(&serde_json::json!({ "handler": "GET", "method": req.method().as_str() }))
        .with_header("x-handler", "GET")
        .with_header("x-seen-method", req.method().as_str())
}
