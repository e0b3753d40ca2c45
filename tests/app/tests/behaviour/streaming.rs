//! Streamed answers: Server-Sent Events read as they are produced, and a producer stopped by
//! its client going away.

use std::time::Duration;

use arbor_test_app::start;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Reads from `stream` until `needle` has arrived. The time limit only keeps a broken server
/// from hanging the test; nothing is measured.
async fn read_until(stream: &mut TcpStream, seen: &mut String, needle: &str) {
    let mut buf = [0u8; 4096];
    tokio::time::timeout(Duration::from_secs(20), async {
        while !seen.contains(needle) {
            let n = stream.read(&mut buf).await.expect("the stream reads");
            assert!(
                n > 0,
                "the server closed the stream before {needle:?}: {seen}"
            );
            seen.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    })
    .await
    .unwrap_or_else(|_| panic!("{needle:?} never arrived: {seen}"));
}

#[tokio::test]
async fn each_event_arrives_before_the_next_is_produced_and_a_disconnect_stops_the_producer() {
    let server = start().await;
    let mut stream = TcpStream::connect(server.addr).await.expect("connects");
    stream
        .write_all(b"GET /events HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n")
        .await
        .expect("writes");
    let mut seen = String::new();
    read_until(&mut stream, &mut seen, "data: tick 1\n\n").await;
    assert!(seen.contains("content-type: text/event-stream"), "{seen}");
    assert!(
        !seen.contains("content-encoding"),
        "never compressed: {seen}"
    );
    for n in 1..=3 {
        read_until(
            &mut stream,
            &mut seen,
            &format!("id: {n}\ndata: tick {n}\n\n"),
        )
        .await;
        // The client has event n while the producer has made no more: nothing waits in a
        // buffer for a later flush.
        let state = server.get("/events/state").await.json();
        assert_eq!(state["produced"], n, "{seen}");
        assert_eq!(state["stopped"], false);
        server.send("POST", "/events/next", &[], "").await;
    }
    drop(stream);
    let mut stopped = false;
    for _ in 0..200 {
        if server.get("/events/state").await.json()["stopped"] == true {
            stopped = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(stopped, "the producer saw its client go away");
}

/// Asks `/after-work/state` until `done` is `want` (a bounded wait for background work).
async fn after_work_done(server: &arbor_test_support::TestServer, want: u64) {
    let mut done = serde_json::Value::Null;
    for _ in 0..200 {
        done = server.get("/after-work/state").await.json()["done"].clone();
        if done == want {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("after() work done: {done}, expected {want}");
}

#[tokio::test]
async fn after_work_runs_once_the_answer_is_sent_also_for_an_error() {
    let server = start().await;
    let answer = server.get("/after-work").await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.text(), "answered");
    after_work_done(&server, 1).await;
    let failed = server.get("/after-work?fail=1").await;
    assert_eq!(failed.status, 500);
    after_work_done(&server, 2).await;
}

/// Asks `/abort/state` until `field` is true (a bounded wait for the watcher).
async fn abort_state(server: &arbor_test_support::TestServer, field: &str) -> bool {
    for _ in 0..200 {
        if server.get("/abort/state").await.json()[field] == true {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    false
}

#[tokio::test]
async fn the_abort_signal_fires_when_the_client_goes_away() {
    let server = start().await;
    // While the handler runs.
    let mut stream = TcpStream::connect(server.addr).await.expect("connects");
    stream
        .write_all(b"GET /abort/wait HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("writes");
    assert!(abort_state(&server, "startedWait").await, "the handler ran");
    assert_eq!(
        server.get("/abort/state").await.json()["abortedWait"],
        false
    );
    drop(stream);
    assert!(
        abort_state(&server, "abortedWait").await,
        "the signal fired"
    );

    // While its answer streams.
    let mut stream = TcpStream::connect(server.addr).await.expect("connects");
    stream
        .write_all(b"GET /abort/stream HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("writes");
    let mut seen = String::new();
    read_until(&mut stream, &mut seen, "tick 2\n").await;
    assert_eq!(
        server.get("/abort/state").await.json()["abortedStream"],
        false
    );
    drop(stream);
    assert!(
        abort_state(&server, "abortedStream").await,
        "the signal fired mid-stream"
    );
}
