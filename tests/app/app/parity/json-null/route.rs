//! `/parity/json-null?empty`: `Response.json(null)` and `Response.json('')`.

use arbor::prelude::*;

pub async fn GET(req: Request) -> Response {
    if req.next_url().search_params().get("empty").is_some() {
        Response::json("")
    } else {
        Response::json(&serde_json::Value::Null)
    }
}
