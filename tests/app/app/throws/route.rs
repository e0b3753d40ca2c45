use arbor::prelude::*;

#[derive(Debug)]
struct Boom;

impl std::fmt::Display for Boom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("boom")
    }
}

impl std::error::Error for Boom {}

/// Any error through `?` is a 500 with an empty body.
pub async fn GET() -> Result<Response> {
    Err(Boom)?
}

/// A client error carries its JSON message.
pub async fn POST() -> Result<Response> {
    Err(Error::conflict("already there"))
}
