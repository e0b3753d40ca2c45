//! The server: HTTP/2, compression, graceful shutdown.

use std::io::Read;
use std::time::Duration;

use arbor_test_app::start;
use arbor_test_support::TestServer;

#[tokio::test]
async fn speaks_http2() {
    let server = start().await;
    let reply = server.send_h2("GET", "/only-get").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("x-handler"), "GET");
    let reply = server.send_h2("OPTIONS", "/only-get").await;
    assert_eq!(reply.status, 204);
    assert_eq!(reply.header("allow"), "GET, HEAD, OPTIONS");
}

#[tokio::test]
async fn gzip_when_the_client_asks() {
    let server = start().await;
    let plain = server.get("/files/a/b/c").await;
    let reply = server
        .send("GET", "/files/a/b/c", &[("accept-encoding", "gzip")], "")
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-encoding"), "gzip");
    assert_eq!(reply.header("content-type"), "application/json");
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(&reply.body[..])
        .read_to_end(&mut decoded)
        .expect("valid gzip");
    assert_eq!(decoded, plain.body);
}

#[tokio::test]
async fn brotli_when_the_client_asks() {
    let server = start().await;
    let plain = server.get("/files/a/b/c").await;
    let reply = server
        .send("GET", "/files/a/b/c", &[("accept-encoding", "br")], "")
        .await;
    assert_eq!(reply.header("content-encoding"), "br");
    let mut decoded = Vec::new();
    brotli::Decompressor::new(&reply.body[..], 4096)
        .read_to_end(&mut decoded)
        .expect("valid brotli");
    assert_eq!(decoded, plain.body);
}

#[tokio::test]
async fn no_compression_unless_asked() {
    let server = start().await;
    let reply = server.get("/files/a/b/c").await;
    assert!(!reply.headers.contains_key("content-encoding"));
}

#[tokio::test]
async fn shutdown_drains_in_flight_requests() {
    let server = start().await;
    let url = server.addr;
    let in_flight = tokio::spawn({
        let probe = TestServer::probe(url);
        async move { probe.get("/slow?ms=400").await }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    server.stop().await.expect("clean shutdown");
    let reply = in_flight.await.expect("request task");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.text(), "done");
    // The listener is closed.
    assert!(tokio::net::TcpStream::connect(url).await.is_err());
}

#[tokio::test]
async fn shutdown_gives_up_after_the_timeout() {
    let server = TestServer::serve_with(arbor_test_app::app(), |s| {
        s.shutdown_timeout(Duration::from_millis(100))
    })
    .await;
    let probe = TestServer::probe(server.addr);
    let in_flight = tokio::spawn(async move { probe.try_get("/slow?ms=5000").await });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = std::time::Instant::now();
    server.stop().await.expect("shutdown returns");
    assert!(started.elapsed() < Duration::from_secs(3));
    drop(in_flight);
}
