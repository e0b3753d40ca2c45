use arbor::prelude::*;

/// Unmatched URLs get a JSON 404, as an API should.
pub async fn not_found(req: Request) -> Response {
    Response::json(&serde_json::json!({ "error": format!("no route for {}", req.pathname()) }))
}
