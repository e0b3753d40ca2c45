//! The benchmark workload on raw hyper: a `match` on method and path.

use std::convert::Infallible;

use bench_app::{seeds, Comment, Store};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use serde::Deserialize;

#[derive(Deserialize)]
struct NewComment {
    text: String,
}

fn reply(
    status: StatusCode,
    content_type: Option<&'static str>,
    body: Vec<u8>,
) -> Response<Full<Bytes>> {
    let mut builder = Response::builder().status(status);
    if let Some(content_type) = content_type {
        builder = builder.header("content-type", content_type);
    }
    builder
        .body(Full::new(Bytes::from(body)))
        .unwrap_or_default()
}

fn json<T: serde::Serialize>(status: StatusCode, value: &T) -> Response<Full<Bytes>> {
    reply(
        status,
        Some("application/json"),
        serde_json::to_vec(value).unwrap_or_default(),
    )
}

async fn handle(req: Request<Incoming>, store: Store) -> Result<Response<Full<Bytes>>, Infallible> {
    const TEXT: Option<&str> = Some("text/plain; charset=utf-8");
    let path = req.uri().path().to_owned();
    Ok(match (req.method(), path.as_str()) {
        (&Method::GET, "/hello") => reply(StatusCode::OK, TEXT, b"Hello world!".to_vec()),
        (_, "/hello") => {
            let mut response = reply(StatusCode::METHOD_NOT_ALLOWED, None, Vec::new());
            response.headers_mut().insert(
                "allow",
                "GET, HEAD, OPTIONS"
                    .parse()
                    .unwrap_or_else(|_| unreachable!()),
            );
            response
        }
        (&Method::GET, "/about/team") => {
            let mut response = reply(StatusCode::OK, TEXT, b"team".to_vec());
            response
                .headers_mut()
                .insert("x-mw", "1".parse().unwrap_or_else(|_| unreachable!()));
            response
        }
        (&Method::GET, "/comments") => json(StatusCode::OK, &*store.lock()),
        (&Method::POST, "/comments") => {
            let body = req
                .into_body()
                .collect()
                .await
                .map(|b| b.to_bytes())
                .unwrap_or_default();
            match serde_json::from_slice::<NewComment>(&body) {
                Ok(input) => {
                    let mut comments = store.lock();
                    if comments.len() >= 1000 {
                        *comments = seeds();
                    }
                    let comment = Comment {
                        id: comments.last().map_or(1, |c| c.id + 1),
                        text: input.text,
                    };
                    comments.push(comment.clone());
                    json(StatusCode::CREATED, &comment)
                }
                Err(_) => reply(StatusCode::BAD_REQUEST, None, Vec::new()),
            }
        }
        (&Method::GET, p) if p.starts_with("/comments/") => {
            let id = p["/comments/".len()..].parse::<u64>().ok();
            match id.and_then(|id| store.lock().iter().find(|c| c.id == id).cloned()) {
                Some(comment) => json(StatusCode::OK, &comment),
                None => reply(StatusCode::NOT_FOUND, None, Vec::new()),
            }
        }
        _ => reply(StatusCode::NOT_FOUND, None, Vec::new()),
    })
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port = std::env::var("PORT").unwrap_or_else(|_| "3000".to_owned());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    let store = Store::default();
    loop {
        let (stream, _) = listener.accept().await?;
        let _ = stream.set_nodelay(true);
        let store = store.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| handle(req, store.clone()));
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}
