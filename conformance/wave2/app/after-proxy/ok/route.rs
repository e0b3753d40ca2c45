//! `/after-proxy/ok`: the route behind a proxy that registered `after()` work.

use arbor::prelude::*;
use serde_json::json;

pub async fn GET() -> Response {
    crate::store::after_event(json!({ "event": "route-handler", "path": "/after-proxy/ok" }));
    Response::json(&json!({ "route": "after-proxy/ok" }))
}
