//! `/broken`: GET fails, POST panics.

use arbor::prelude::*;

pub async fn GET() -> Result<Response> {
    Err(Error::internal_message("the handler failed"))
}

pub async fn POST() -> Response {
    panic!("the handler panicked")
}
