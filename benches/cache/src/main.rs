//! `bench-cache arbor|hyper`: serves the benchmark app, or a raw hyper server answering the
//! same bytes as a static response, on `PORT`. `benches/cache/run.sh` drives it.

use std::convert::Infallible;

use bytes::Bytes;
use http_body_util::Full;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    if std::env::args().nth(1).as_deref() == Some("hyper") {
        return raw_hyper().await;
    }
    arbor::Server::from_env()
        .await?
        .serve(bench_cache::app::router())
        .await
}

async fn raw_hyper() -> std::io::Result<()> {
    let port: u16 = std::env::var("PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(3000);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let body = Bytes::from(bench_cache::comments().to_string());
    loop {
        let (stream, _) = listener.accept().await?;
        let body = body.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |_req| {
                let body = body.clone();
                async move {
                    Ok::<_, Infallible>(
                        hyper::Response::builder()
                            .header("content-type", "application/json")
                            .body(Full::new(body))
                            .unwrap_or_default(),
                    )
                }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}
