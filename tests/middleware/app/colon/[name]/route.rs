//! `/colon/{name}`: a segment that may hold a colon.

use arbor::prelude::*;

use super::Params;

pub async fn GET(req: Request, ctx: RouteContext<Params>) -> Response {
    Response::json(&serde_json::json!({ "name": ctx.params.name, "path": req.pathname() }))
}
