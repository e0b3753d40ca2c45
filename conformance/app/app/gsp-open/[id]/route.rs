use arbor::prelude::*;

use super::Params;

pub async fn generate_static_params() -> Vec<Params> {
    vec![Params { id: "a".into() }]
}

pub async fn GET(_req: Request, ctx: RouteContext<Params>) -> Response {
    Response::json(&serde_json::json!({ "id": ctx.params.id, "time": crate::echo::now_ms() }))
}
