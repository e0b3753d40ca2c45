use arbor::prelude::*;

use crate::echo::describe;

/// Static segment: wins over `shop/[item]` and `shop/[...all]`.
pub async fn GET(mut req: Request) -> Result<Response> {
    Ok(Response::json(&describe("shop/new GET", &mut req, None::<()>).await?))
}
