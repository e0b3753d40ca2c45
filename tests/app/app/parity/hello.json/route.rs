//! `/parity/hello.json`: a route folder whose name has a dot, static with a revalidate time.

use arbor::cache::Revalidate;
use arbor::prelude::*;

pub const REVALIDATE: Revalidate = Revalidate::Seconds(1);

pub async fn GET(req: Request) -> Response {
    Response::json(&serde_json::json!({ "pathname": req.pathname() }))
}
