use arbor::prelude::*;

use super::Params;
use crate::app::_lib::input::comment_text;
use crate::db::Db;

fn id(params: &Params) -> Result<i64> {
    params
        .id
        .parse()
        .map_err(|_| Error::bad_request("id must be a number"))
}

fn missing() -> Error {
    Error::not_found().with_message("Comment not found")
}

/// `GET /comments/{id}`
pub async fn GET(State(db): State<Db>, ctx: RouteContext<Params>) -> Result<Response> {
    let comment = db.find(id(&ctx.params)?).await?.ok_or_else(missing)?;
    Ok(Response::json(&comment))
}

/// `PATCH /comments/{id} {"text": "..."}`
pub async fn PATCH(
    State(db): State<Db>,
    mut req: Request,
    ctx: RouteContext<Params>,
) -> Result<Response> {
    let id = id(&ctx.params)?;
    let text = comment_text(&mut req).await?;
    let comment = db.update(id, text).await?.ok_or_else(missing)?;
    Ok(Response::json(&comment))
}

/// `DELETE /comments/{id}`: answers with the deleted comment.
pub async fn DELETE(State(db): State<Db>, ctx: RouteContext<Params>) -> Result<Response> {
    let comment = db.delete(id(&ctx.params)?).await?.ok_or_else(missing)?;
    Ok(Response::json(&comment))
}
