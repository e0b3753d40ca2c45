//! The HTTP server: a thin accept loop serving an [`App`] over HTTP/1.1 and HTTP/2
//! (cleartext, prior knowledge) on one port, with graceful shutdown. What happens to a
//! request is the app's: its layers (the request log, compression, the body limit, yours)
//! and its request path.

mod connection;
mod shutdown;

use std::future::Future;
use std::io::{self, IsTerminal};
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use std::sync::Arc;

use tokio::net::{TcpListener, ToSocketAddrs};
use tokio_util::task::TaskTracker;

use crate::app::{App, Served};
use shutdown::Shutdown;

/// How long shutdown waits for in-flight requests before closing their connections.
pub const DEFAULT_SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(10);

/// A bound listener and how to serve on it.
///
/// ```no_run
/// # async fn run(app: arbor::App) -> std::io::Result<()> {
/// let server = arbor::Server::bind("127.0.0.1:0").await?;
/// println!("listening on {}", server.local_addr()?);
/// server.serve(app).await
/// # }
/// ```
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    host: Option<String>,
    shutdown_timeout: Duration,
}

impl Server {
    /// Binds to `addr` (`"127.0.0.1:3000"`, `"[::1]:0"`...).
    pub async fn bind(addr: impl ToSocketAddrs) -> io::Result<Server> {
        Ok(Server {
            listener: TcpListener::bind(addr).await?,
            host: None,
            shutdown_timeout: DEFAULT_SHUTDOWN_TIMEOUT,
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
        self,
        app: App,
        signal: impl Future<Output = ()> + Send,
    ) -> io::Result<()> {
        let addr = self.listener.local_addr()?;
        let built = app.build(Some(Served {
            origin: origin(self.host.as_deref(), addr),
            port: addr.port(),
        }))?;
        built.core.prerender().await?;
        let shutdown = Arc::new(Shutdown::default());
        let connections = TaskTracker::new();
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
                    let stack = built.stack(Some(peer));
                    let shutdown = shutdown.clone();
                    connections.spawn(async move {
                        if let Err(err) = connection::serve(stream, stack, shutdown).await {
                            tracing::debug!(error = %err, %peer, "connection ended with an error");
                        }
                    });
                }
                () = &mut signal => break,
            }
        }
        drop(self.listener);
        tracing::info!("shutting down: draining in-flight requests");
        shutdown.begin();
        connections.close();
        let background = built.core.background().clone();
        background.close();
        let drained = async {
            connections.wait().await;
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
