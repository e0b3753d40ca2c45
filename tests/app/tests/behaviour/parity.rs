//! Behaviours Next.js's own end-to-end tests assert for route handlers, one test each
//! (`shared/reference/nextjs-tests-gap.md`, the rows named in each test).

use std::time::Duration;

use arbor_test_app::start;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Sends `head` then each of `chunks` as its own chunk of a chunked body, and reads the
/// whole answer (the server closes the connection after it: `Connection: close`).
async fn chunked(addr: std::net::SocketAddr, head: &str, chunks: &[&[u8]]) -> String {
    let mut stream = TcpStream::connect(addr).await.expect("connects");
    stream.write_all(head.as_bytes()).await.expect("writes");
    for chunk in chunks {
        let framed = [format!("{:x}\r\n", chunk.len()).as_bytes(), chunk, b"\r\n"].concat();
        stream.write_all(&framed).await.expect("writes");
        stream.flush().await.expect("flushes");
    }
    stream.write_all(b"0\r\n\r\n").await.expect("writes");
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut answer))
        .await
        .expect("answered in time")
        .expect("reads");
    String::from_utf8_lossy(&answer).into_owned()
}

/// A33 and A28: an exported `QUERY` handler gets the method, content type and body; OPTIONS
/// lists it; a route that does not export it answers 405 (a method Arbor knows).
#[tokio::test]
async fn the_query_method() {
    let server = start().await;
    let reply = server
        .send(
            "QUERY",
            "/parity/query",
            &[("content-type", "application/json")],
            r#"{"q":"x"}"#,
        )
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.json(),
        json!({ "method": "QUERY", "contentType": "application/json", "body": { "q": "x" } })
    );
    let options = server.send("OPTIONS", "/parity/query", &[], "").await;
    assert_eq!(options.status, 204);
    assert_eq!(options.header("allow"), "OPTIONS, QUERY");
    let elsewhere = server.send("QUERY", "/parity/json-null", &[], "").await;
    assert_eq!(elsewhere.status, 405);
    assert_eq!(elsewhere.header("allow"), "GET, HEAD, OPTIONS");
}

/// A15: an exported OPTIONS handler reads a JSON body.
#[tokio::test]
async fn an_options_handler_reads_a_json_body() {
    let server = start().await;
    let reply = server
        .send(
            "OPTIONS",
            "/parity/options-body",
            &[("content-type", "application/json")],
            r#"{"foo":"bar"}"#,
        )
        .await;
    assert_eq!(reply.text(), "options bar");
}

/// A23: `cookies().set('a')` then `has('a')` in the same handler; a deleted cookie is gone.
#[tokio::test]
async fn cookies_set_in_the_handler_are_what_it_reads() {
    let server = start().await;
    let reply = server
        .send("GET", "/parity/cookie-set-has", &[("cookie", "old=1")], "")
        .await;
    assert_eq!(
        reply.json(),
        json!({ "before": false, "hasCookie": true, "value": "a", "oldAfterDelete": false })
    );
}

/// A16: a JSON body arriving one byte per chunk is read whole.
#[tokio::test]
async fn a_json_body_one_byte_per_chunk() {
    let server = start().await;
    let body = br#"{"foo":"bar"}"#;
    let bytes: Vec<&[u8]> = body.chunks(1).collect();
    let answer = chunked(
        server.addr,
        "OPTIONS /parity/options-body HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        &bytes,
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.ends_with("options bar"), "{answer}");
}

/// A13: a chunked request body streamed back as the response, byte for byte.
#[tokio::test]
async fn a_streamed_request_is_piped_into_a_streamed_response() {
    let server = start().await;
    let lines: Vec<String> = (0..10).map(|i| format!("line {i}\n")).collect();
    let chunks: Vec<&[u8]> = lines.iter().map(|l| l.as_bytes()).collect();
    let answer = chunked(
        server.addr,
        "POST /parity/pipe HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        &chunks,
    )
    .await;
    let (head, body) = answer.split_once("\r\n\r\n").expect("a head and a body");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("transfer-encoding: chunked"),
        "{head}"
    );
    // Undo the response's own chunk framing.
    let mut text = String::new();
    let mut rest = body;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).expect("a chunk size");
        if size == 0 {
            break;
        }
        text.push_str(&after[..size]);
        rest = &after[size + 2..];
    }
    assert_eq!(text, lines.concat());
}

/// F5: a static handler's two cookies are kept in its cached entry.
#[tokio::test]
async fn a_static_handlers_cookies_stay_in_its_cached_entry() {
    let server = start().await;
    for _ in 0..2 {
        let reply = server.get("/parity/static-cookies").await;
        assert_eq!(reply.header("x-nextjs-cache"), "HIT");
        assert_eq!(
            reply.header_all("set-cookie"),
            ["theme=dark; Path=/", "lang=en; Path=/"]
        );
    }
}

/// V2: `json(null)` and `json('')` answer JSON `null` and `""`.
#[tokio::test]
async fn json_of_null_and_of_an_empty_string() {
    let server = start().await;
    let null = server.get("/parity/json-null").await;
    assert_eq!(null.header("content-type"), "application/json");
    assert_eq!(null.text(), "null");
    assert_eq!(server.get("/parity/json-null?empty").await.text(), r#""""#);
}

/// H2: concurrent calls of one `#[cache]` function with the same arguments share one
/// computation and its value.
#[tokio::test]
async fn concurrent_cache_misses_share_one_computation() {
    let server = start().await;
    let first = server.get("/parity/shared-cache").await.json();
    assert_eq!(first, json!({ "a": 42, "b": 42, "computed": 1 }));
    // Then both come from the cache.
    let again = server.get("/parity/shared-cache").await.json();
    assert_eq!(again, json!({ "a": 42, "b": 42, "computed": 1 }));
}

/// A1: a route folder whose name has a dot (`hello.json`) is served at that name.
#[tokio::test]
async fn a_route_folder_with_a_dot() {
    let server = start().await;
    let reply = server.get("/parity/hello.json").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json(), json!({ "pathname": "/parity/hello.json" }));
}

/// A5: a revalidate time on a dynamic segment regenerates listed and unlisted params. It
/// waits for the revalidate second to pass; what it asserts is what is served then.
#[tokio::test]
async fn revalidation_of_listed_and_unlisted_params() {
    let server = start().await;
    for id in ["listed", "unlisted"] {
        let path = format!("/parity/isr/{id}");
        let first = server.get(&path).await.json()["render"].clone();
        assert_eq!(
            server.get(&path).await.json()["render"],
            first,
            "{id}: cached"
        );
        tokio::time::sleep(Duration::from_millis(1100)).await;
        let mut regenerated = false;
        for _ in 0..100 {
            if server.get(&path).await.json()["render"] != first {
                regenerated = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(regenerated, "{id}: regenerated once stale");
    }
}
