//! What a running handler (or the middleware) leaves behind for after its answer: the
//! futures it gave `after()`, and the abort signal it asked its request for.
//!
//! `after()` and `Request::signal()` are called from any depth of a handler, as Next.js's
//! `after()` and `request.signal` are, so what they register is kept in the handler's ambient
//! scope with its cache (`cache::scope`): a thread-local set while its future is polled.
//! When the handler answers, what it left rides on the response body ([`Finish`]); when that
//! body is dropped, the `after` futures are spawned on the app's background tracker (which
//! graceful shutdown drains), and the signal fires if the body had not been sent whole: the
//! client went away. A handler dropped before it answered (its client gone, or its time up)
//! does the same at once.

use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::future::BoxFuture;
use futures_util::FutureExt;
use http_body::{Body as HttpBody, Frame, SizeHint};
use pin_project_lite::pin_project;
use tokio_util::task::TaskTracker;

use crate::body::Body;

pub(crate) use crate::cache::with_registered as with_current;
pub(crate) use crate::registered::Held;

/// What a handler left, and where its `after` futures run: handled when this is dropped.
pub(crate) struct Finish {
    held: Box<crate::registered::Registered>,
    tracker: TaskTracker,
    /// Whether the answer went out whole: the signal does not fire then.
    sent: bool,
}

impl Finish {
    /// What `held` holds, or `None` when it holds nothing.
    pub(crate) fn new(held: &mut Held, tracker: &TaskTracker) -> Option<Finish> {
        let held = held.0.take()?;
        Some(Finish {
            held,
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
