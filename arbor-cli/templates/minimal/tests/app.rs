//! The app on a free loopback port, called over HTTP.

use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn get(addr: std::net::SocketAddr, path: &str) -> String {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    response
}

#[tokio::test]
async fn serves_its_routes() {
    let server = arbor::Server::bind("127.0.0.1:0").await.unwrap();
    let addr = server.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(server.serve_with_shutdown({{crate}}::app::router(), async {
        let _ = stopped.await;
    }));

    let home = get(addr, "/").await;
    assert!(home.starts_with("HTTP/1.1 200"), "{home}");
    assert!(home.contains("x-nextjs-cache: HIT"), "{home}");
    assert!(home.ends_with("Hello from Arbor"), "{home}");

    let hello = get(addr, "/hello/you").await;
    assert!(hello.starts_with("HTTP/1.1 200"), "{hello}");
    assert!(hello.contains(r#"{"hello":"you"}"#), "{hello}");

    let _ = stop.send(());
    serving.await.unwrap().unwrap();
}
