use arbor::prelude::*;

/// The user the middleware put in the request, and that `authorization` is gone.
pub async fn GET(req: Request) -> Response {
    Response::json(&serde_json::json!({
        "user": req.header("x-user"),
        "authorization": req.header("authorization"),
    }))
}
