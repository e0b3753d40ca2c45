//! The HTTP server: HTTP/1.1 and HTTP/2 (cleartext, prior knowledge) on one port, response
//! compression, a body limit, a log line per request, and graceful shutdown.

use std::convert::Infallible;
use std::future::Future;
use std::io::{self, IsTerminal};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use futures_util::future::{BoxFuture, Either, FutureExt};
use http_body_util::Limited;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::{TcpListener, ToSocketAddrs};
use tower_http::compression::Compression;

use crate::body::Body;
use crate::cache::{CacheStore, MemoryStore};
use crate::dispatch::{Dispatcher, Settings};
use crate::routing::App;

/// Request bodies above this many bytes are refused with 413 unless [`Server::body_limit`]
/// says otherwise (10 MiB, the limit Next.js applies to bodies its proxy reads).
pub const DEFAULT_BODY_LIMIT: usize = 10 * 1024 * 1024;

/// How long shutdown waits for in-flight requests before closing their connections.
pub const DEFAULT_SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a middleware rewrite to another origin waits for the upstream's answer (then 504).
pub const DEFAULT_PROXY_TIMEOUT: Duration = Duration::from_secs(30);

/// A bound listener and how to serve on it.
///
/// ```no_run
/// # async fn run(app: arbor::App) -> std::io::Result<()> {
/// let server = arbor::Server::bind("127.0.0.1:0").await?;
/// println!("listening on {}", server.local_addr()?);
/// server.serve(app).await
/// # }
/// ```
pub struct Server {
    listener: TcpListener,
    host: Option<String>,
    body_limit: usize,
    shutdown_timeout: Duration,
    proxy_timeout: Duration,
    cache_store: Option<Arc<dyn CacheStore>>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("listener", &self.listener)
            .field("body_limit", &self.body_limit)
            .field("shutdown_timeout", &self.shutdown_timeout)
            .field("proxy_timeout", &self.proxy_timeout)
            .finish_non_exhaustive()
    }
}

impl Server {
    /// Binds to `addr` (`"127.0.0.1:3000"`, `"[::1]:0"`...).
    pub async fn bind(addr: impl ToSocketAddrs) -> io::Result<Server> {
        Ok(Server {
            listener: TcpListener::bind(addr).await?,
            host: None,
            body_limit: DEFAULT_BODY_LIMIT,
            shutdown_timeout: DEFAULT_SHUTDOWN_TIMEOUT,
            proxy_timeout: DEFAULT_PROXY_TIMEOUT,
            cache_store: None,
        })
    }

    /// Binds to `HOSTNAME`:`PORT` from the environment, like `next start -H -p`
    /// (default `127.0.0.1:3000`).
    pub async fn from_env() -> io::Result<Server> {
        let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "127.0.0.1".to_owned());
        let port = match std::env::var("PORT") {
            Ok(port) => port.parse::<u16>().map_err(|_| {
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("PORT must be a number from 0 to 65535, not `{port}`"),
                )
            })?,
            Err(_) => 3000,
        };
        let mut server = Server::bind((host.as_str(), port)).await.map_err(|err| {
            io::Error::new(err.kind(), format!("cannot listen on {host}:{port}: {err}"))
        })?;
        server.host = Some(host);
        Ok(server)
    }

    /// The address the server listens on (with the real port when bound to port 0).
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Refuses request bodies larger than `bytes` with 413, reading nothing past the limit.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// How long a middleware rewrite to another origin waits for the upstream (default 30 s);
    /// then the client gets 504. An upstream that cannot be reached is a 502.
    pub fn proxy_timeout(mut self, timeout: Duration) -> Self {
        self.proxy_timeout = timeout;
        self
    }

    /// Where cached routes and `#[cache]` data live (default: [`MemoryStore`], 64 MiB).
    pub fn cache_store(mut self, store: impl CacheStore) -> Self {
        self.cache_store = Some(Arc::new(store));
        self
    }

    /// How long shutdown waits for in-flight requests (default 10 s).
    pub fn shutdown_timeout(mut self, timeout: Duration) -> Self {
        self.shutdown_timeout = timeout;
        self
    }

    /// Serves `app` until SIGINT or SIGTERM, then drains in-flight requests.
    pub async fn serve(self, app: App) -> io::Result<()> {
        self.serve_with_shutdown(app, shutdown_signal()).await
    }

    /// Serves `app` until `signal` completes, then drains in-flight requests.
    pub async fn serve_with_shutdown(
        mut self,
        app: App,
        signal: impl Future<Output = ()> + Send,
    ) -> io::Result<()> {
        let addr = self.listener.local_addr()?;
        let settings = Settings {
            origin: origin(self.host.as_deref(), addr).into(),
            port: addr.port(),
            body_limit: self.body_limit,
            proxy_timeout: self.proxy_timeout,
            cache_store: self
                .cache_store
                .take()
                .unwrap_or_else(|| Arc::new(MemoryStore::default())),
        };
        let dispatcher = Arc::new(Dispatcher::new(app, settings)?);
        dispatcher.prerender().await?;
        let builder = auto::Builder::new(TokioExecutor::new());
        let graceful = GracefulShutdown::new();
        tracing::info!("listening on http://{addr}");

        tokio::pin!(signal);
        loop {
            tokio::select! {
                accepted = self.listener.accept() => {
                    let (stream, peer) = match accepted {
                        Ok(conn) => conn,
                        Err(err) => {
                            // Out of file descriptors and the like: wait, then go on.
                            tracing::warn!(error = %err, "accept failed");
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            continue;
                        }
                    };
                    let _ = stream.set_nodelay(true);
                    let connection = Connection {
                        dispatcher: dispatcher.clone(),
                        peer_ip: http::HeaderValue::try_from(peer.ip().to_string()).ok(),
                    };
                    let service = hyper::service::service_fn(move |req| connection.answer(req));
                    let conn = builder
                        .serve_connection_with_upgrades(TokioIo::new(stream), service)
                        .into_owned();
                    let conn = graceful.watch(conn);
                    tokio::spawn(async move {
                        if let Err(err) = conn.await {
                            tracing::debug!(error = %err, %peer, "connection ended with an error");
                        }
                    });
                }
                () = &mut signal => break,
            }
        }
        drop(self.listener);
        tracing::info!("shutting down: draining in-flight requests");
        let background = dispatcher.background().clone();
        background.close();
        let drained = async {
            graceful.shutdown().await;
            background.wait().await;
        };
        tokio::select! {
            () = drained => tracing::info!("all connections closed, background work done"),
            () = tokio::time::sleep(self.shutdown_timeout) => {
                tracing::warn!(timeout = ?self.shutdown_timeout, "shutdown timed out; closing the remaining connections");
            }
        }
        Ok(())
    }
}

