//! `/cors-config`: CORS headers from the app config.

use arbor::prelude::*;

pub async fn GET() -> Response {
    Response::json(&serde_json::json!({ "route": "cors-config" }))
}
