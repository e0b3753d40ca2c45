//! `/stream/no-content-type`: a stream with no content type at all.

use arbor::prelude::*;

pub async fn GET() -> Response {
    let chunks = ["chunk-a;", "chunk-b"].map(|c| Ok::<_, std::io::Error>(c.as_bytes()));
    Response::stream(futures_util::stream::iter(chunks))
}
