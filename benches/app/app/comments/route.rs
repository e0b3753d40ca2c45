use arbor::prelude::*;
use serde::Deserialize;

use crate::{seeds, Comment, Store};

#[derive(Deserialize)]
pub struct NewComment {
    text: String,
}

pub async fn GET(State(store): State<Store>) -> Response {
    Response::json(&*store.lock())
}

pub async fn POST(State(store): State<Store>, Json(input): Json<NewComment>) -> Response {
    let mut comments = store.lock();
    if comments.len() >= 1000 {
        *comments = seeds();
    }
    let comment = Comment {
        id: comments.last().map_or(1, |c| c.id + 1),
        text: input.text,
    };
    comments.push(comment.clone());
    Response::json(&comment).with_status(StatusCode::CREATED)
}
