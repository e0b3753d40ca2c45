use arbor::prelude::*;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::app::_lib::input::{comment_text, NewComment};
use crate::db::{Comment, Db};

/// The query string of `GET /comments`.
#[derive(Deserialize, JsonSchema)]
pub struct Search {
    /// Only the comments whose text contains it.
    query: Option<String>,
}

/// Lists the comments.
///
/// Every comment, oldest first; with `query`, those whose text contains it.
pub async fn GET(State(db): State<Db>, Query(search): Query<Search>) -> Result<Json<Vec<Comment>>> {
    Ok(Json(db.list(search.query).await?))
}

/// Creates a comment.
///
/// Answers 201 with the new comment and its `Location`; a body without a non-empty `text`
/// is a 400.
#[arbor::api(body = NewComment, 400)]
pub async fn POST(State(db): State<Db>, mut req: Request) -> Result<Created<Comment>> {
    let comment = db.insert(comment_text(&mut req).await?).await?;
    let location = format!("/comments/{}", comment.id);
    Ok(Created::new(comment).location(location))
}
