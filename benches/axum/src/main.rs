//! The benchmark workload hand-written on axum, as a baseline.

use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use bench_app::{seeds, Comment, Store};
use serde::Deserialize;

#[derive(Deserialize)]
struct NewComment {
    text: String,
}

async fn hello() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Hello world!",
    )
}

async fn team() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "team",
    )
}

async fn list(State(store): State<Store>) -> Json<Vec<Comment>> {
    Json(store.lock().clone())
}

async fn create(State(store): State<Store>, Json(input): Json<NewComment>) -> Response {
    let mut comments = store.lock();
    if comments.len() >= 1000 {
        *comments = seeds();
    }
    let comment = Comment {
        id: comments.last().map_or(1, |c| c.id + 1),
        text: input.text,
    };
    comments.push(comment.clone());
    (StatusCode::CREATED, Json(comment)).into_response()
}

async fn one(State(store): State<Store>, Path(id): Path<u64>) -> Response {
    match store.lock().iter().find(|c| c.id == id) {
        Some(comment) => Json(comment.clone()).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn mark(req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    response
        .headers_mut()
        .insert("x-mw", HeaderValue::from_static("1"));
    response
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port = std::env::var("PORT").unwrap_or_else(|_| "3000".to_owned());
    let about = Router::new()
        .route("/about/team", get(team))
        .layer(middleware::from_fn(mark));
    let app = Router::new()
        .route("/hello", get(hello))
        .route("/comments", get(list).post(create))
        .route("/comments/{id}", get(one))
        .merge(about)
        .with_state(Store::default());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    axum::serve(listener, app).await
}
