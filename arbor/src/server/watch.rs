//! Watching open connections: closing those that sit idle or send their request head too
//! slowly, closing quiet ones first when the server is out of connections, and finishing all
//! of them at shutdown.
//!
//! One thread of the server ([`watch`]) looks at every connection's [`Activity`] five times
//! a second and flags the overdue ones; a connection checks its flag and the shutdown's when
//! it is polled (two loads). No connection has a timer of its own: a timer per connection
//! costs every request (the runtime looks for the next deadline each time it parks), and
//! hyper's own head timer reads the clock and resets a timer on every request. Written here
//! rather than taken from hyper-util's `GracefulShutdown`, which polls a notification
//! future every time a connection is polled.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use pin_project_lite::pin_project;

use super::activity::{Activity, Clock, Close, State, TICK};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The server's open connections.
pub(crate) struct Connections {
    started: AtomicBool,
    next_id: AtomicU64,
    open: Mutex<HashMap<u64, (Waker, Arc<Activity>)>>,
}

impl Connections {
    pub(crate) fn new() -> Arc<Connections> {
        Arc::new(Connections {
            started: AtomicBool::new(false),
            next_id: AtomicU64::new(0),
            open: Mutex::new(HashMap::new()),
        })
    }

    /// Tells every connection to finish: what is in flight is answered, no more is taken.
    pub(crate) fn shut_down(&self) {
        self.started.store(true, Ordering::SeqCst);
        let open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        for (waker, _) in open.values() {
            waker.wake_by_ref();
        }
    }

    fn shutting_down(&self) -> bool {
        self.started.load(Ordering::SeqCst)
    }

    /// Flags every connection that `overdue` says to close, and wakes it. Returns how many.
    fn close_where(&self, overdue: impl Fn(&Activity) -> Option<Close>) -> usize {
        let open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let mut closed = 0;
        for (waker, activity) in open.values() {
            if activity.closing().is_some() {
                continue;
            }
            if let Some(why) = overdue(activity) {
                activity.close(why);
                waker.wake_by_ref();
                closed += 1;
            }
        }
        closed
    }

    /// Out of connections: closes those that have had no request in a handler and moved no
    /// byte for `quiet`, idle keep-alive connections and slow heads alike. Returns how many.
    pub(crate) fn close_quiet(&self, clock: &Clock, quiet: Duration) -> usize {
        let now = clock.now();
        let quiet = millis(quiet);
        self.close_where(|activity| match activity.state() {
            State::Busy => None,
            State::Idle(since) | State::ReadingHead(since) => {
                (now.saturating_sub(since) >= quiet).then_some(Close::Limit)
            }
        })
    }

    /// Closes the connections idle past the keep-alive timeout, or slower than the head
    /// timeout to send a request head.
    fn close_overdue(&self, clock: &Clock, deadlines: &Deadlines) -> usize {
        let now = clock.now();
        self.close_where(|activity| {
            let (since, allowed, why) = match activity.state() {
                State::Busy => return None,
                State::ReadingHead(since) => (since, deadlines.head, Close::Head),
                State::Idle(since) => (since, deadlines.keep_alive, Close::KeepAlive),
            };
            (now.saturating_sub(since) >= millis(allowed)).then_some(why)
        })
    }

