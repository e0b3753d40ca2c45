//! What handlers receive: URL, forwarded headers, bodies and their limit, state, extractors.

use arbor_test_app::{start, start_with};
use serde_json::json;

#[tokio::test]
async fn url_comes_from_the_server_not_the_host_header() {
    let server = start().await;
    let reply = server
        .send("GET", "/echo/1", &[("host", "evil.example:1234")], "")
        .await;
    assert_eq!(
        reply.json()["url"],
        format!("http://localhost:{}/echo/1", server.addr.port())
    );
}

#[tokio::test]
async fn forwarded_headers_are_added() {
    let server = start().await;
    let port = server.addr.port().to_string();
    let headers = server.get("/headers").await.json();
    assert_eq!(headers["x-forwarded-for"], "127.0.0.1");
    assert_eq!(headers["x-forwarded-host"], format!("127.0.0.1:{port}"));
    assert_eq!(headers["x-forwarded-port"], port);
    assert_eq!(headers["x-forwarded-proto"], "http");
    // A client's own values are replaced: any client could forge them.
    let forged = [
        ("x-forwarded-for", "10.1.2.3"),
        ("x-forwarded-host", "bank.example"),
        ("x-forwarded-port", "443"),
        ("x-forwarded-proto", "https"),
    ];
    let headers = server.send("GET", "/headers", &forged, "").await.json();
    assert_eq!(headers["x-forwarded-for"], "127.0.0.1");
    assert_eq!(headers["x-forwarded-host"], format!("127.0.0.1:{port}"));
    assert_eq!(headers["x-forwarded-port"], port);
    assert_eq!(headers["x-forwarded-proto"], "http");
}

#[tokio::test]
async fn behind_a_proxy_its_forwarded_headers_are_kept() {
    let server =
        arbor_test_support::TestServer::serve_with(arbor_test_app::app(), |s| s.behind_proxy(true))
            .await;
    let port = server.addr.port().to_string();
    let headers = server
        .send(
            "GET",
            "/headers",
            &[
                ("x-forwarded-for", "10.1.2.3"),
                ("x-forwarded-proto", "https"),
            ],
            "",
        )
        .await
        .json();
    assert_eq!(headers["x-forwarded-for"], "10.1.2.3");
    assert_eq!(headers["x-forwarded-proto"], "https");
    // What the proxy did not set is still added.
    assert_eq!(headers["x-forwarded-port"], port);
}

#[tokio::test]
async fn body_over_the_limit_is_413() {
    let server = start_with(|s| s.body_limit(1024)).await;
    let ok = server.send("POST", "/upload", &[], &"a".repeat(1024)).await;
    assert_eq!(ok.status, 200);
    assert_eq!(ok.json(), json!({ "bytes": 1024 }));
    let too_big = server.send("POST", "/upload", &[], &"a".repeat(1025)).await;
    assert_eq!(too_big.status, 413);
    assert_eq!(too_big.header("content-type"), "application/json");
    assert!(too_big.json()["error"]
        .as_str()
        .unwrap_or("")
        .contains("1024"));
}

#[tokio::test]
async fn malformed_json_is_400_with_the_position() {
    let server = start().await;
    let reply = server.send("PUT", "/upload", &[], "{\"a\": 1,").await;
    assert_eq!(reply.status, 400);
    let message = reply.json()["error"].as_str().unwrap_or("").to_owned();
    assert!(message.starts_with("invalid JSON body"), "{message}");
    assert!(message.contains("line 1 column"), "{message}");
    let reply = server.send("PUT", "/upload", &[], "{\"a\": [1, 2]}").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json(), json!({ "a": [1, 2] }));
}

#[tokio::test]
async fn state_reaches_handlers() {
    let server = start().await;
    let first = server.send("POST", "/counter", &[], "").await.json();
    let second = server.send("POST", "/counter", &[], "").await.json();
    assert_eq!(first, json!({ "hits": 1, "name": "test" }));
    assert_eq!(second, json!({ "hits": 2, "name": "test" }));
}

#[tokio::test]
async fn axum_extractors_work() {
    let server = start().await;
    let reply = server.get("/extractors?q=hello").await;
    assert_eq!(reply.json(), json!({ "q": "hello" }));
    let reply = server
        .send(
            "POST",
            "/extractors",
            &[("content-type", "application/json")],
            r#"{"text":"hi"}"#,
        )
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json(), json!({ "text": "hi" }));
    // Extractor rejections are client errors.
    let reply = server.get("/extractors").await;
    assert_eq!(reply.status, 400);
    let reply = server
        .send(
            "POST",
            "/extractors",
            &[("content-type", "application/json")],
            "{",
        )
        .await;
    assert_eq!(reply.status, 400);
}

#[tokio::test]
async fn chunked_body_over_the_limit_is_413_too() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server = start_with(|s| s.body_limit(1024)).await;
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let chunk = "a".repeat(600);
    let request = format!(
        "POST /upload HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n\
         258\r\n{chunk}\r\n258\r\n{chunk}\r\n0\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    assert!(response.starts_with("HTTP/1.1 413"), "{response}");
}
