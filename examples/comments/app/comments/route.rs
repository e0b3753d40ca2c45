use arbor::prelude::*;
use serde::Deserialize;

use crate::app::_lib::input::comment_text;
use crate::db::Db;

/// The query string of `GET /comments`.
#[derive(Deserialize)]
pub struct Search {
    query: Option<String>,
}

/// `GET /comments[?query=text]`: every comment, or those containing `query`.
pub async fn GET(State(db): State<Db>, Query(search): Query<Search>) -> Result<Response> {
    Ok(Response::json(&db.list(search.query).await?))
}

/// `POST /comments {"text": "..."}`: 201 with the new comment and its `Location`.
pub async fn POST(State(db): State<Db>, mut req: Request) -> Result<Response> {
    let comment = db.insert(comment_text(&mut req).await?).await?;
    Ok(Response::json(&comment)
        .with_status(StatusCode::CREATED)
        .with_header("location", &format!("/comments/{}", comment.id)))
}
