//! `/base/api/hello/`.

use arbor::prelude::*;

use crate::echo::echo;

pub async fn GET(req: Request) -> Response {
    echo("api/hello", &req, serde_json::Value::Null)
}

pub async fn POST(req: Request) -> Response {
    echo("api/hello", &req, serde_json::Value::Null)
}
