use arbor::prelude::*;

/// Answers after the number of milliseconds in the query (`?ms=300`).
pub async fn GET(req: Request) -> Response {
    let ms = req
        .query()
        .and_then(|q| q.strip_prefix("ms="))
        .and_then(|ms| ms.parse().ok())
        .unwrap_or(200);
    tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
    Response::text("done")
}
