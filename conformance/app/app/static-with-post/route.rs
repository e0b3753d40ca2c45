use arbor::cache::Dynamic;
use arbor::prelude::*;

pub const DYNAMIC: Dynamic = Dynamic::ForceStatic;

pub async fn GET(req: Request) -> Response {
    Response::json(&serde_json::json!({ "time": crate::echo::now_ms(), "xTest": req.header("x-test") }))
}

pub async fn POST(mut req: Request) -> Result<Response> {
    let body = req.text().await?;
    Ok(Response::json(&serde_json::json!({
        "time": crate::echo::now_ms(),
        "xTest": req.header("x-test"),
        "body": body,
    })))
}
