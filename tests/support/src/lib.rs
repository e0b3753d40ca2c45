//! Serves an Arbor app on a free loopback port and requests it over real HTTP.
//!
//! ```no_run
//! # async fn demo(app: arbor::App) {
//! let server = arbor_test_support::TestServer::serve(app).await;
//! let reply = server.get("/hello").await;
//! assert_eq!(reply.status, 200);
//! # }
//! ```

#![warn(missing_docs)]

pub mod openapi;

use std::net::SocketAddr;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::header::HeaderMap;
use hyper::StatusCode;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The app served on a free loopback port, stopped when dropped or by [`TestServer::stop`].
pub struct TestServer {
    /// Where it listens.
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

/// A response, fully read.
#[derive(Debug)]
pub struct Reply {
    /// Status.
    pub status: StatusCode,
    /// Headers.
    pub headers: HeaderMap,
    /// Body bytes.
    pub body: Bytes,
}

impl Reply {
    /// One header as text (`""` when absent).
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// Every line of a header, in order (`set-cookie`).
    pub fn header_all(&self, name: &str) -> Vec<String> {
        self.headers
            .get_all(name)
            .iter()
            .map(|v| v.to_str().unwrap_or_default().to_owned())
            .collect()
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!("body is not JSON ({e}): {:?}", self.text());
        })
    }
}

impl TestServer {
    /// Serves `app` with the default settings.
    pub async fn serve(app: arbor::App) -> TestServer {
        Self::serve_with(app, |server| server).await
    }

    /// Serves `app` after `configure` adjusts the server (body limit, timeouts).
    pub async fn serve_with(
        app: arbor::App,
        configure: impl FnOnce(arbor::Server) -> arbor::Server,
    ) -> TestServer {
        let server = arbor::Server::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let addr = server.local_addr().expect("local address");
        let server = configure(server);
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(server.serve_with_shutdown(app, async {
            let _ = stopped.await;
        }));
        TestServer {
            addr,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// A client for a server started elsewhere (by another task, or another process).
    pub fn probe(addr: SocketAddr) -> TestServer {
        TestServer {
            addr,
            stop: None,
            task: None,
        }
    }

    /// `GET path`, or `None` when the connection fails.
    pub async fn try_get(&self, path: &str) -> Option<Reply> {
        self.try_send("GET", path, &[], "").await
    }

    /// `http://127.0.0.1:<port><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> Reply {
        self.send("GET", path, &[], "").await
    }

    /// Any request over HTTP/1.1.
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Reply {
        let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
        request(&client, &self.url(path), method, headers, body.to_owned()).await
    }

    /// Any request over HTTP/1.1, or `None` when the connection fails (a server that was
    /// killed, say).
    pub async fn try_send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Option<Reply> {
        let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
        try_request(&client, &self.url(path), method, headers, body.to_owned()).await
    }

    /// Any request over HTTP/2 (cleartext, prior knowledge).
    pub async fn send_h2(&self, method: &str, path: &str) -> Reply {
        let client = Client::builder(TokioExecutor::new())
            .http2_only(true)
            .build_http::<Full<Bytes>>();
        request(&client, &self.url(path), method, &[], String::new()).await
    }

    /// Stops accepting, drains in-flight requests, and returns what `serve` returned.
    pub async fn stop(mut self) -> std::io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.task.take() {
            Some(task) => task.await.expect("server task"),
            None => Ok(()),
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

async fn request(
    client: &Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>,
    url: &str,
    method: &str,
    headers: &[(&str, &str)],
    body: String,
) -> Reply {
    try_request(client, url, method, headers, body)
        .await
        .unwrap_or_else(|| panic!("{method} {url}: the request failed"))
}

async fn try_request(
    client: &Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>,
    url: &str,
    method: &str,
    headers: &[(&str, &str)],
    body: String,
) -> Option<Reply> {
    let mut builder = hyper::Request::builder().method(method).uri(url);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let req = builder.body(Full::new(Bytes::from(body))).ok()?;
    let response = client.request(req).await.ok()?;
    let (parts, body) = response.into_parts();
    let body = body.collect().await.ok()?.to_bytes();
    Some(Reply {
        status: parts.status,
        headers: parts.headers,
        body,
    })
}
