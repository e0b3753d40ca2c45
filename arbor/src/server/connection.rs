//! One connection: HTTP/2 when it opens with HTTP/2's preface (prior knowledge), else
//! HTTP/1.1 with upgrades.
//!
//! The preface is looked for with `peek`, so the bytes stay in the socket and hyper reads
//! the connection directly. (hyper-util's `auto` builder reads them and then serves the whole
//! connection through a rewinding reader, which every read of every request pays for; it is
//! kept for the rare client that sends a partial preface first.)

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use hyper::body::Incoming;
use hyper::server::conn::{http1, http2};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use tokio::io::ReadBuf;
use tokio::net::TcpStream;
use tower::Service;

use super::activity::{Activity, Counted, Tracked};
use super::watch::{Graceful, Watched};
use super::Limits;
use crate::app::Stack;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// How long an HTTP/2 keep-alive ping waits for its acknowledgement (hyper's default).
const PING_ACK_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

/// HTTP/2's connection preface.
const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// Serves one accepted connection until it closes, is closed by its watcher, or finishes
/// when the shutdown begins.
pub(crate) async fn serve(
    stream: TcpStream,
    stack: Stack,
    limits: &Limits,
) -> Result<(), BoxError> {
    let activity = Activity::new(limits.clock.clone());
    // The first bytes, watched like the connection: a client that sends none is idle.
    let mut opening = [0u8; PREFACE.len()];
    let peek = Peek {
        stream: &stream,
        buf: &mut opening,
    };
    let first = Watched::new(peek, limits.connections.clone(), activity.clone());
    let seen = match first.await {
        Ok(Some(seen)) => seen,
        Ok(None) => return Ok(()),
        // Closed or failing (0): HTTP/1.1 sees to it.
        Err(_) => 0,
    };
    let plain = opening[..seen] != PREFACE[..seen] || seen == 0;
    let service = Connection {
        stack: RefCell::new(stack),
        activity: activity.clone(),
    };
    let streams = Streams {
        activity: activity.clone(),
    };
    let io = Tracked::new(TokioIo::new(stream), activity.clone());
    if plain {
        let conn = http1::Builder::new()
            .serve_connection(io, service)
            .with_upgrades();
        return watched(conn, limits, activity).await;
    }
    if seen == PREFACE.len() {
        let conn = http2::Builder::new(streams)
            .timer(TokioTimer::new())
            .keep_alive_interval(limits.http2_ping)
            .keep_alive_timeout(PING_ACK_TIMEOUT)
            .serve_connection(io, service);
        return watched(conn, limits, activity).await;
    }
    // A part of the preface: the builder that reads ahead and rewinds decides.
    let mut builder = auto::Builder::new(streams);
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(limits.http2_ping)
        .keep_alive_timeout(PING_ACK_TIMEOUT);
    let conn = builder.serve_connection_with_upgrades(io, service);
    watched(conn, limits, activity).await
}

async fn watched<C: Graceful<Done = ()>>(
    conn: C,
    limits: &Limits,
    activity: Arc<Activity>,
) -> Result<(), BoxError> {
    Watched::new(conn, limits.connections.clone(), activity)
        .await
        .map(drop)
}

/// Looks at the first bytes a client sends, leaving them in the socket.
struct Peek<'a> {
    stream: &'a TcpStream,
    buf: &'a mut [u8],
}

impl Future for Peek<'_> {
    type Output = std::io::Result<usize>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let mut buf = ReadBuf::new(this.buf);
        this.stream.poll_peek(cx, &mut buf)
    }
}

impl Graceful for Peek<'_> {
    type Done = usize;
    type Error = std::io::Error;
    /// Never asked: a connection that has sent no request closes at once.
    fn graceful_shutdown(self: Pin<&mut Self>) {}
}

/// The app's stack for one connection, as hyper calls it: hyper's services take `&self`,
/// tower's `&mut self`. A connection calls its service from its own task only, so the cell is
/// never borrowed twice, and no stack is cloned per request.
pub(crate) struct Connection {
    stack: RefCell<Stack>,
    activity: Arc<Activity>,
}

impl hyper::service::Service<http::Request<Incoming>> for Connection {
    type Response = <Stack as Service<http::Request<Incoming>>>::Response;
    type Error = <Stack as Service<http::Request<Incoming>>>::Error;
    type Future = <Stack as Service<http::Request<Incoming>>>::Future;

    fn call(&self, req: http::Request<Incoming>) -> Self::Future {
        // HTTP/1.1: busy from the head until the server writes. (HTTP/2 streams are also
        // counted by `Streams` until their answer has been sent.)
        self.activity.begin_one();
        // The stack's own layers are always ready (the app's layers wait for readiness in
        // their call).
        self.stack.borrow_mut().call(req)
    }
}

/// Runs each HTTP/2 stream as a task of its own, counted on its connection until its
/// answer has been sent.
#[derive(Clone)]
pub(crate) struct Streams {
    activity: Arc<Activity>,
}

impl<F> hyper::rt::Executor<F> for Streams
where
    F: Future<Output = ()> + Send + 'static,
{
    fn execute(&self, stream: F) {
        tokio::spawn(Counted::new(stream, self.activity.begin_many()));
    }
}

type Io = Tracked<TokioIo<TcpStream>>;

impl Graceful for http1::UpgradeableConnection<Io, Connection> {
    type Done = ();
    type Error = hyper::Error;
    fn graceful_shutdown(self: Pin<&mut Self>) {
        http1::UpgradeableConnection::graceful_shutdown(self);
    }
}

impl Graceful for http2::Connection<Io, Connection, Streams> {
    type Done = ();
    type Error = hyper::Error;
    fn graceful_shutdown(self: Pin<&mut Self>) {
        http2::Connection::graceful_shutdown(self);
    }
}

impl Graceful for auto::UpgradeableConnection<'_, Io, Connection, Streams> {
    type Done = ();
    type Error = BoxError;
    fn graceful_shutdown(self: Pin<&mut Self>) {
        auto::UpgradeableConnection::graceful_shutdown(self);
    }
}
