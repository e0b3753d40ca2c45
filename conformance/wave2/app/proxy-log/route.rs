//! `/proxy-log`: every proxy run since the last read (`METHOD pathname?search`), then cleared.

use arbor::prelude::*;

pub async fn GET() -> Response {
    Response::json(&serde_json::json!({ "calls": crate::store::take_proxy_calls() }))
}
