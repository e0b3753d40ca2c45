//! `GET /boom`: fails, and `on_request_error()` hears of it.

use arbor::prelude::*;

pub async fn GET() -> Result<Response> {
    Err(Error::internal_message("the database is down"))
}
