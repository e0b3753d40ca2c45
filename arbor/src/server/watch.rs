//! Watching open connections: closing those that sit idle or send their request head too
//! slowly, closing idle ones first when the server is out of connections, and finishing all
//! of them at shutdown.
//!
//! Each connection registers its task's waker once and, when polled, checks two flags and
//! whether its one timer has fired (three loads, no clock read). The timer is set for the
//! moment the connection would next be overdue; when it fires, the connection's
//! [`Activity`] says whether it is. Written here rather than taken from hyper-util's
//! `GracefulShutdown`, which polls a notification future every time a connection is polled,
//! and because hyper's own head timer reads the clock and resets a timer on every request.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use pin_project_lite::pin_project;
use tokio::time::Sleep;

use super::activity::{Activity, Clock, State, TICK};

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

    /// Out of connections: closes those that have had no request in a handler and moved no
    /// byte for `quiet`, idle keep-alive connections and slow heads alike. Returns how many.
    pub(crate) fn close_idle(&self, clock: &Clock, quiet: Duration) -> usize {
        let now = clock.now();
        let quiet = millis(quiet);
        let open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let mut closed = 0;
        for (waker, activity) in open.values() {
            let since = match activity.state() {
                State::Busy => continue,
                State::Idle(since) | State::ReadingHead(since) => since,
            };
            if now.saturating_sub(since) >= quiet {
                activity.close.store(true, Ordering::Relaxed);
                waker.wake_by_ref();
                closed += 1;
            }
        }
        closed
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
        deadlines: Deadlines,
        timer: Pin<Box<Sleep>>,
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
    pub(crate) fn new(
        conn: C,
        connections: Arc<Connections>,
        activity: Arc<Activity>,
        deadlines: Deadlines,
    ) -> Self {
        let id = connections.next_id.fetch_add(1, Ordering::Relaxed);
        let first =
            activity.clock.instant(activity.clock.now()) + deadlines.keep_alive.min(deadlines.head);
        Watched {
            conn,
            connections,
            activity,
            deadlines,
            timer: Box::pin(tokio::time::sleep_until(first)),
            id,
            registered: None,
            finishing: false,
        }
    }
}

/// What a connection's timer found.
enum Verdict {
    /// Overdue: close it.
    Close(&'static str),
    /// Look again at this clock reading.
    Later(u64),
}

fn verdict(activity: &Activity, deadlines: &Deadlines) -> Verdict {
    let now = activity.clock.now();
    let (since, allowed, why) = match activity.state() {
        State::Busy => return Verdict::Later(now + millis(deadlines.keep_alive)),
        State::ReadingHead(since) => (since, deadlines.head, "request head timeout"),
        State::Idle(since) => (since, deadlines.keep_alive, "keep-alive timeout"),
    };
    let due = since + millis(allowed);
    if now >= due {
        Verdict::Close(why)
    } else {
        Verdict::Later(due)
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX / 2)
}

impl<C: Graceful> Future for Watched<C> {
    /// `None` when the connection was closed before its first request.
    type Output = Result<Option<C::Done>, BoxError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        if !*this.finishing {
            let first = this.registered.is_none();
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
            if first {
                // Registers the timer with this task.
                let _ = this.timer.as_mut().poll(cx);
            }
            // Checked after registering, so a shutdown that began meanwhile is not missed.
            let mut close = if this.connections.shutting_down() {
                Some("shutdown")
            } else if this.activity.close.load(Ordering::Relaxed) {
                Some("the server is at its connection limit")
            } else {
                None
            };
            if close.is_none() && this.timer.is_elapsed() {
                match verdict(this.activity, this.deadlines) {
                    Verdict::Close(why) => close = Some(why),
                    Verdict::Later(reading) => {
                        // A tick later, so the coarse clock has passed `reading` by then.
                        let at = this.activity.clock.instant(reading) + TICK;
                        this.timer.as_mut().reset(at);
                        if this.timer.as_mut().poll(cx).is_ready() {
                            cx.waker().wake_by_ref();
                        }
                    }
                }
            }
            if let Some(why) = close {
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
        this.conn
            .poll(cx)
            .map(|done| done.map(Some).map_err(Into::into))
    }
}
