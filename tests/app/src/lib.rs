//! An app that uses every Arbor convention; `tests/behaviour` requests it over real HTTP.

use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use arbor_test_support::TestServer;

arbor::app!(pub, state = AppState);

/// What the `/abort/*` handlers' watchers saw.
pub mod abort {
    use std::sync::atomic::AtomicBool;

    /// `/abort/wait` is running.
    pub static STARTED_WAIT: AtomicBool = AtomicBool::new(false);
    /// `/abort/wait`'s client went away.
    pub static ABORTED_WAIT: AtomicBool = AtomicBool::new(false);
    /// `/abort/stream`'s client went away mid-stream.
    pub static ABORTED_STREAM: AtomicBool = AtomicBool::new(false);
}

/// What `/after-work` and its `after()` future record.
pub mod after_work {
    use std::sync::atomic::{AtomicBool, AtomicUsize};

    /// Set by the handler just before it answers.
    pub static ANSWERED: AtomicBool = AtomicBool::new(false);
    /// 1 per future that ran after its handler answered (1000 if one ran before).
    pub static DONE: AtomicUsize = AtomicUsize::new(0);
}

/// What `/events` and its producer share with the routes that steer and report it.
pub mod events {
    use std::sync::atomic::{AtomicBool, AtomicUsize};

    /// Events made so far.
    pub static PRODUCED: AtomicUsize = AtomicUsize::new(0);
    /// Whether the producer stopped (its client went away).
    pub static STOPPED: AtomicBool = AtomicBool::new(false);
    /// Lets the producer make its next event.
    pub static NEXT: tokio::sync::Notify = tokio::sync::Notify::const_new();
}

/// What the handlers share.
#[derive(Clone, Default)]
pub struct AppState {
    /// Incremented by `POST /counter`.
    pub hits: Arc<AtomicU64>,
    /// Reported by `POST /counter`.
    pub name: &'static str,
}

/// The test app with its state.
pub fn app() -> arbor::App {
    app::router().with_state(AppState {
        name: "test",
        ..AppState::default()
    })
}

/// Serves the test app on a free loopback port.
pub async fn start() -> TestServer {
    TestServer::serve(app()).await
}

/// Serves the test app after `configure` adjusts its settings.
pub async fn start_with(configure: impl FnOnce(arbor::App) -> arbor::App) -> TestServer {
    TestServer::serve(configure(app())).await
}
