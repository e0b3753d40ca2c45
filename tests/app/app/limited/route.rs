use arbor::prelude::*;

/// Next.js's `maxDuration`: a handler still running after a second is answered 504.
pub const MAX_DURATION: u64 = 1;

/// The largest body this route's handlers accept, whatever the app's limit.
pub const BODY_LIMIT: usize = 16;

/// Answers after the number of milliseconds in the query (`?ms=300`).
pub async fn GET(req: Request) -> Response {
    let ms = req
        .query()
        .and_then(|q| q.strip_prefix("ms="))
        .and_then(|ms| ms.parse().ok())
        .unwrap_or(0);
    tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
    Response::text("done")
}

/// Reads the whole body and reports its size.
pub async fn POST(mut req: Request) -> Result<Response> {
    let body = req.bytes().await?;
    Ok(Response::json(&serde_json::json!({ "bytes": body.len() })))
}
