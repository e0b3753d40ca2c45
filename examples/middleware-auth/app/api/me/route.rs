use arbor::prelude::*;

/// `GET /api/me`: only reached through the gate.
pub async fn GET(req: Request) -> Response {
    Response::json(&serde_json::json!({ "user": req.header("x-user") }))
}
