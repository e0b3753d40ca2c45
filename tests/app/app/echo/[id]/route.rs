use arbor::prelude::*;

use super::Params;
use crate::app::_lib::describe::describe;

pub async fn GET(mut req: Request, ctx: RouteContext<Params>) -> Result<Response> {
    describe("GET", &mut req, &ctx.params).await
}

/// An explicit HEAD is used as is.
pub async fn HEAD(_req: Request, _ctx: RouteContext<Params>) -> Response {
    Response::empty().with_header("x-handler", "HEAD")
}

/// An explicit OPTIONS is used as is.
pub async fn OPTIONS() -> Response {
    Response::empty()
        .with_status(StatusCode::OK)
        .with_header("allow", "custom")
}

pub async fn POST(mut req: Request, ctx: RouteContext<Params>) -> Result<Response> {
    Ok(describe("POST", &mut req, &ctx.params)
        .await?
        .with_status(StatusCode::CREATED))
}

pub async fn PATCH(mut req: Request, ctx: RouteContext<Params>) -> Result<Response> {
    describe("PATCH", &mut req, &ctx.params).await
}

pub async fn DELETE(mut req: Request, ctx: RouteContext<Params>) -> Result<Response> {
    describe("DELETE", &mut req, &ctx.params).await
}
