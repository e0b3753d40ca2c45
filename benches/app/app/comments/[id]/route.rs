use arbor::prelude::*;

use super::Params;
use crate::Store;

pub async fn GET(State(store): State<Store>, ctx: RouteContext<Params>) -> Result<Response> {
    let id: u64 = ctx.params.id.parse().map_err(|_| Error::bad_request("id must be a number"))?;
    let comments = store.lock();
    let comment = comments.iter().find(|c| c.id == id).ok_or_else(not_found)?;
    Ok(Response::json(comment))
}
