use arbor::prelude::*;

use super::Params;
use crate::app::_lib::describe::describe;

pub async fn GET(mut req: Request, ctx: RouteContext<Params>) -> Result<Response> {
    describe("files/[[...path]] GET", &mut req, &ctx.params).await
}
