use arbor::prelude::*;

use super::Params;

pub const DYNAMIC_PARAMS: bool = false;

pub async fn generate_static_params() -> Vec<Params> {
    ["a", "b"].map(|id| Params { id: id.into() }).to_vec()
}

pub async fn GET(_req: Request, ctx: RouteContext<Params>) -> Response {
    Response::json(&serde_json::json!({ "id": ctx.params.id, "time": crate::echo::now_ms() }))
}
