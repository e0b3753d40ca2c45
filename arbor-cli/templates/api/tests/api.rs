//! The API on a free loopback port and a fresh database: list, create, update, delete, and
//! the proxy's key.

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// One request: the status and the body.
async fn send(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    headers: &str,
    body: &str,
) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\ncontent-type: application/json\r\ncontent-length: {}\r\n{headers}\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    let status = response[9..12].parse().unwrap();
    let body = response.split("\r\n\r\n").nth(1).unwrap_or_default().to_owned();
    (status, body)
}

#[tokio::test]
async fn comments_from_list_to_delete() {
    std::env::set_var("API_KEY", "secret");
    let dir = std::env::temp_dir().join(format!("{}-test-{}", env!("CARGO_PKG_NAME"), std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = {{crate}}::db::Db::open(dir.join("comments.db").to_str().unwrap()).unwrap();
    let server = arbor::Server::bind("127.0.0.1:0").await.unwrap();
    let addr = server.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(server.serve_with_shutdown({{crate}}::app(db), async {
        let _ = stopped.await;
    }));
    let key = "x-api-key: secret\r\n";

    let (status, list) = send(addr, "GET", "/comments", "", "").await;
    assert_eq!(status, 200, "{list}");
    let (status, body) = send(addr, "POST", "/comments", "", r#"{"text":"no key"}"#).await;
    assert_eq!(status, 401, "{body}");
    let (status, created) = send(addr, "POST", "/comments", key, r#"{"text":"hello"}"#).await;
    assert_eq!(status, 201, "{created}");
    let id = created.split("\"id\":").nth(1).unwrap().split(|c: char| !c.is_ascii_digit()).next().unwrap().to_owned();
    let (status, updated) = send(addr, "PATCH", &format!("/comments/{id}"), key, r#"{"text":"edited"}"#).await;
    assert_eq!(status, 200, "{updated}");
    assert!(updated.contains("edited"), "{updated}");
    let (status, _) = send(addr, "DELETE", &format!("/comments/{id}"), key, "").await;
    assert!(status == 200 || status == 204, "{status}");
    let (status, _) = send(addr, "GET", &format!("/comments/{id}"), "", "").await;
    assert_eq!(status, 404);

    let _ = stop.send(());
    serving.await.unwrap().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
