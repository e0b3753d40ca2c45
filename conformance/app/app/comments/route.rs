use arbor::prelude::*;

use crate::store::{Comment, Store};

/// `GET /comments[?query=text]`: the list, optionally filtered.
pub async fn GET(State(store): State<Store>, req: Request) -> Response {
    let query = req.next_url().search_params().get("query").filter(|q| !q.is_empty());
    let comments = store.lock();
    let list: Vec<&Comment> = comments
        .all
        .iter()
        .filter(|c| query.is_none_or(|q| c.text.contains(q)))
        .collect();
    Response::json(&list)
}

/// `POST /comments {text}`: 201 with the created comment.
pub async fn POST(State(store): State<Store>, mut req: Request) -> Response {
    let Ok(body) = req.json::<serde_json::Value>().await else {
        return Response::json(&serde_json::json!({ "error": "invalid JSON body" }))
            .with_status(StatusCode::BAD_REQUEST);
    };
    let Some(text) = body.get("text").and_then(|t| t.as_str()).filter(|t| !t.is_empty()) else {
        return Response::json(&serde_json::json!({ "error": "text is required" }))
            .with_status(StatusCode::BAD_REQUEST);
    };
    let mut comments = store.lock();
    let comment = Comment {
        id: comments.next_id(),
        text: text.to_owned(),
    };
    comments.all.push(comment.clone());
    Response::json(&comment)
        .with_status(StatusCode::CREATED)
        .with_header("location", &format!("/comments/{}", comment.id))
}
