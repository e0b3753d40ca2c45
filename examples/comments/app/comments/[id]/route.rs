use arbor::prelude::*;

use super::Params;
use crate::app::_lib::input::{comment_text, NewComment};
use crate::db::{Comment, Db};

fn id(params: &Params) -> Result<i64> {
    params
        .id
        .parse()
        .map_err(|_| Error::bad_request("id must be a number"))
}

fn missing() -> Error {
    Error::not_found().with_message("Comment not found")
}

/// Reads a comment.
#[arbor::api(400, 404)]
pub async fn GET(State(db): State<Db>, ctx: RouteContext<Params>) -> Result<Json<Comment>> {
    let comment = db.find(id(&ctx.params)?).await?.ok_or_else(missing)?;
    Ok(Json(comment))
}

/// Changes a comment's text.
#[arbor::api(body = NewComment, 400, 404)]
pub async fn PATCH(
    State(db): State<Db>,
    mut req: Request,
    ctx: RouteContext<Params>,
) -> Result<Json<Comment>> {
    let id = id(&ctx.params)?;
    let text = comment_text(&mut req).await?;
    let comment = db.update(id, text).await?.ok_or_else(missing)?;
    Ok(Json(comment))
}

/// Deletes a comment, and answers with it.
#[arbor::api(400, 404)]
pub async fn DELETE(State(db): State<Db>, ctx: RouteContext<Params>) -> Result<Json<Comment>> {
    let comment = db.delete(id(&ctx.params)?).await?.ok_or_else(missing)?;
    Ok(Json(comment))
}