/// Serves `app` on `HOSTNAME`:`PORT` (default `127.0.0.1:3000`) until SIGINT or SIGTERM,
/// logging to stderr through `tracing` (filter with `RUST_LOG`, default `info`).
///
/// ```no_run
/// #[tokio::main]
/// async fn main() -> std::io::Result<()> {
///     // In an app: `arbor::app!();` at the crate root, then `app::router()`.
///     let app = arbor::App::new();
///     arbor::serve(app).await
/// }
/// ```
pub async fn serve(app: App) -> io::Result<()> {
    init_tracing();
    Server::from_env().await?.serve(app).await
}

/// Installs a `tracing` subscriber writing to stderr, unless the program installed its own.
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr)
        .with_ansi(io::stderr().is_terminal())
        .try_init();
}

/// `http://localhost:3000`: loopback and unspecified hosts are written `localhost`.
fn origin(host: Option<&str>, addr: SocketAddr) -> String {
    let ip = addr.ip();
    let name = match host {
        Some(name) if name.parse::<IpAddr>().is_err() => name.to_owned(),
        _ if ip.is_loopback() || ip.is_unspecified() => "localhost".to_owned(),
        _ => match ip {
            IpAddr::V4(ip) => ip.to_string(),
            IpAddr::V6(ip) => format!("[{ip}]"),
        },
    };
    format!("http://{name}:{}", addr.port())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut sig) => {
                sig.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

/// The request's log line: method, path, status, time taken.
fn log_line(
    (method, uri, start): (http::Method, http::Uri, Instant),
    response: &http::Response<Body>,
) {
    tracing::info!(
        target: "arbor::request",
        "{method} {} {} {:.1}ms",
        uri.path(),
        response.status().as_u16(),
        start.elapsed().as_secs_f64() * 1000.0
    );
}

/// The dispatcher as a tower service, for the compression layer.
#[derive(Clone)]
struct Dispatch {
    dispatcher: Arc<Dispatcher>,
    peer: Option<http::HeaderValue>,
}

impl tower::Service<http::Request<Body>> for Dispatch {
    type Response = http::Response<Body>;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<Self::Response, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: http::Request<Body>) -> Self::Future {
        Box::pin(self.dispatcher.dispatch(req, self.peer.clone()).map(Ok))
    }
}

/// The service for one connection: knows the peer, applies the body limit, logs.
#[derive(Clone)]
struct Connection {
    dispatcher: Arc<Dispatcher>,
    /// The client's address as `x-forwarded-for` writes it, made once per connection.
    peer_ip: Option<http::HeaderValue>,
}

impl Connection {
    /// Answers one request. The returned future holds the dispatcher's and little else.
    fn answer(
        &self,
        req: http::Request<Incoming>,
    ) -> impl Future<Output = Result<http::Response<Body>, Infallible>> + Send + 'static {
        let limit = self.dispatcher.body_limit();
        let req = req.map(|body| {
            if http_body::Body::is_end_stream(&body) {
                Body::empty()
            } else {
                Body::new(Limited::new(body, limit))
            }
        });
        // The log line's inputs are only gathered when someone listens.
        let log = tracing::enabled!(target: "arbor::request", tracing::Level::INFO)
            .then(|| Box::new((req.method().clone(), req.uri().clone(), Instant::now())));
        // Compression only when asked: other responses stay small to move around.
        let response = if req.headers().contains_key(http::header::ACCEPT_ENCODING) {
            let mut compressed = Compression::new(Dispatch {
                dispatcher: self.dispatcher.clone(),
                peer: self.peer_ip.clone(),
            });
            let future = tower::Service::call(&mut compressed, req);
            Either::Left(future.map(|compressed| match compressed {
                Ok(response) => response.map(Body::new),
                Err(never) => match never {},
            }))
        } else {
            Either::Right(self.dispatcher.dispatch(req, self.peer_ip.clone()))
        };
        response.map(move |response| {
            if let Some(log) = log {
                log_line(*log, &response);
            }
            Ok(response)
        })
    }
}
