//! Running one handler (a route's, the not-found file's, or the middleware): its app's cache in
//! scope while it is polled, and its panics caught.
//!
//! One small future does both around the boxed handler future, instead of a stack of
//! wrappers per request.

use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

type Response = http::Response<Body>;

use crate::answers;
use crate::body::Body;
use crate::cache::{Cache, Entered};
use crate::error::panic_message;
use crate::handler_scope::{Finish, Held};
use crate::instrumentation::Failure;

/// A handler's future, polled with its cache and its `after` registrations in scope. A panic
/// is logged and answered with an empty 500 that reports it.
pub(crate) struct Run<F> {
    future: Option<F>,
    cache: Option<Arc<Cache>>,
    /// What ran, for the log line of a panic: the route pattern, `middleware`, `not-found`.
    what: &'static str,
    /// What the handler left (`after()` futures, its abort signal).
    held: Held,
}

impl<F> Run<F> {
    pub(crate) fn new(future: F, cache: Arc<Cache>, what: &'static str) -> Self {
        Run {
            future: Some(future),
            cache: Some(cache),
            what,
            held: Held::default(),
        }
    }

    /// What the handler left, to handle once the response is sent (on the app's background
    /// tracker, which its cache holds).
    fn finish(&mut self) -> Option<Finish> {
        let cache = self.cache.as_ref()?;
        Finish::new(&mut self.held, &cache.background)
    }
}

impl<F> Drop for Run<F> {
    fn drop(&mut self) {
        // Cut off before it answered (its client gone, its time up): its signal fires, its
        // `after` work runs now.
        drop(self.finish());
    }
}

impl<F: Future<Output = Response> + Unpin> Future for Run<F> {
    type Output = Option<Response>;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let Some(future) = this.future.as_mut() else {
            return Poll::Ready(None);
        };
        let polled = {
            let _entered = Entered::new(&mut this.cache, &mut this.held);
            catch_unwind(AssertUnwindSafe(|| Pin::new(future).poll(cx)))
        };
        match polled {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(mut output)) => {
                this.future = None;
                // A failure the handler's answer reports learns its route here.
                if let Some(failure) = output.extensions_mut().get_mut::<Failure>() {
                    failure.route.get_or_insert(this.what);
                }
                Poll::Ready(Some(match this.finish() {
                    Some(finish) => finish.attach(output),
                    None => output,
                }))
            }
            Err(panic) => {
                this.future = None;
                drop(this.finish().map(Finish::answered));
                let message = panic_message(&*panic);
                tracing::error!(
                    route = this.what,
                    panic = message,
                    "handler panicked; answered 500"
                );
                let mut failure = Failure::route(message, true);
                failure.route = Some(this.what);
                let mut answer = answers::empty(http::StatusCode::INTERNAL_SERVER_ERROR);
                answer.extensions_mut().insert(failure);
                Poll::Ready(Some(answer))
            }
        }
    }
}
