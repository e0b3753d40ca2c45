//! `app/order/dyn/[x]/route.ts` of the reference app: what the handler saw.

use arbor::prelude::*;

use super::Params;
use crate::echo::echo_params;

pub async fn GET(req: Request, ctx: RouteContext<Params>) -> Response {
    echo_params("order/dyn/[x]", &req, serde_json::json!({ "x": ctx.params.x }))
}

pub async fn POST(req: Request, ctx: RouteContext<Params>) -> Response {
    echo_params("order/dyn/[x]", &req, serde_json::json!({ "x": ctx.params.x }))
}
