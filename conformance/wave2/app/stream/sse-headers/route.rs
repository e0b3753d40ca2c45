//! `/stream/sse-headers`: Server-Sent Events with the headers guides recommend.

use arbor::prelude::*;

use crate::stream::paced;

pub async fn GET() -> Response {
    let parts = (1..=3).map(|i| format!("data: message {i}\n\n")).collect();
    Response::stream(paced(parts))
        .with_header("content-type", "text/event-stream; charset=utf-8")
        .with_header("cache-control", "no-cache, no-transform")
        .with_header("x-accel-buffering", "no")
}
