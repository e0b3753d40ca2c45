use arbor::prelude::*;

use super::Params;

/// Two parameters, one whose folder name is not a Rust identifier (`[b-c]` is the field `b_c`).
pub async fn GET(ctx: RouteContext<Params>) -> Response {
    let Params { a, b_c } = &ctx.params;
    Response::json(&serde_json::json!({ "a": a, "b_c": b_c, "params": ctx.params }))
}
