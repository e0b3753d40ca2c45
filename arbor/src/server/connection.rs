//! One connection: HTTP/2 when it opens with HTTP/2's preface (prior knowledge), else
//! HTTP/1.1 with upgrades.
//!
//! The preface is looked for with `peek`, so the bytes stay in the socket and hyper reads
//! the connection directly. (hyper-util's `auto` builder reads them and then serves the whole
//! connection through a rewinding reader, which every read of every request pays for; it is
//! kept for the rare client that sends a partial preface first.)

use std::cell::RefCell;
use std::pin::Pin;
use std::sync::Arc;

use hyper::body::Incoming;
use hyper::server::conn::{http1, http2};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use tokio::net::TcpStream;
use tower::Service;

use super::shutdown::{Graceful, Shutdown, Watched};
use crate::app::Stack;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// HTTP/2's connection preface.
const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// Serves one accepted connection until it closes, or finishes it when the shutdown begins.
pub(crate) async fn serve(
    stream: TcpStream,
    stack: Stack,
    shutdown: Arc<Shutdown>,
) -> Result<(), BoxError> {
    let mut opening = [0u8; PREFACE.len()];
    // Closed or failing (0): HTTP/1.1 sees to it.
    let seen = stream.peek(&mut opening).await.unwrap_or_default();
    let service = Connection(RefCell::new(stack));
    let io = TokioIo::new(stream);
    if opening[..seen] != PREFACE[..seen] || seen == 0 {
        let conn = http1::Builder::new()
            .serve_connection(io, service)
            .with_upgrades();
        return Ok(Watched::new(conn, shutdown).await?);
    }
    if seen == PREFACE.len() {
        let conn = http2::Builder::new(TokioExecutor::new()).serve_connection(io, service);
        return Ok(Watched::new(conn, shutdown).await?);
    }
    // A part of the preface: the builder that reads ahead and rewinds decides.
    let builder = auto::Builder::new(TokioExecutor::new());
    let conn = builder.serve_connection_with_upgrades(io, service);
    Watched::new(conn, shutdown).await
}

/// The app's stack for one connection, as hyper calls it: hyper's services take `&self`,
/// tower's `&mut self`. A connection calls its service from its own task only, so the cell is
/// never borrowed twice, and no stack is cloned per request.
pub(crate) struct Connection(RefCell<Stack>);

impl hyper::service::Service<http::Request<Incoming>> for Connection {
    type Response = <Stack as Service<http::Request<Incoming>>>::Response;
    type Error = <Stack as Service<http::Request<Incoming>>>::Error;
    type Future = <Stack as Service<http::Request<Incoming>>>::Future;

    fn call(&self, req: http::Request<Incoming>) -> Self::Future {
        // The stack's own layers are always ready (the app's layers wait for readiness in
        // their call).
        self.0.borrow_mut().call(req)
    }
}

type Io = TokioIo<TcpStream>;

impl Graceful for http1::UpgradeableConnection<Io, Connection> {
    fn graceful_shutdown(self: Pin<&mut Self>) {
        http1::UpgradeableConnection::graceful_shutdown(self);
    }
}

impl Graceful for http2::Connection<Io, Connection, TokioExecutor> {
    fn graceful_shutdown(self: Pin<&mut Self>) {
        http2::Connection::graceful_shutdown(self);
    }
}

impl Graceful for auto::UpgradeableConnection<'_, Io, Connection, TokioExecutor> {
    fn graceful_shutdown(self: Pin<&mut Self>) {
        auto::UpgradeableConnection::graceful_shutdown(self);
    }
}