    /// How many connections are open and registered.
    pub(crate) fn count(&self) -> usize {
        self.open.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

/// How long a connection may sit idle, and take to send a request head.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadlines {
    pub(crate) keep_alive: Duration,
    pub(crate) head: Duration,
}

/// Advances the clock every [`TICK`] and closes overdue connections every other tick, until
/// the shutdown begins or the server is gone. It runs on a thread of its own, not as a task
/// with a timer: while any timer is pending, the runtime looks for the next deadline every
/// time a worker parks, which a busy server does between most requests.
pub(crate) fn watch(connections: Weak<Connections>, clock: Arc<Clock>, deadlines: Deadlines) {
    for tick in 0u64.. {
        std::thread::sleep(TICK);
        let Some(connections) = connections.upgrade() else {
            break;
        };
        if connections.shutting_down() {
            break;
        }
        clock.advance();
        if tick % 2 == 1 {
            connections.close_overdue(&clock, &deadlines);
        }
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX / 2)
}

/// How recent a connection's last byte (or its accepting) must be, at shutdown, for its first
/// request to be awaited and answered rather than the connection dropped.
const FRESH_AT_SHUTDOWN: Duration = Duration::from_secs(1);

/// A connection hyper can finish gracefully.
pub(crate) trait Graceful: Future<Output = Result<Self::Done, Self::Error>> {
    /// What the connection gives when it ends well.
    type Done;
    /// What the connection fails with.
    type Error: Into<BoxError>;
    /// Answers what is in flight, takes no more requests.
    fn graceful_shutdown(self: Pin<&mut Self>);
}

pin_project! {
    /// A connection closed when it is overdue, when the server needs its place, or when
    /// the shutdown begins.
    pub(crate) struct Watched<C> {
        #[pin]
        conn: C,
        connections: Arc<Connections>,
        activity: Arc<Activity>,
        id: u64,
        // The waker registered for this connection, to tell when the task's changes.
        registered: Option<Waker>,
        finishing: bool,
    }

    impl<C> PinnedDrop for Watched<C> {
        fn drop(this: Pin<&mut Self>) {
            let this = this.project();
            if this.registered.is_some() {
                let mut open = this.connections.open.lock().unwrap_or_else(|p| p.into_inner());
                open.remove(this.id);
            }
        }
    }
}

impl<C> Watched<C> {
    pub(crate) fn new(conn: C, connections: Arc<Connections>, activity: Arc<Activity>) -> Self {
        let id = connections.next_id.fetch_add(1, Ordering::Relaxed);
        Watched {
            conn,
            connections,
            activity,
            id,
            registered: None,
            finishing: false,
        }
    }
}

impl<C: Graceful> Future for Watched<C> {
    /// `None` when the connection was closed before its first request.
    type Output = Result<Option<C::Done>, BoxError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        if !*this.finishing {
            if !this
                .registered
                .as_ref()
                .is_some_and(|waker| waker.will_wake(cx.waker()))
            {
                let mut open = this
                    .connections
                    .open
                    .lock()
                    .unwrap_or_else(|p| p.into_inner());
                open.insert(*this.id, (cx.waker().clone(), this.activity.clone()));
                *this.registered = Some(cx.waker().clone());
            }
            // Checked after registering, so a shutdown that began meanwhile is not missed.
            let close = if this.connections.shutting_down() {
                Some("shutdown")
            } else {
                this.activity.closing().map(Close::reason)
            };
            if let Some(why) = close {
                // A connection accepted just before a shutdown, with no request yet: its
                // request is on its way (a client that connected while `arbor dev` swapped
                // servers). It runs on until that request is in, then closes gracefully.
                let awaiting_first = why == "shutdown"
                    && !this.activity.has_served()
                    && this.activity.is_fresh(FRESH_AT_SHUTDOWN);
                if !awaiting_first {
                    *this.finishing = true;
                    if !this.activity.has_served() {
                        // No request yet: nothing to answer or flush, and hyper's graceful
                        // shutdown would wait for the first request.
                        tracing::debug!(reason = why, "connection closed before its first request");
                        return Poll::Ready(Ok(None));
                    }
                    tracing::debug!(reason = why, "closing connection");
                    this.conn.as_mut().graceful_shutdown();
                }
            }
        }
        let polled = this.conn.as_mut().poll(cx);
        if polled.is_pending()
            && !*this.finishing
            && this.connections.shutting_down()
            && this.activity.has_served()
        {
            // The awaited first request came in (and may be answered already): close now.
            *this.finishing = true;
            this.conn.as_mut().graceful_shutdown();
            return this
                .conn
                .poll(cx)
                .map(|done| done.map(Some).map_err(Into::into));
        }
        polled.map(|done| done.map(Some).map_err(Into::into))
    }
}
