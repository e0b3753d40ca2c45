use arbor::prelude::*;

use super::Params;
use crate::echo::describe;

pub async fn GET(mut req: Request, ctx: RouteContext<Params>) -> Result<Response> {
    Ok(Response::json(&describe("shop/[item] GET", &mut req, Some(&ctx.params)).await?))
}
