//! Running one handler (a route's, the not-found file's, or the middleware): its app's cache in
//! scope while it is polled, and its panics caught.
//!
//! One small future does both around the boxed handler future, instead of a stack of
//! wrappers per request.

use std::any::Any;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use crate::cache::{Cache, Entered};

/// A handler's future, polled with its cache in scope; `None` when it panicked (logged).
pub(crate) struct Run<F> {
    future: Option<F>,
    cache: Option<Arc<Cache>>,
    /// What ran, for the log line of a panic: the route pattern, `middleware`, `not-found`.
    what: &'static str,
}

impl<F> Run<F> {
    pub(crate) fn new(future: F, cache: Arc<Cache>, what: &'static str) -> Self {
        Run {
            future: Some(future),
            cache: Some(cache),
            what,
        }
    }
}

impl<F: Future + Unpin> Future for Run<F> {
    type Output = Option<F::Output>;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let Some(future) = this.future.as_mut() else {
            return Poll::Ready(None);
        };
        let polled = {
            let _entered = Entered::new(&mut this.cache);
            catch_unwind(AssertUnwindSafe(|| Pin::new(future).poll(cx)))
        };
        match polled {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(output)) => {
                this.future = None;
                Poll::Ready(Some(output))
            }
            Err(panic) => {
                this.future = None;
                tracing::error!(
                    route = this.what,
                    panic = panic_message(&*panic),
                    "handler panicked; answered 500"
                );
                Poll::Ready(None)
            }
        }
    }
}

/// What a panic said, for its log line.
pub(crate) fn panic_message(panic: &(dyn Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "non-string panic payload".to_owned()
    }
}
