//! `/base/items/{id}/`.

use arbor::prelude::*;

use super::Params;
use crate::echo::echo;

pub async fn GET(req: Request, ctx: RouteContext<Params>) -> Response {
    echo("items/[id]", &req, serde_json::json!({ "id": ctx.params.id }))
}
