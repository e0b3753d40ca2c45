//! `app/order/fallback-target/[...rest]/route.ts` of the reference app: what the handler saw.

use arbor::prelude::*;

use super::Params;
use crate::echo::echo_params;

pub async fn GET(req: Request, ctx: RouteContext<Params>) -> Response {
    echo_params("order/fallback-target/[...rest]", &req, serde_json::json!({ "rest": ctx.params.rest }))
}

pub async fn POST(req: Request, ctx: RouteContext<Params>) -> Response {
    echo_params("order/fallback-target/[...rest]", &req, serde_json::json!({ "rest": ctx.params.rest }))
}
