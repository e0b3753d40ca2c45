//! `/instr/throw`: both methods fail.

use arbor::prelude::*;

pub async fn GET() -> Result<Response> {
    Err(Error::internal_message("instr: GET handler threw"))
}

pub async fn POST() -> Result<Response> {
    Err(Error::internal_message("instr: POST handler threw"))
}
