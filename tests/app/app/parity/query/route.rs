//! `QUERY /parity/query`: a safe method with a body, as Next.js 16 routes it.

use arbor::prelude::*;

pub async fn QUERY(mut req: Request) -> Result<Response> {
    let content_type = req.header("content-type").map(str::to_owned);
    let body: serde_json::Value = req.json().await?;
    Ok(Response::json(&serde_json::json!({
        "method": req.method().as_str(),
        "contentType": content_type,
        "body": body,
    })))
}
