use arbor::prelude::*;

use super::Params;

pub async fn GET(ctx: RouteContext<Params>) -> Result<Response> {
    let id: u32 = ctx.params.id.parse()?;
    Ok(Response::json(&serde_json::json!({ "id": id })))
}
