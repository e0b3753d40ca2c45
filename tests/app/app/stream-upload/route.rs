use arbor::prelude::*;
use futures_util::StreamExt;

/// Reads the body chunk by chunk without holding it.
pub async fn POST(mut req: Request) -> Result<Response> {
    let mut stream = Box::pin(req.body_stream());
    let (mut chunks, mut bytes) = (0, 0);
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        chunks += 1;
        bytes += chunk.len();
    }
    Ok(Response::json(&serde_json::json!({ "chunks": chunks, "bytes": bytes })))
}
