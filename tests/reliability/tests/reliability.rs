//! Patient and hostile clients over real sockets. Every wait is bounded: a test that would
//! hang fails after its bound instead.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use arbor_test_support::TestServer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The longest any one wait in these tests may take.
const BOUND: Duration = Duration::from_secs(20);

async fn serve(configure: impl FnOnce(arbor::Server) -> arbor::Server) -> TestServer {
    TestServer::serve_with(arbor_test_app::app(), configure).await
}

/// Reads until the server closes the connection; what it sent, and when it closed.
async fn read_until_closed(stream: &mut TcpStream, started: Instant) -> (String, Duration) {
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(BOUND, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => received.extend_from_slice(&buf[..n]),
            Err(_) => panic!("the server kept the connection open for {BOUND:?}"),
        }
    }
    (
        String::from_utf8_lossy(&received).into_owned(),
        started.elapsed(),
    )
}

/// Sends `request` on a fresh connection and returns the whole exchange's answer.
async fn exchange(addr: SocketAddr, request: &str) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let (answer, _) = read_until_closed(&mut stream, Instant::now()).await;
    answer
}

#[tokio::test]
async fn a_half_sent_request_head_is_closed_by_the_head_timeout() {
    let server = serve(|s| {
        s.request_head_timeout(Duration::from_secs(1))
            .keep_alive_timeout(Duration::from_secs(10))
    })
    .await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    let started = Instant::now();
    // Slowloris: a byte at a time, never finishing the head.
    for byte in b"GET /hello HTTP/1.1\r\nHost: x\r\nX-A: " {
        if stream.write_all(&[*byte]).await.is_err() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(40)).await;
        if started.elapsed() > Duration::from_secs(3) {
            break;
        }
    }
    let (answer, after) = read_until_closed(&mut stream, started).await;
    assert_eq!(answer, "", "nothing is answered to half a head");
    assert!(
        after >= Duration::from_millis(900),
        "closed after {after:?}"
    );
    eprintln!("slowloris connection closed after {after:?} (head timeout 1 s)");
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed() {
    let server = serve(|s| s.keep_alive_timeout(Duration::from_secs(1))).await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream
        .write_all(b"GET /only-get HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let (answer, after) = read_until_closed(&mut stream, started).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        after >= Duration::from_millis(900),
        "closed after {after:?}"
    );
    // A connection that never sends a byte is closed the same way.
    let mut silent = TcpStream::connect(server.addr).await.unwrap();
    let (answer, after) = read_until_closed(&mut silent, Instant::now()).await;
    assert_eq!(answer, "");
    eprintln!("idle connection closed after {after:?} (keep-alive timeout 1 s)");
}

