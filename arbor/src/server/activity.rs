//! What each connection is doing, as cheaply as it can be known: when it last moved a byte,
//! whether a request is in its handler, and since when the bytes of a request head have been
//! arriving. The watcher ([`super::watch`]) reads it to close idle and slow connections.
//!
//! Times are readings of one coarse clock ([`Clock`]), a counter of milliseconds a task of
//! the server advances ten times a second: reading it is one load, where reading the system
//! clock on every socket read would cost each request more than the rest of this module.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::rt::{Read, ReadBufCursor, Write};
use pin_project_lite::pin_project;
use tokio::time::Instant;

/// How often the coarse clock moves on.
pub(crate) const TICK: Duration = Duration::from_millis(100);

/// Milliseconds since the server started, plus one (0 means "never"), advanced every
/// [`TICK`] by [`Clock::run`].
#[derive(Debug)]
pub(crate) struct Clock {
    start: Instant,
    now: AtomicU64,
}

impl Clock {
    pub(crate) fn new() -> Arc<Clock> {
        Arc::new(Clock {
            start: Instant::now(),
            now: AtomicU64::new(1),
        })
    }

    /// The current reading (never 0).
    #[inline]
    pub(crate) fn now(&self) -> u64 {
        self.now.load(Relaxed)
    }

    /// The instant a reading stands for.
    pub(crate) fn instant(&self, reading: u64) -> Instant {
        self.start + Duration::from_millis(reading.saturating_sub(1))
    }

    /// Advances the clock until `clock` is the last handle to it.
    pub(crate) async fn run(clock: Arc<Clock>) {
        let mut ticks = tokio::time::interval(TICK);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        while Arc::strong_count(&clock) > 1 {
            ticks.tick().await;
            let elapsed = clock.start.elapsed().as_millis();
            clock
                .now
                .store(u64::try_from(elapsed).unwrap_or(u64::MAX - 1) + 1, Relaxed);
        }
    }
}

/// One connection's activity.
#[derive(Debug)]
pub(crate) struct Activity {
    pub(crate) clock: Arc<Clock>,
    /// Requests in a handler (their response head not yet given to hyper).
    in_flight: AtomicU32,
    /// Requests taken so far.
    served: AtomicU64,
    /// The last time a byte was read or written or a handler answered.
    last_active: AtomicU64,
    /// When the bytes of the next request head began arriving; 0 when none are pending.
    head_since: AtomicU64,
    /// Set when the server needs the connection's place: it is closed when next polled.
    pub(crate) close: AtomicBool,
}

/// What the watcher concludes about a connection.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum State {
    /// A request is in a handler.
    Busy,
    /// Bytes of a request head arriving since this reading.
    ReadingHead(u64),
    /// Nothing since this reading.
    Idle(u64),
}

impl Activity {
    pub(crate) fn new(clock: Arc<Clock>) -> Arc<Activity> {
        let now = clock.now();
        Arc::new(Activity {
            clock,
            in_flight: AtomicU32::new(0),
            served: AtomicU64::new(0),
            last_active: AtomicU64::new(now),
            head_since: AtomicU64::new(0),
            close: AtomicBool::new(false),
        })
    }

    pub(crate) fn state(&self) -> State {
        if self.in_flight.load(Relaxed) > 0 {
            return State::Busy;
        }
        match self.head_since.load(Relaxed) {
            0 => State::Idle(self.last_active.load(Relaxed)),
            since => State::ReadingHead(since),
        }
    }

    /// Whether any request came in on this connection.
    pub(crate) fn has_served(&self) -> bool {
        self.served.load(Relaxed) > 0
    }

    #[inline]
    fn read(&self) {
        let now = self.clock.now();
        self.last_active.store(now, Relaxed);
        if self.in_flight.load(Relaxed) == 0 && self.head_since.load(Relaxed) == 0 {
            self.head_since.store(now, Relaxed);
        }
    }

    #[inline]
    fn wrote(&self) {
        self.last_active.store(self.clock.now(), Relaxed);
    }

    /// A request's head has arrived and goes to its handler.
    #[inline]
    pub(crate) fn begin(self: &Arc<Self>) -> InFlight {
        self.in_flight.fetch_add(1, Relaxed);
        self.served.fetch_add(1, Relaxed);
        self.head_since.store(0, Relaxed);
        InFlight(self.clone())
    }
}

/// A request in its handler; dropped when the handler answers (or is dropped).
#[derive(Debug)]
pub(crate) struct InFlight(Arc<Activity>);

impl Drop for InFlight {
    #[inline]
    fn drop(&mut self) {
        self.0.last_active.store(self.0.clock.now(), Relaxed);
        self.0.in_flight.fetch_sub(1, Relaxed);
    }
}

pin_project! {
    /// A handler's future, counted while it runs.
    pub(crate) struct Counted<F> {
        #[pin]
        future: F,
        _in_flight: InFlight,
    }
}

impl<F> Counted<F> {
    pub(crate) fn new(future: F, in_flight: InFlight) -> Self {
        Counted {
            future,
            _in_flight: in_flight,
        }
    }
}

impl<F: Future> Future for Counted<F> {
    type Output = F::Output;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.project().future.poll(cx)
    }
}

pin_project! {
    /// The connection's socket, noting when bytes move.
    pub(crate) struct Tracked<I> {
        #[pin]
        io: I,
        activity: Arc<Activity>,
    }
}

impl<I> Tracked<I> {
    pub(crate) fn new(io: I, activity: Arc<Activity>) -> Self {
        Tracked { io, activity }
    }
}

impl<I: Read> Read for Tracked<I> {
    #[inline]
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.project();
        let polled = this.io.poll_read(cx, buf);
        if polled.is_ready() {
            this.activity.read();
        }
        polled
    }
}

impl<I: Write> Write for Tracked<I> {
    #[inline]
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.project();
        let polled = this.io.poll_write(cx, buf);
        if polled.is_ready() {
            this.activity.wrote();
        }
        polled
    }

    #[inline]
    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.project();
        let polled = this.io.poll_write_vectored(cx, bufs);
        if polled.is_ready() {
            this.activity.wrote();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.project().io.poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.project().io.poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_connection_is_idle_then_reads_a_head_then_is_busy_then_idle() {
        let clock = Clock::new();
        let activity = Activity::new(clock.clone());
        assert_eq!(activity.state(), State::Idle(1));
        assert!(!activity.has_served());
        clock.now.store(50, Relaxed);
        activity.read();
        assert_eq!(activity.state(), State::ReadingHead(50));
        let in_flight = activity.begin();
        assert_eq!(activity.state(), State::Busy);
        clock.now.store(90, Relaxed);
        activity.read(); // the body: not a head
        assert_eq!(activity.state(), State::Busy);
        clock.now.store(120, Relaxed);
        drop(in_flight);
        assert_eq!(activity.state(), State::Idle(120));
        assert!(activity.has_served());
        clock.now.store(130, Relaxed);
        activity.wrote();
        assert_eq!(activity.state(), State::Idle(130));
    }
}
