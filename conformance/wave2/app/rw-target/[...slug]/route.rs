//! `app/rw-target/[...slug]/route.ts` of the reference app: what the handler saw.

use arbor::prelude::*;

use super::Params;
use crate::echo::echo_params;

pub async fn GET(req: Request, ctx: RouteContext<Params>) -> Response {
    echo_params("rw-target/[...slug]", &req, serde_json::json!({ "slug": ctx.params.slug }))
}

pub async fn POST(req: Request, ctx: RouteContext<Params>) -> Response {
    echo_params("rw-target/[...slug]", &req, serde_json::json!({ "slug": ctx.params.slug }))
}
