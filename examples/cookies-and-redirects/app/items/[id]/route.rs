use arbor::prelude::*;

use super::Params;

const ITEMS: [(&str, &str); 2] = [("1", "a kettle"), ("2", "a teapot")];

fn find(id: &str) -> Result<&'static str> {
    ITEMS
        .iter()
        .find(|(key, _)| *key == id)
        .map(|(_, item)| *item)
        .ok_or_else(not_found)
}

/// `GET /items/{id}`: 404 for an unknown id, from inside `find`. `/items/old` moved for good.
pub async fn GET(ctx: RouteContext<Params>) -> Result<Response> {
    if ctx.params.id == "old" {
        return Err(permanent_redirect("/items/1"));
    }
    Ok(Response::text(find(&ctx.params.id)?))
}
