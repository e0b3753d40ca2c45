use arbor::prelude::*;

/// `GET /hello`
pub async fn GET(_req: Request, _ctx: RouteContext) -> Response {
    Response::text("Hello world!")
}