#[tokio::test]
async fn a_busy_connection_is_not_idle() {
    // A handler slower than the keep-alive timeout still answers on its connection, which
    // stays open for the next request.
    let server = serve(|s| s.keep_alive_timeout(Duration::from_secs(1))).await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream
        .write_all(b"GET /slow?ms=2000 HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(BOUND, stream.read(&mut buf))
        .await
        .unwrap()
        .unwrap();
    let answer = String::from_utf8_lossy(&buf[..n]);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(!answer.contains("connection: close"), "{answer}");
    stream
        .write_all(b"GET /only-get HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let (answer, _) = read_until_closed(&mut stream, Instant::now()).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn a_stalled_upload_is_cut_by_the_body_timeout() {
    let server = serve(|s| s.body_read_timeout(Duration::from_secs(1))).await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream
        .write_all(b"POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n")
        .await
        .unwrap();
    stream.write_all(&[b'a'; 1000]).await.unwrap();
    let started = Instant::now();
    let (answer, after) = read_until_closed(&mut stream, started).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(
        answer.contains("the request body stopped arriving"),
        "{answer}"
    );
    assert!(after >= Duration::from_millis(900), "cut after {after:?}");
}

#[tokio::test]
async fn uploads_past_the_body_budget_are_503() {
    let server = serve(|s| s.body_budget(256 * 1024)).await;
    // Two uploads of 200 KiB hold their bytes, stalled before their end.
    let mut stalled = Vec::new();
    for _ in 0..2 {
        let mut stream = TcpStream::connect(server.addr).await.unwrap();
        stream
            .write_all(b"POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 300000\r\n\r\n")
            .await
            .unwrap();
        stream.write_all(&vec![b'a'; 200 * 1024]).await.unwrap();
        stalled.push(stream);
    }
    let mut answers = Vec::new();
    for stream in &mut stalled {
        let mut buf = vec![0u8; 4096];
        // The one that went over the budget is answered at once; the other waits.
        if let Ok(Ok(n)) =
            tokio::time::timeout(Duration::from_millis(1500), stream.read(&mut buf)).await
        {
            answers.push(String::from_utf8_lossy(&buf[..n]).into_owned());
        }
    }
    assert_eq!(answers.len(), 1, "{answers:?}");
    assert!(answers[0].starts_with("HTTP/1.1 503"), "{}", answers[0]);
    // Once the stalled ones are gone, the budget is free again.
    drop(stalled);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let body = "a".repeat(200 * 1024);
    let reply = server.send("POST", "/upload", &[], &body).await;
    assert_eq!(reply.status, 200);
}

#[tokio::test]
async fn http_1_1_needs_exactly_one_host() {
    let server = serve(|s| s).await;
    let none = exchange(
        server.addr,
        "GET /only-get HTTP/1.1\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(none.starts_with("HTTP/1.1 400"), "{none}");
    let two = exchange(
        server.addr,
        "GET /only-get HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(two.starts_with("HTTP/1.1 400"), "{two}");
    let one = exchange(
        server.addr,
        "GET /only-get HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(one.starts_with("HTTP/1.1 200"), "{one}");
    // HTTP/1.0 had no Host.
    let old = exchange(server.addr, "GET /only-get HTTP/1.0\r\n\r\n").await;
    assert!(old.starts_with("HTTP/1.0 200"), "{old}");
}

#[tokio::test]
async fn connect_is_405_and_options_star_describes_the_server() {
    let server = serve(|s| s).await;
    let connect = exchange(
        server.addr,
        "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(connect.starts_with("HTTP/1.1 405"), "{connect}");
    assert!(
        connect
            .to_ascii_lowercase()
            .contains("allow: delete, get, head, options, patch, post, put"),
        "{connect}"
    );
    let options = exchange(
        server.addr,
        "OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(options.starts_with("HTTP/1.1 204"), "{options}");
    assert!(
        options
            .to_ascii_lowercase()
            .contains("allow: delete, get, head, options, patch, post, put"),
        "{options}"
    );
    assert!(
        !options.to_ascii_lowercase().contains("location"),
        "{options}"
    );
}

#[tokio::test]
async fn over_http2_a_413_arrives_and_the_upload_is_stopped_without_error() {
    // RFC 9113 §8.1: a server that answers before the whole request arrived ends its side,
    // then asks the client to stop sending with RST_STREAM(NO_ERROR), not CANCEL.
    let server = serve(|s| s).await;
    let stream = TcpStream::connect(server.addr).await.unwrap();
    let (client, connection) = h2::client::handshake(stream).await.unwrap();
    tokio::spawn(connection);
    let mut client = client.ready().await.unwrap();
    let request = http::Request::post(server.url("/upload"))
        .header("content-length", (11 * 1024 * 1024).to_string())
        .body(())
        .unwrap();
    let (response, mut upload) = client.send_request(request, false).unwrap();
    upload
        .send_data(bytes::Bytes::from(vec![b'a'; 16 * 1024]), false)
        .unwrap();
    let response = tokio::time::timeout(BOUND, response)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(response.status(), 413);
    let mut body = response.into_body();
    let mut text = Vec::new();
    while let Some(chunk) = body.data().await {
        text.extend_from_slice(&chunk.unwrap());
    }
    assert!(String::from_utf8_lossy(&text).contains("larger than"));
    let reason = tokio::time::timeout(BOUND, std::future::poll_fn(|cx| upload.poll_reset(cx)))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(reason, h2::Reason::NO_ERROR);
}

#[tokio::test]
async fn max_duration_and_the_handler_timeout_answer_504() {
    let server = serve(|s| s).await;
    // `app/limited/route.rs` has `MAX_DURATION = 1`.
    let reply = server.get("/limited?ms=3000").await;
    assert_eq!(reply.status, 504);
    assert!(reply.text().contains("MAX_DURATION"), "{}", reply.text());
    assert_eq!(server.get("/limited?ms=10").await.status, 200);
    // Other routes have no limit unless the server sets one.
    assert_eq!(server.get("/slow?ms=1200").await.status, 200);
    let server = serve(|s| s.handler_timeout(Some(Duration::from_secs(1)))).await;
    assert_eq!(server.get("/slow?ms=3000").await.status, 504);
    assert_eq!(server.get("/slow?ms=10").await.status, 200);
}

#[tokio::test]
async fn body_limit_in_segment_config() {
    let server = serve(|s| s).await;
    // `app/limited/route.rs` has `BODY_LIMIT = 16`; the app's own limit is 10 MiB.
    let ok = server.send("POST", "/limited", &[], &"a".repeat(16)).await;
    assert_eq!(ok.status, 200);
    let over = server.send("POST", "/limited", &[], &"a".repeat(17)).await;
    assert_eq!(over.status, 413);
    let elsewhere = server.send("POST", "/upload", &[], &"a".repeat(4096)).await;
    assert_eq!(elsewhere.status, 200);
}

#[tokio::test]
async fn client_sent_internal_headers_change_nothing() {
    let server = serve(|s| s).await;
    let forged = [
        ("x-arbor-rewrite-hops", "8"),
        (
            "x-middleware-subrequest",
            "middleware:middleware:middleware:middleware:middleware",
        ),
        ("x-forwarded-for", "10.0.0.1"),
    ];
    let reply = server.send("GET", "/headers", &forged, "").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json()["x-forwarded-for"], "127.0.0.1");
}

/// A server process of its own with its open-file limit lowered.
struct Limited {
    child: Child,
    addr: SocketAddr,
    log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Limited {
    fn start(files: u64) -> Limited {
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(format!(r#"ulimit -n {files} && exec "$0""#))
            .arg(env!("CARGO_BIN_EXE_reliability-server"))
            .env("PORT", "0")
            .env("HOSTNAME", "127.0.0.1")
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the server");
        let stderr = child.stderr.take().expect("stderr");
        let mut lines = BufReader::new(stderr).lines();
        let addr = loop {
            let line = lines
                .next()
                .expect("the server printed its address")
                .expect("read stderr");
            if let Some(at) = line.find("listening on http://") {
                let addr = &line[at + "listening on http://".len()..];
                break addr.trim().parse().expect("an address");
            }
        };
        // Keep reading the log so the server never blocks on it.
        let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let kept = log.clone();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                kept.lock().unwrap().push(line);
            }
        });
        Limited { child, addr, log }
    }
}

impl Drop for Limited {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Raises this test process's own open-file limit, to open more connections than the
/// server may hold; returns the limit it has.
fn raise_own_file_limit(to: u64) -> u64 {
    use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};
    let current = getrlimit(Resource::Nofile);
    let wanted = match current.maximum {
        Some(max) => to.min(max),
        None => to,
    };
    if current.current.is_some_and(|now| now < wanted) {
        let _ = setrlimit(
            Resource::Nofile,
            Rlimit {
                current: Some(wanted),
                maximum: current.maximum,
            },
        );
    }
    getrlimit(Resource::Nofile).current.unwrap_or(to)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_connections_past_the_file_limit_do_not_stop_a_fresh_request() {
    // The server's limit is 1,024 and the attack 1,100 connections, or both scaled down
    // where this process may not open that many.
    let own = raise_own_file_limit(4096);
    let files = if own >= 2400 { 1024 } else { own / 2 };
    let attack = files * 1100 / 1024;
    let server = Limited::start(files);
    let mut idle = Vec::new();
    for _ in 0..attack {
        match tokio::time::timeout(Duration::from_secs(5), TcpStream::connect(server.addr)).await {
            Ok(Ok(stream)) => idle.push(stream),
            _ => break,
        }
    }
    assert!(
        idle.len() as u64 >= files,
        "opened only {} connections",
        idle.len()
    );
    // Held open, the attacker's connections fill the server's limit; a fresh client is
    // still answered.
    let started = Instant::now();
    let probe = TestServer::probe(server.addr);
    let mut answered = 0;
    for _ in 0..20 {
        let reply = tokio::time::timeout(BOUND, probe.get("/only-get"))
            .await
            .expect("a fresh request is answered");
        assert_eq!(reply.status, 200);
        answered += 1;
    }
    eprintln!(
        "{answered} of 20 requests answered during the attack of {} idle connections on a server limited to {files} files, in {:?}",
        idle.len(),
        started.elapsed()
    );
    let log = server.log.lock().unwrap().join("\n");
    assert!(
        log.contains("at the connection limit"),
        "the limit was never reached:\n{log}"
    );
    assert!(!log.contains("Too many open files"), "{log}");
    drop(idle);
}
