//! `GET /hello/{name}`.

use arbor::prelude::*;

use super::Params;

pub async fn GET(ctx: RouteContext<Params>) -> Response {
    Response::text(format!("hello, {}", ctx.params.name))
}
