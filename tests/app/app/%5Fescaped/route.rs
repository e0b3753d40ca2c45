use arbor::prelude::*;

use crate::app::_lib::describe::describe;

pub async fn GET(mut req: Request, ctx: RouteContext) -> Result<Response> {
    describe("%5Fescaped GET", &mut req, ctx.params).await
}
