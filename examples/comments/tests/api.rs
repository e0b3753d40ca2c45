//! The comments API over HTTP: the app in-process on an in-memory database, and the real
//! binary on a database file (created on first start, stopped with SIGTERM).

use std::net::{SocketAddr, TcpListener};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use arbor_test_support::TestServer;
use comments::db::Db;
use serde_json::json;

async fn start() -> TestServer {
    TestServer::serve(comments::app(
        Db::open(":memory:").expect("in-memory database"),
    ))
    .await
}

const JSON: [(&str, &str); 1] = [("content-type", "application/json")];

#[tokio::test]
async fn lists_the_seed_comments() {
    let server = start().await;
    let reply = server.get("/comments").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), "application/json");
    assert_eq!(
        reply.json(),
        json!([
            { "id": 1, "text": "This is the first comment" },
            { "id": 2, "text": "This is the second comment" },
            { "id": 3, "text": "This is the third comment" },
        ])
    );
    let reply = server.get("/comments?query=second").await;
    assert_eq!(
        reply.json(),
        json!([{ "id": 2, "text": "This is the second comment" }])
    );
}

#[tokio::test]
async fn create_read_update_delete() {
    let server = start().await;
    let created = server
        .send(
            "POST",
            "/comments",
            &JSON,
            r#"{"text":"This is a new comment"}"#,
        )
        .await;
    assert_eq!(created.status, 201);
    assert_eq!(created.header("location"), "/comments/4");
    assert_eq!(
        created.json(),
        json!({ "id": 4, "text": "This is a new comment" })
    );

    assert_eq!(
        server
            .get("/comments")
            .await
            .json()
            .as_array()
            .map(Vec::len),
        Some(4)
    );
    assert_eq!(
        server.get("/comments/4").await.json(),
        json!({ "id": 4, "text": "This is a new comment" })
    );

    let patched = server
        .send("PATCH", "/comments/4", &JSON, r#"{"text":"edited"}"#)
        .await;
    assert_eq!(patched.status, 200);
    assert_eq!(patched.json(), json!({ "id": 4, "text": "edited" }));

    let deleted = server.send("DELETE", "/comments/4", &[], "").await;
    assert_eq!(deleted.status, 200);
    assert_eq!(deleted.json(), json!({ "id": 4, "text": "edited" }));
    let gone = server.get("/comments/4").await;
    assert_eq!(gone.status, 404);
    assert_eq!(gone.json(), json!({ "error": "Comment not found" }));
}

#[tokio::test]
async fn bad_input_gets_a_json_4xx() {
    let server = start().await;
    for body in [r#"{}"#, r#"{"text":1}"#, r#"{"text":""}"#, r#"[]"#] {
        let reply = server.send("POST", "/comments", &JSON, body).await;
        assert_eq!(reply.status, 400, "{body}");
        assert_eq!(
            reply.json(),
            json!({ "error": "text is required" }),
            "{body}"
        );
    }
    let reply = server.send("POST", "/comments", &JSON, r#"{"text":"#).await;
    assert_eq!(reply.status, 400);
    let message = reply.json()["error"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(message.starts_with("invalid JSON body"), "{message}");

    let reply = server.get("/comments/abc").await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.json(), json!({ "error": "id must be a number" }));
    for method in ["GET", "DELETE"] {
        let reply = server.send(method, "/comments/999", &[], "").await;
        assert_eq!(reply.status, 404, "{method}");
        assert_eq!(reply.json(), json!({ "error": "Comment not found" }));
    }
    let reply = server
        .send("PATCH", "/comments/999", &JSON, r#"{"text":"x"}"#)
        .await;
    assert_eq!(reply.status, 404);
}

#[tokio::test]
async fn conventions_around_the_routes() {
    let server = start().await;
    let reply = server
        .send("PUT", "/comments/1", &JSON, r#"{"text":"x"}"#)
        .await;
    assert_eq!(reply.status, 405);
    assert_eq!(reply.header("allow"), "DELETE, GET, HEAD, OPTIONS, PATCH");
    let reply = server.send("OPTIONS", "/comments", &[], "").await;
    assert_eq!(reply.status, 204);
    assert_eq!(reply.header("allow"), "GET, HEAD, OPTIONS, POST");
    let reply = server.get("/comments/?query=first").await;
    assert_eq!(reply.status, 308);
    assert_eq!(reply.header("location"), "/comments?query=first");
    // app/not-found.rs answers unmatched URLs.
    let reply = server.get("/comments/1/extra").await;
    assert_eq!(reply.status, 404);
    assert_eq!(
        reply.json(),
        json!({ "error": "no route for /comments/1/extra" })
    );
}

/// The real binary, as `cargo run -p comments` starts it.
struct Binary {
    child: Child,
    addr: SocketAddr,
}

impl Binary {
    fn start(database: &std::path::Path) -> Binary {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let child = Command::new(env!("CARGO_BIN_EXE_comments"))
            .env("PORT", port.to_string())
            .env("DATABASE_URL", database)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the comments binary");
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(addr).is_err() {
            assert!(
                Instant::now() < deadline,
                "the binary did not start listening"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Binary { child, addr }
    }

    /// Sends SIGTERM to the process this test started, and waits for it to exit.
    fn terminate(mut self) -> std::process::ExitStatus {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the binary did not exit after SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn binary_creates_its_database_and_stops_on_sigterm() {
    let dir = std::env::temp_dir().join(format!("arbor-comments-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let database = dir.join("comments.db");
    let _ = std::fs::remove_file(&database);

    let binary = Binary::start(&database);
    assert!(database.exists(), "created on first start");
    let client = TestServer::probe(binary.addr);
    let reply = client
        .send("POST", "/comments", &JSON, r#"{"text":"kept"}"#)
        .await;
    assert_eq!(reply.status, 201);
    assert!(binary.terminate().success(), "exits cleanly on SIGTERM");

    // The comment survives a restart.
    let binary = Binary::start(&database);
    let client = TestServer::probe(binary.addr);
    assert_eq!(
        client.get("/comments/4").await.json(),
        json!({ "id": 4, "text": "kept" })
    );
    drop(binary);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_under_concurrent_writes_it_loses_no_acknowledged_comment() {
    let dir = std::env::temp_dir().join(format!("arbor-comments-kill-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let database = dir.join("comments.db");
    let _ = std::fs::remove_file(&database);
    let mut acknowledged: Vec<(i64, String)> = Vec::new();
    for round in 0..3 {
        let mut binary = Binary::start(&database);
        let writers: Vec<_> = (0..8)
            .map(|writer| {
                let server = TestServer::probe(binary.addr);
                tokio::spawn(async move {
                    let mut done = Vec::new();
                    for n in 0.. {
                        let text = format!("round {round}, writer {writer}, comment {n}");
                        let body = json!({ "text": text }).to_string();
                        let Ok(Some((status, json))) = tokio::time::timeout(
                            Duration::from_secs(5),
                            server_send(&server, &body),
                        )
                        .await
                        else {
                            break;
                        };
                        if status != 201 {
                            break;
                        }
                        done.push((json["id"].as_i64().expect("an id"), text));
                    }
                    done
                })
            })
            .collect();
        // Writes in flight when the process is killed.
        tokio::time::sleep(Duration::from_millis(800)).await;
        binary.child.kill().expect("SIGKILL");
        let _ = binary.child.wait();
        for writer in writers {
            acknowledged.extend(writer.await.expect("writer"));
        }
    }
    let binary = Binary::start(&database);
    let rows = TestServer::probe(binary.addr).get("/comments").await.json();
    let rows: std::collections::HashMap<i64, String> = rows
        .as_array()
        .expect("a list")
        .iter()
        .map(|c| {
            (
                c["id"].as_i64().unwrap(),
                c["text"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let missing: Vec<_> = acknowledged
        .iter()
        .filter(|(id, text)| rows.get(id) != Some(text))
        .collect();
    eprintln!(
        "{} comments acknowledged over 3 kills, {} present after restart",
        acknowledged.len(),
        acknowledged.len() - missing.len()
    );
    assert!(
        acknowledged.len() > 30,
        "too few writes to tell: {}",
        acknowledged.len()
    );
    assert!(missing.is_empty(), "acknowledged but lost: {missing:?}");
    drop(binary);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A POST of a comment: the status and JSON, or `None` when the connection failed.
async fn server_send(server: &TestServer, body: &str) -> Option<(u16, serde_json::Value)> {
    let reply = server.try_send("POST", "/comments", &JSON, body).await?;
    let json = serde_json::from_str(&reply.text()).unwrap_or_default();
    Some((reply.status.as_u16(), json))
}
