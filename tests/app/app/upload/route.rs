use arbor::prelude::*;

/// Reads the whole body and reports its size.
pub async fn POST(mut req: Request) -> Result<Response> {
    let body = req.bytes().await?;
    Ok(Response::json(&serde_json::json!({ "bytes": body.len() })))
}

/// Reads JSON through the request.
pub async fn PUT(mut req: Request) -> Result<Response> {
    let value: serde_json::Value = req.json().await?;
    Ok(Response::json(&value))
}
