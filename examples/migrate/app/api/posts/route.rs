//! `GET /api/posts`: every post.

use arbor::prelude::*;

use crate::posts::POSTS;

pub async fn GET() -> Response {
    Response::json(&POSTS)
}
