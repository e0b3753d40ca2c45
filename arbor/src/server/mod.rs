//! The HTTP server: a thin accept loop serving an [`App`] over HTTP/1.1 and HTTP/2
//! (cleartext, prior knowledge) on one port, with graceful shutdown, and the limits that
//! keep it up when it faces the internet: timeouts for slow and idle clients, a cap on open
//! connections, and a budget for request bodies ([`Server`] lists them with their defaults).
//! What happens to a request is the app's: its layers (the request log, compression, the
//! body limit, yours) and its request path.

mod activity;
mod budget;
mod connection;
mod watch;

use std::future::Future;
use std::io::{self, IsTerminal};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tokio::net::{TcpListener, ToSocketAddrs};
use tokio::sync::Semaphore;
use tokio_util::task::TaskTracker;

use crate::app::{App, Served};
use crate::upload::Uploads;
use activity::Clock;
use watch::{Connections, Deadlines};

/// How long shutdown waits for in-flight requests before closing their connections.
pub const DEFAULT_SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a client may take to send a whole request head, from its first byte (30 s,
/// hyper's own default; nginx's `client_header_timeout` and Node's `headersTimeout` are
/// 60 s). What stops a Slowloris client.
pub const DEFAULT_REQUEST_HEAD_TIMEOUT: Duration = Duration::from_secs(30);

/// How long a connection may sit with no request before it is closed (5 s: Node's
/// `keepAliveTimeout`, so what `next start` does).
pub const DEFAULT_KEEP_ALIVE_TIMEOUT: Duration = Duration::from_secs(5);

/// The longest wait for the next piece of a request body once it has begun (30 s; nginx's
/// `client_body_timeout` is 60 s). A stalled upload is answered 408 and its memory freed.
pub const DEFAULT_BODY_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// How often an HTTP/2 connection is pinged while open (20 s); a peer that does not answer
/// within 20 s more is gone, and its connection is closed.
pub const DEFAULT_HTTP2_KEEP_ALIVE_INTERVAL: Duration = Duration::from_secs(20);

/// The bytes that the request bodies being received at once may hold (256 MiB: 25 bodies at
/// the default body limit). Beyond it, a body is answered 503 instead of growing memory.
pub const DEFAULT_BODY_BUDGET: usize = 256 * 1024 * 1024;

/// How often the server may log that it is at its connection limit.
const WARNING_INTERVAL: Duration = Duration::from_secs(10);

/// How long a connection must have been quiet to be closed when the server is out of
/// connections.
const QUIET_UNDER_PRESSURE: Duration = Duration::from_secs(1);

/// A bound listener and how to serve on it: its timeouts and limits, each on by default.
///
/// | setting | default | what it stops |
/// | --- | --- | --- |
/// | [`request_head_timeout`](Server::request_head_timeout) | 30 s | a client sending its request head a byte at a time (Slowloris) |
/// | [`keep_alive_timeout`](Server::keep_alive_timeout) | 5 s | idle connections held open |
/// | [`body_read_timeout`](Server::body_read_timeout) | 30 s between two pieces | stalled uploads holding memory |
/// | [`http2_keep_alive_interval`](Server::http2_keep_alive_interval) | 20 s | dead HTTP/2 peers |
/// | [`handler_timeout`](Server::handler_timeout) | none (`MAX_DURATION` per route) | handlers that never answer (504) |
/// | [`max_connections`](Server::max_connections) | from the open-file limit | running out of file descriptors |
/// | [`body_budget`](Server::body_budget) | 256 MiB | many large uploads at once (503) |
/// | [`behind_proxy`](Server::behind_proxy) | `false` | a client forging `x-forwarded-*` |
///
/// ```no_run
/// use std::time::Duration;
///
/// # async fn run(app: arbor::App) -> std::io::Result<()> {
/// let server = arbor::Server::bind("127.0.0.1:0")
///     .await?
///     .keep_alive_timeout(Duration::from_secs(75)) // longer than the load balancer's 60 s
///     .request_head_timeout(Duration::from_secs(10))
///     .behind_proxy(true);
/// println!("listening on {}", server.local_addr()?);
/// server.serve(app).await
/// # }
/// ```
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    host: Option<String>,
    shutdown_timeout: Duration,
    request_head_timeout: Duration,
    keep_alive_timeout: Duration,
    body_read_timeout: Duration,
    http2_keep_alive_interval: Option<Duration>,
    handler_timeout: Option<Duration>,
    max_connections: Option<usize>,
    body_budget: usize,
    behind_proxy: bool,
}

/// What every connection of a server shares.
pub(crate) struct Limits {
    pub(crate) clock: Arc<Clock>,
    pub(crate) connections: Arc<Connections>,
    pub(crate) uploads: Arc<Uploads>,
    pub(crate) http2_ping: Option<Duration>,
}

