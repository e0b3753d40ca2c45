//! `POST /parity/pipe`: the request body streamed back as the response, chunk by chunk.

use arbor::prelude::*;

pub async fn POST(mut req: Request) -> Response {
    Response::stream(req.body_stream()).with_header("content-type", "text/plain")
}
