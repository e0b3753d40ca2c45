//! `/cors-post-only`: POST only; Arbor answers its OPTIONS.

use arbor::prelude::*;

pub async fn POST(mut req: Request) -> Result<Response> {
    let body = req.text().await?;
    Ok(Response::json(&serde_json::json!({ "route": "cors-post-only", "body": body })))
}