impl Server {
    /// Binds to `addr` (`"127.0.0.1:3000"`, `"[::1]:0"`...).
    pub async fn bind(addr: impl ToSocketAddrs) -> io::Result<Server> {
        Ok(Server::from_listener(TcpListener::bind(addr).await?))
    }

    fn from_listener(listener: TcpListener) -> Server {
        Server {
            listener,
            host: None,
            shutdown_timeout: DEFAULT_SHUTDOWN_TIMEOUT,
            request_head_timeout: DEFAULT_REQUEST_HEAD_TIMEOUT,
            keep_alive_timeout: DEFAULT_KEEP_ALIVE_TIMEOUT,
            body_read_timeout: DEFAULT_BODY_READ_TIMEOUT,
            http2_keep_alive_interval: Some(DEFAULT_HTTP2_KEEP_ALIVE_INTERVAL),
            handler_timeout: None,
            max_connections: None,
            body_budget: DEFAULT_BODY_BUDGET,
            behind_proxy: false,
        }
    }

    /// Binds to `HOSTNAME`:`PORT` from the environment, like `next start -H -p`
    /// (default `127.0.0.1:3000`), or takes the listening socket it was handed: the
    /// socket-activation convention of systemd and `arbor dev` (`LISTEN_FDS`, the socket as
    /// file descriptor 3). A server that took one tells whoever handed it that it is ready, once
    /// its static routes are rendered, through `NOTIFY_SOCKET` (`READY=1`), as systemd's
    /// `Type=notify` services do.
    pub async fn from_env() -> io::Result<Server> {
        if let Some(listener) = inherited_listener()? {
            let mut server = Server::from_listener(listener);
            server.host = std::env::var("HOSTNAME").ok();
            return Ok(server);
        }
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

    /// How long shutdown waits for in-flight requests (default 10 s).
    pub fn shutdown_timeout(mut self, timeout: Duration) -> Self {
        self.shutdown_timeout = timeout;
        self
    }

    /// How long a client may take to send a whole request head, counted from its first
    /// byte; then the connection is closed ([`DEFAULT_REQUEST_HEAD_TIMEOUT`], 30 s).
    pub fn request_head_timeout(mut self, timeout: Duration) -> Self {
        self.request_head_timeout = timeout;
        self
    }

    /// How long a connection may stay open with no request in a handler and no byte moving
    /// before it is closed ([`DEFAULT_KEEP_ALIVE_TIMEOUT`], 5 s). Behind a load balancer, make
    /// it longer than the balancer's own idle timeout (AWS's is 60 s), so that the balancer,
    /// not the server, closes idle connections.
    pub fn keep_alive_timeout(mut self, timeout: Duration) -> Self {
        self.keep_alive_timeout = timeout;
        self
    }

    /// The longest wait for the next piece of a request body ([`DEFAULT_BODY_READ_TIMEOUT`],
    /// 30 s). A body that stops arriving fails its read with 408 Request Timeout, and the
    /// connection is closed.
    pub fn body_read_timeout(mut self, timeout: Duration) -> Self {
        self.body_read_timeout = timeout;
        self
    }

    /// How often HTTP/2 connections are pinged ([`DEFAULT_HTTP2_KEEP_ALIVE_INTERVAL`],
    /// 20 s); `None` sends no pings. A ping not answered within 20 s closes the connection.
    pub fn http2_keep_alive_interval(mut self, interval: Option<Duration>) -> Self {
        self.http2_keep_alive_interval = interval;
        self
    }

    /// How long any handler may take to answer before the request is answered
    /// 504 Gateway Timeout (default: no limit, as `next start`). A route's `MAX_DURATION`
    /// (seconds, Next.js's `maxDuration`) takes precedence for its own handlers.
    pub fn handler_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.handler_timeout = timeout;
        self
    }

    /// The most connections open at once. At the limit the server stops accepting (new
    /// clients wait in the kernel's queue) and closes its idle connections, so that clients
    /// with work keep being served. By default, seven eighths of the process's open-file
    /// limit (`ulimit -n`), leaving the rest for files and upstream sockets.
    pub fn max_connections(mut self, max: usize) -> Self {
        self.max_connections = Some(max.max(1));
        self
    }

    /// The bytes that the request bodies being received at once may hold
    /// ([`DEFAULT_BODY_BUDGET`], 256 MiB). A body that would go past it fails its read with
    /// 503 Service Unavailable. The first 64 KiB of each body are not counted.
    pub fn body_budget(mut self, bytes: usize) -> Self {
        self.body_budget = bytes;
        self
    }

    /// Whether the server sits behind a proxy or load balancer that sets `x-forwarded-for`,
    /// `-host`, `-port` and `-proto` (default `false`). When `false`, those headers from the
    /// client are replaced with what the server sees, since any client could forge them;
    /// when `true`, the proxy's values are passed on, as `next start` does.
    pub fn behind_proxy(mut self, behind: bool) -> Self {
        self.behind_proxy = behind;
        self
    }

