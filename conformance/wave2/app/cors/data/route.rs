//! `/cors/data`: behind the proxy that adds CORS headers and answers preflights.

use arbor::prelude::*;

pub async fn GET() -> Response {
    Response::json(&serde_json::json!({ "route": "cors/data" }))
}

pub async fn POST(mut req: Request) -> Result<Response> {
    let body = req.text().await?;
    Ok(Response::json(&serde_json::json!({ "route": "cors/data", "body": body })))
}
