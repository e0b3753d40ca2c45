//! `/instr/log`: what the instrumentation recorded (`register()` runs, reports), reports
//! cleared on read.

use arbor::prelude::*;

use crate::store::{registrations, take_request_errors};

pub async fn GET() -> Response {
    Response::json(&serde_json::json!({
        "registered": registrations(),
        // Arbor has one runtime, the server's: the one Next.js calls `nodejs`.
        "registerRuntime": "nodejs",
        "errors": take_request_errors(),
    }))
}
