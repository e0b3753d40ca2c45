//! What each connection is doing, as cheaply as it can be known: when it last moved a byte,
//! whether a request is in its handler, and since when the bytes of a request head have been
//! arriving. The watcher ([`super::watch`]) reads it to close idle and slow connections.
//!
//! Times are readings of one coarse clock ([`Clock`]), a counter of milliseconds the
//! server's watcher advances ten times a second: reading it is one load, where reading the
//! system clock on every socket read would cost each request more than the rest of this
//! module. An HTTP/1.1 connection, which has one request at a time, is busy from a request's
//! head until the server writes; an HTTP/2 connection counts its requests in their handlers.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicU8, Ordering::Relaxed};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::rt::{Read, ReadBufCursor, Write};
use pin_project_lite::pin_project;
use tokio::time::Instant;

/// How often the coarse clock moves on.
pub(crate) const TICK: Duration = Duration::from_millis(100);

/// Milliseconds since the server started, plus one (0 means "never"), advanced every
/// [`TICK`] by the watcher ([`super::watch::watch`]).
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

    /// Moves the clock on to the present.
    pub(crate) fn advance(&self) {
        let elapsed = self.start.elapsed().as_millis();
        self.now
            .store(u64::try_from(elapsed).unwrap_or(u64::MAX - 1) + 1, Relaxed);
    }
}

/// One connection's activity.
#[derive(Debug)]
pub(crate) struct Activity {
    pub(crate) clock: Arc<Clock>,
    /// HTTP/1.1: a request's head has arrived and nothing has been written since.
    busy: AtomicBool,
    /// HTTP/2: streams whose answer is not yet sent.
    in_flight: AtomicU32,
    /// Whether any request came in.
    served: AtomicBool,
    /// The last time a byte was read or written or a handler answered.
    last_active: AtomicU64,
    /// When the bytes of the next request head began arriving; 0 when none are pending.
    head_since: AtomicU64,
    /// Why the watcher closes the connection ([`Close`]); 0 while it stays open.
    close: AtomicU8,
}

/// Why a connection is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Close {
    /// No request and no byte for the keep-alive timeout.
    KeepAlive = 1,
    /// A request head not complete within the head timeout.
    Head = 2,
    /// The server is at its connection limit and the connection is quiet.
    Limit = 3,
}

impl Close {
    pub(crate) fn reason(self) -> &'static str {
        match self {
            Close::KeepAlive => "keep-alive timeout",
            Close::Head => "request head timeout",
            Close::Limit => "at the connection limit",
        }
    }
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
            busy: AtomicBool::new(false),
            in_flight: AtomicU32::new(0),
            served: AtomicBool::new(false),
            last_active: AtomicU64::new(now),
            head_since: AtomicU64::new(0),
            close: AtomicU8::new(0),
        })
    }

    pub(crate) fn state(&self) -> State {
        if self.is_busy() {
            return State::Busy;
        }
        match self.head_since.load(Relaxed) {
            0 => State::Idle(self.last_active.load(Relaxed)),
            since => State::ReadingHead(since),
        }
    }

    #[inline]
    fn is_busy(&self) -> bool {
        self.busy.load(Relaxed) || self.in_flight.load(Relaxed) > 0
    }

    /// Whether any request came in on this connection.
    /// Whether a request head is arriving, or the connection moved a byte (or was accepted)
    /// within `within`.
    pub(crate) fn is_fresh(&self, within: std::time::Duration) -> bool {
        let within = u64::try_from(within.as_millis()).unwrap_or(u64::MAX);
        match self.state() {
            State::Busy | State::ReadingHead(_) => true,
            State::Idle(since) => self.clock.now().saturating_sub(since) < within,
        }
    }

    pub(crate) fn has_served(&self) -> bool {
        self.served.load(Relaxed)
    }

    /// Why the connection is to close, once the watcher says.
    #[inline]
    pub(crate) fn closing(&self) -> Option<Close> {
        match self.close.load(Relaxed) {
            0 => None,
            1 => Some(Close::KeepAlive),
            2 => Some(Close::Head),
            _ => Some(Close::Limit),
        }
    }

    pub(crate) fn close(&self, why: Close) {
        self.close.store(why as u8, Relaxed);
    }

    #[inline]
    fn read(&self) {
        let now = self.clock.now();
        self.last_active.store(now, Relaxed);
        if !self.is_busy() && self.head_since.load(Relaxed) == 0 {
            self.head_since.store(now, Relaxed);
        }
    }

    #[inline]
    fn wrote(&self) {
        self.last_active.store(self.clock.now(), Relaxed);
        self.busy.store(false, Relaxed);
    }

    /// An HTTP/1.1 request's head has arrived: busy until the server writes.
    #[inline]
    pub(crate) fn begin_one(&self) {
        self.busy.store(true, Relaxed);
        self.served.store(true, Relaxed);
        self.head_since.store(0, Relaxed);
    }

    /// An HTTP/2 stream has begun: busy until its answer has been sent.
    pub(crate) fn begin_many(self: &Arc<Self>) -> InFlight {
        self.in_flight.fetch_add(1, Relaxed);
        self.served.store(true, Relaxed);
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
    /// An HTTP/2 stream's task, counted while it runs.
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
    fn an_http1_connection_is_idle_then_reads_a_head_then_is_busy_until_it_writes() {
        let clock = Clock::new();
        let activity = Activity::new(clock.clone());
        assert_eq!(activity.state(), State::Idle(1));
        assert!(!activity.has_served());
        clock.now.store(50, Relaxed);
        activity.read();
        assert_eq!(activity.state(), State::ReadingHead(50));
        activity.begin_one();
        assert_eq!(activity.state(), State::Busy);
        clock.now.store(90, Relaxed);
        activity.read(); // the body: not a head
        assert_eq!(activity.state(), State::Busy);
        clock.now.store(120, Relaxed);
        activity.wrote();
        assert_eq!(activity.state(), State::Idle(120));
        assert!(activity.has_served());
    }

    #[test]
    fn an_http2_connection_is_busy_while_a_handler_runs() {
        let clock = Clock::new();
        let activity = Activity::new(clock.clone());
        let first = activity.begin_many();
        let second = activity.begin_many();
        clock.now.store(70, Relaxed);
        activity.wrote(); // another stream's frames
        assert_eq!(activity.state(), State::Busy);
        drop(first);
        assert_eq!(activity.state(), State::Busy);
        drop(second);
        assert_eq!(activity.state(), State::Idle(70));
        assert_eq!(activity.closing(), None);
        activity.close(Close::Head);
        assert_eq!(activity.closing(), Some(Close::Head));
    }
}
