//! `after(future)`: work that runs once the response has been sent, as Next.js's `after()`.
//!
//! Like the cache functions, `after` is a free function callable from any depth of a route
//! handler or the middleware, so what it registers is kept in the same kind of ambient scope:
//! a thread-local set while the handler's (or the middleware's) future is polled. When the
//! handler answers, the registered futures ride on the response body; when that body is
//! dropped (sent whole, or abandoned by a client that went away) they are spawned, one after
//! the other, on the app's background tracker, which graceful shutdown drains. A handler that
//! panics or is cut off by its time limit has its futures spawned at once.

use std::cell::Cell;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::future::BoxFuture;
use futures_util::FutureExt;
use http_body::{Body as HttpBody, Frame, SizeHint};
use pin_project_lite::pin_project;
use tokio_util::task::TaskTracker;

use crate::body::Body;

/// Futures registered during one request.
pub(crate) type Pending = Vec<BoxFuture<'static, ()>>;

thread_local! {
    /// What the handler being polled on this thread registered; `None` outside a handler.
    static PENDING: Cell<Option<Pending>> = const { Cell::new(None) };
}

/// Runs `future` once the response has been sent (Next.js's `after()`): logging, analytics,
/// cache warming, without delaying the answer. It also runs when the handler answered with an
/// error or a redirect, and graceful shutdown waits for it.
///
/// Call it from a route handler or the middleware, at any depth. Futures registered by one
/// request run one after the other, in the order they were registered; a panic in one is
/// logged and the next still runs.
///
/// ```
/// use arbor::prelude::*;
///
/// pub async fn POST(req: Request) -> Response {
///     let path = req.pathname().to_owned();
///     arbor::after(async move {
///         tracing::info!(path, "comment posted"); // after the client has its answer
///     });
///     Response::json(&serde_json::json!({ "ok": true }))
/// }
/// ```
///
/// Outside a handler (in a task the handler spawned, say) there is no response to wait for:
/// the future is spawned at once, and a warning is logged.
pub fn after<F>(future: F)
where
    F: Future<Output = ()> + Send + 'static,
{
    let future: BoxFuture<'static, ()> = Box::pin(future);
    let outside = PENDING.with(|pending| match pending.take() {
        Some(mut list) => {
            list.push(future);
            pending.set(Some(list));
            None
        }
        None => Some(future),
    });
    if let Some(future) = outside {
        tracing::warn!("after() was called outside a handler or the middleware; running it now");
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => drop(runtime.spawn(guarded(future))),
            Err(_) => tracing::error!("after() was called outside a tokio runtime; dropped"),
        }
    }
}

/// Makes a handler's registrations go to `slot` for one poll, and puts back what was there
/// afterwards, even if the poll panics.
pub(crate) struct Scope<'a> {
    slot: &'a mut Pending,
    previous: Option<Pending>,
}

impl<'a> Scope<'a> {
    pub(crate) fn enter(slot: &'a mut Pending) -> Self {
        let previous = PENDING.with(|pending| pending.replace(Some(std::mem::take(slot))));
        Scope { slot, previous }
    }
}

impl Drop for Scope<'_> {
    fn drop(&mut self) {
        let previous = self.previous.take();
        *self.slot = PENDING
            .with(|pending| pending.replace(previous))
            .unwrap_or_default();
    }
}

/// Registered futures and where they run: spawned, in order, when this is dropped.
pub(crate) struct Callbacks {
    pending: Pending,
    tracker: TaskTracker,
}

impl Callbacks {
    pub(crate) fn new(pending: Pending, tracker: TaskTracker) -> Self {
        Callbacks { pending, tracker }
    }

    /// Rides on `response`'s body: spawned once the body is sent or dropped.
    pub(crate) fn attach(self, response: http::Response<Body>) -> http::Response<Body> {
        response.map(|inner| {
            Body::new(AfterBody {
                inner,
                _callbacks: self,
            })
        })
    }
}

impl Drop for Callbacks {
    fn drop(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let pending = std::mem::take(&mut self.pending);
        self.tracker.spawn(async move {
            for future in pending {
                guarded(future).await;
            }
        });
    }
}

/// A registered future, its panic logged rather than lost.
async fn guarded(future: BoxFuture<'static, ()>) {
    if let Err(panic) = AssertUnwindSafe(future).catch_unwind().await {
        tracing::error!(
            panic = crate::error::panic_message(&*panic),
            "an after() callback panicked"
        );
    }
}

pin_project! {
    /// A response body carrying the request's `after` futures until it is dropped.
    struct AfterBody {
        #[pin]
        inner: Body,
        _callbacks: Callbacks,
    }
}

impl HttpBody for AfterBody {
    type Data = bytes::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        self.project().inner.poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
