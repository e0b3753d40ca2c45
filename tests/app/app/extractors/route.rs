use arbor::prelude::*;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Search {
    q: String,
}

#[derive(Deserialize)]
pub struct Input {
    text: String,
}

/// axum extractors work as handler arguments.
pub async fn GET(Query(search): Query<Search>) -> Response {
    Response::json(&serde_json::json!({ "q": search.q }))
}

/// The context first, the body extractor last.
pub async fn POST(_ctx: RouteContext, Json(input): Json<Input>) -> Response {
    Response::json(&serde_json::json!({ "text": input.text }))
}
