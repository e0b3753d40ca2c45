use arbor::prelude::*;

use super::Params;
use crate::echo::describe;

async fn echo(name: &str, mut req: Request, ctx: RouteContext<Params>) -> Result<Response> {
    let body = describe(name, &mut req, Some(&ctx.params)).await?;
    Ok(Response::json(&body).with_header("x-handler", name))
}

pub async fn GET(req: Request, ctx: RouteContext<Params>) -> Result<Response> {
    echo("GET", req, ctx).await
}

pub async fn HEAD(_req: Request, ctx: RouteContext<Params>) -> Response {
    Response::empty()
        .with_header("x-handler", "HEAD")
        .with_header("x-id", &ctx.params.id)
}

pub async fn OPTIONS(_req: Request, ctx: RouteContext<Params>) -> Response {
    Response::empty()
        .with_status(StatusCode::NO_CONTENT)
        .with_header("x-handler", "OPTIONS")
        .with_header("x-id", &ctx.params.id)
        .with_header("allow", "GET, POST (custom)")
}

pub async fn POST(req: Request, ctx: RouteContext<Params>) -> Result<Response> {
    Ok(echo("POST", req, ctx).await?.with_status(StatusCode::CREATED))
}

pub async fn PUT(req: Request, ctx: RouteContext<Params>) -> Result<Response> {
    echo("PUT", req, ctx).await
}

pub async fn PATCH(req: Request, ctx: RouteContext<Params>) -> Result<Response> {
    echo("PATCH", req, ctx).await
}

pub async fn DELETE(req: Request, ctx: RouteContext<Params>) -> Result<Response> {
    echo("DELETE", req, ctx).await
}
