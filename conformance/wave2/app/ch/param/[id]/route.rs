//! `app/ch/param/[id]/route.ts` of the reference app: what the handler saw.

use arbor::prelude::*;

use super::Params;
use crate::echo::echo_params;

pub async fn GET(req: Request, ctx: RouteContext<Params>) -> Response {
    echo_params("ch/param/[id]", &req, serde_json::json!({ "id": ctx.params.id }))
}

pub async fn POST(req: Request, ctx: RouteContext<Params>) -> Response {
    echo_params("ch/param/[id]", &req, serde_json::json!({ "id": ctx.params.id }))
}
