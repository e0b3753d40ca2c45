//! What a running handler (or the middleware) leaves behind for after its answer: the
//! futures it gave `after()`, and the abort signal it asked its request for.
//!
//! `after()` and `Request::signal()` are called from any depth of a handler, as Next.js's
//! `after()` and `request.signal` are, so what they register is kept in an ambient scope, as
//! the cache is (`cache::scope`): a thread-local set while the handler's future is polled.
//! When the handler answers, what it left rides on the response body ([`Finish`]); when that
//! body is dropped, the `after` futures are spawned on the app's background tracker (which
//! graceful shutdown drains), and the signal fires if the body had not been sent whole: the
//! client went away. A handler dropped before it answered (its client gone, or its time up)
//! does the same at once.

use std::cell::Cell;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::future::BoxFuture;
use futures_util::FutureExt;
use http_body::{Body as HttpBody, Frame, SizeHint};
use pin_project_lite::pin_project;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::body::Body;

/// What one request's handler left.
#[derive(Default)]
pub(crate) struct Held {
    /// The futures given `after()`, in order.
    pub(crate) after: Vec<BoxFuture<'static, ()>>,
    /// The request's abort signal, once the handler asked for it.
    pub(crate) abort: Option<CancellationToken>,
}

impl Held {
    pub(crate) fn is_empty(&self) -> bool {
        self.after.is_empty() && self.abort.is_none()
    }
}

thread_local! {
    /// What the handler being polled on this thread left; `None` outside a handler.
    static CURRENT: Cell<Option<Held>> = const { Cell::new(None) };
}

/// Runs `f` on what the handler being polled left; `None` outside a handler.
pub(crate) fn with_current<R>(f: impl FnOnce(&mut Held) -> R) -> Option<R> {
    CURRENT.with(|current| {
        let mut held = current.take()?;
        let out = f(&mut held);
        current.set(Some(held));
        Some(out)
    })
}

/// Makes a handler's registrations go to `slot` for one poll, and puts back what was there
/// afterwards, even if the poll panics.
pub(crate) struct Scope<'a> {
    slot: &'a mut Held,
    previous: Option<Held>,
}

impl<'a> Scope<'a> {
    pub(crate) fn enter(slot: &'a mut Held) -> Self {
        let previous = CURRENT.with(|current| current.replace(Some(std::mem::take(slot))));
        Scope { slot, previous }
    }
}

impl Drop for Scope<'_> {
    fn drop(&mut self) {
        let previous = self.previous.take();
        *self.slot = CURRENT
            .with(|current| current.replace(previous))
            .unwrap_or_default();
    }
}

/// What a handler left, and where its `after` futures run: handled when this is dropped.
pub(crate) struct Finish {
    held: Held,
    tracker: TaskTracker,
    /// Whether the answer went out whole: the signal does not fire then.
    sent: bool,
}

impl Finish {
    /// What `held` holds, or `None` when it holds nothing.
    pub(crate) fn new(held: &mut Held, tracker: &TaskTracker) -> Option<Finish> {
        (!held.is_empty()).then(|| Finish {
            held: std::mem::take(held),
            tracker: tracker.clone(),
            sent: false,
        })
    }

    /// The handler answered (or panicked, which is no abort): only its `after` futures are
    /// left to run.
    pub(crate) fn answered(mut self) -> Self {
        self.sent = true;
        self
    }

    /// Rides on `response`'s body, until it is sent or dropped.
    pub(crate) fn attach(self, response: http::Response<Body>) -> http::Response<Body> {
        response.map(|inner| {
            Body::new(FinishBody {
                inner,
                finish: self,
            })
        })
    }
}

impl Drop for Finish {
    fn drop(&mut self) {
        if let Some(abort) = self.held.abort.take() {
            if !self.sent {
                abort.cancel();
            }
        }
        let after = std::mem::take(&mut self.held.after);
        if after.is_empty() {
            return;
        }
        self.tracker.spawn(async move {
            for future in after {
                guarded(future).await;
            }
        });
    }
}

/// A registered future, its panic logged rather than lost.
pub(crate) async fn guarded(future: BoxFuture<'static, ()>) {
    if let Err(panic) = AssertUnwindSafe(future).catch_unwind().await {
        tracing::error!(
            panic = crate::error::panic_message(&*panic),
            "an after() callback panicked"
        );
    }
}

pin_project! {
    /// A response body carrying what its handler left until it is dropped.
    struct FinishBody {
        #[pin]
        inner: Body,
        finish: Finish,
    }
}

impl HttpBody for FinishBody {
    type Data = bytes::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let this = self.project();
        let polled = this.inner.poll_frame(cx);
        if let Poll::Ready(None) = polled {
            this.finish.sent = true;
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
