//! `/hello/{name}`: a dynamic route; `Params` comes from the folder name `[name]`.

use arbor::prelude::*;

use super::Params;

pub async fn GET(_req: Request, ctx: RouteContext<Params>) -> Response {
    Response::json(&serde_json::json!({ "hello": ctx.params.name.as_str() }))
}