    /// Serves `app` until SIGINT or SIGTERM, then drains in-flight requests.
    pub async fn serve(self, app: App) -> io::Result<()> {
        self.serve_with_shutdown(app, shutdown_signal()).await
    }

    /// Serves `app` until `signal` completes, then drains in-flight requests.
    pub async fn serve_with_shutdown(
        self,
        app: App,
        signal: impl Future<Output = ()> + Send,
    ) -> io::Result<()> {
        let addr = self.listener.local_addr()?;
        let built = app.build(Some(Served {
            origin: origin(self.host.as_deref(), addr),
            port: addr.port(),
            behind_proxy: self.behind_proxy,
            handler_timeout: self.handler_timeout,
        }))?;
        built.core.prerender().await?;
        let deadlines = Deadlines {
            keep_alive: self.keep_alive_timeout,
            head: self.request_head_timeout,
        };
        let limits = Arc::new(Limits {
            clock: Clock::new(),
            connections: Connections::new(),
            uploads: Uploads::new(self.body_read_timeout, self.body_budget),
            http2_ping: self.http2_keep_alive_interval,
        });
        let (connections, clock) = (Arc::downgrade(&limits.connections), limits.clock.clone());
        std::thread::Builder::new()
            .name("arbor-watch".to_owned())
            .spawn(move || watch::watch(connections, clock, deadlines))?;
        let max_connections = self
            .max_connections
            .unwrap_or_else(budget::default_max_connections);
        let slots = Arc::new(Semaphore::new(max_connections));
        let tasks = TaskTracker::new();
        let mut backoff = budget::Backoff::default();
        let mut last_warning: Option<std::time::Instant> = None;
        tracing::info!("listening on http://{addr}");
        notify_ready();

        tokio::pin!(signal);
        'serve: loop {
            // A free place first: at the limit, idle connections make room.
            let slot = match slots.clone().try_acquire_owned() {
                Ok(slot) => slot,
                Err(_) => {
                    // Once a while, not once a connection: an attack would flood the log.
                    if last_warning.is_none_or(|at| at.elapsed() >= WARNING_INTERVAL) {
                        tracing::warn!(
                            max_connections,
                            "at the connection limit: closing idle connections, new ones wait"
                        );
                        last_warning = Some(std::time::Instant::now());
                    }
                    loop {
                        limits
                            .connections
                            .close_quiet(&limits.clock, QUIET_UNDER_PRESSURE);
                        tokio::select! {
                            slot = slots.clone().acquire_owned() => match slot {
                                Ok(slot) => break slot,
                                Err(_) => break 'serve,
                            },
                            () = tokio::time::sleep(activity::TICK * 2) => {}
                            () = &mut signal => break 'serve,
                        }
                    }
                }
            };
            let (stream, peer) = tokio::select! {
                accepted = self.listener.accept() => match accepted {
                    Ok(conn) => {
                        backoff.reset();
                        conn
                    }
                    Err(err) => {
                        if budget::is_out_of_descriptors(&err) {
                            // Out of file descriptors: make room, wait, then go on.
                            limits.connections.close_quiet(&limits.clock, QUIET_UNDER_PRESSURE);
                            let wait = backoff.next();
                            tracing::warn!(error = %err, open = limits.connections.count(), ?wait, "accept failed; waiting");
                            tokio::time::sleep(wait).await;
                        } else {
                            tracing::debug!(error = %err, "accept failed");
                        }
                        continue;
                    }
                },
                () = &mut signal => break,
            };
            let _ = stream.set_nodelay(true);
            let stack = built.stack(Some(peer), Some(&limits.uploads));
            let limits = limits.clone();
            tasks.spawn(async move {
                if let Err(err) = connection::serve(stream, stack, &limits).await {
                    tracing::debug!(error = %err, %peer, "connection ended with an error");
                }
                drop(slot);
            });
        }
        drop(self.listener);
        tracing::info!("shutting down: draining in-flight requests");
        limits.connections.shut_down();
        tasks.close();
        let background = built.core.background().clone();
        background.close();
        let drained = async {
            tasks.wait().await;
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

/// The listening socket handed over in `LISTEN_FDS`, if any (`LISTEN_PID`, when set, must be
/// this process).
fn inherited_listener() -> io::Result<Option<TcpListener>> {
    let Some(listener) = listenfd::ListenFd::from_env().take_tcp_listener(0)? else {
        return Ok(None);
    };
    listener.set_nonblocking(true)?;
    TcpListener::from_std(listener).map(Some)
}

/// `READY=1` to `NOTIFY_SOCKET`, when whoever started the server asks for it.
fn notify_ready() {
    #[cfg(unix)]
    if let Some(path) = std::env::var_os("NOTIFY_SOCKET") {
        let sent = std::os::unix::net::UnixDatagram::unbound()
            .and_then(|socket| socket.send_to(b"READY=1", &path));
        if let Err(err) = sent {
            tracing::warn!(error = %err, "could not tell NOTIFY_SOCKET the server is ready");
        }
    }
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
