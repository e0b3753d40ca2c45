//! `/stream/sse`: three Server-Sent Events, 250 ms apart.

use arbor::prelude::*;

use crate::stream::paced;

pub async fn GET() -> Response {
    let parts = (1..=3)
        .map(|i| format!("id: {i}\nevent: tick\ndata: {{\"n\":{i}}}\n\n"))
        .collect();
    Response::stream(paced(parts)).with_header("content-type", "text/event-stream")
}
