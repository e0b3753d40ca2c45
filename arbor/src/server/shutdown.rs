//! Telling open connections to finish. Each connection registers its task's waker once and
//! checks a flag when polled; shutdown sets the flag and wakes them all, and each then starts
//! hyper's graceful shutdown: answer what is in flight, take no more.
//!
//! Written here rather than taken from hyper-util's `GracefulShutdown`, which polls a
//! notification future every time a connection is polled: this costs one atomic load.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use pin_project_lite::pin_project;

/// The signal every connection watches.
#[derive(Default)]
pub(crate) struct Shutdown {
    started: AtomicBool,
    next_id: AtomicU64,
    wakers: Mutex<HashMap<u64, Waker>>,
}

impl Shutdown {
    /// Tells every connection to finish.
    pub(crate) fn begin(&self) {
        self.started.store(true, Ordering::SeqCst);
        let wakers = self.wakers.lock().unwrap_or_else(|p| p.into_inner());
        for waker in wakers.values() {
            waker.wake_by_ref();
        }
    }

    fn started(&self) -> bool {
        self.started.load(Ordering::SeqCst)
    }
}

/// A connection hyper can finish gracefully.
pub(crate) trait Graceful: Future {
    /// Answers what is in flight, takes no more requests.
    fn graceful_shutdown(self: Pin<&mut Self>);
}

pin_project! {
    /// A connection that finishes when the shutdown begins.
    pub(crate) struct Watched<C> {
        #[pin]
        conn: C,
        shutdown: Arc<Shutdown>,
        id: u64,
        // The waker registered for this connection, to tell when the task's changes.
        registered: Option<Waker>,
        finishing: bool,
    }

    impl<C> PinnedDrop for Watched<C> {
        fn drop(this: Pin<&mut Self>) {
            let this = this.project();
            if this.registered.is_some() {
                let mut wakers = this.shutdown.wakers.lock().unwrap_or_else(|p| p.into_inner());
                wakers.remove(this.id);
            }
        }
    }
}

impl<C> Watched<C> {
    pub(crate) fn new(conn: C, shutdown: Arc<Shutdown>) -> Self {
        let id = shutdown.next_id.fetch_add(1, Ordering::Relaxed);
        Watched {
            conn,
            shutdown,
            id,
            registered: None,
            finishing: false,
        }
    }
}

impl<C: Graceful> Future for Watched<C> {
    type Output = C::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<C::Output> {
        let mut this = self.project();
        if !*this.finishing {
            if !this
                .registered
                .as_ref()
                .is_some_and(|waker| waker.will_wake(cx.waker()))
            {
                let mut wakers = this
                    .shutdown
                    .wakers
                    .lock()
                    .unwrap_or_else(|p| p.into_inner());
                wakers.insert(*this.id, cx.waker().clone());
                *this.registered = Some(cx.waker().clone());
            }
            // Checked after registering, so a shutdown that began meanwhile is not missed.
            if this.shutdown.started() {
                *this.finishing = true;
                this.conn.as_mut().graceful_shutdown();
            }
        }
        this.conn.poll(cx)
    }
}
