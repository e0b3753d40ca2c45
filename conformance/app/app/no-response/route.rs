use arbor::prelude::*;

/// Next.js answers 500 when a handler returns something that is not a `Response`. In Rust that
/// handler does not compile; the nearest thing that does is a handler failing to produce one.
pub async fn GET() -> Result<Response> {
    Err(Error::internal_message(
        "no response is returned from the route handler",
    ))
}
