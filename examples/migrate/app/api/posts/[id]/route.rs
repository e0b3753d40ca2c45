//! `GET /api/posts/{id}`: one post, or 404.

use arbor::prelude::*;

use super::Params;
use crate::posts::POSTS;

pub async fn GET(_req: Request, ctx: RouteContext<Params>) -> Result<Response> {
    let id: u32 = ctx
        .params
        .id
        .parse()
        .map_err(|_| Error::bad_request("id must be a number"))?;
    let post = POSTS.iter().find(|p| p.id == id).ok_or_else(not_found)?;
    Ok(Response::json(post))
}
