//! `/stream/text`: a plain text stream, three chunks 250 ms apart.

use arbor::prelude::*;

use crate::stream::paced;

pub async fn GET() -> Response {
    let parts = ["first\n", "second\n", "third\n"].map(String::from).to_vec();
    Response::stream(paced(parts)).with_header("content-type", "text/plain; charset=utf-8")
}
