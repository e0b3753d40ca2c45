use arbor::prelude::*;

use super::Params;

/// Only the products `generate_static_params` lists exist; others are 404.
pub const DYNAMIC_PARAMS: bool = false;

pub async fn generate_static_params() -> Vec<Params> {
    (1..=3).map(|id| Params { id: id.to_string().into() }).collect()
}

pub async fn GET(ctx: RouteContext<Params>) -> Result<Response> {
    let id: u32 = ctx.params.id.parse()?; // not a number: 400 naming `id`
    let price = crate::catalog::price(id).await;
    Ok(Response::json(&serde_json::json!({ "id": id, "price": price })))
}
