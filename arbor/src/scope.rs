//! Running one handler: what it can reach while it runs (what the router matched, the app's
//! cache, the cookies it sets through [`Cookies`](crate::cookies::Cookies)), and its panics
//! caught.
//!
//! One future, [`Run`], does all of it around the boxed handler future, so a request costs one
//! small state machine instead of a stack of wrappers. The scope is to a handler what
//! `AsyncLocalStorage` is to a Next.js one: set while the handler's future is polled, read by
//! the extractors (`Request`, `RouteContext`, `Cookies`, `WaitUntil`) and by `revalidate_*`.

use std::borrow::Cow;
use std::cell::RefCell;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_util::future::BoxFuture;

use crate::cache::Cache;
use crate::cookies::ResponseCookie;
use crate::request::Routed;

type Response = http::Response<crate::body::Body>;

/// What a running handler reaches without being handed it.
pub(crate) struct Scope {
    pub(crate) routed: Routed,
    pub(crate) cache: Arc<Cache>,
    /// Cookies set through `Cookies`, appended to the response when the handler is done.
    pub(crate) cookies: RefCell<Vec<ResponseCookie>>,
}

thread_local! {
    /// The scope of the handler being polled on this thread, if any.
    static CURRENT: RefCell<Option<Scope>> = const { RefCell::new(None) };
}

/// Calls `f` with the scope of the handler being polled; `None` outside a handler.
pub(crate) fn with<R>(f: impl FnOnce(&Scope) -> R) -> Option<R> {
    CURRENT.with(|current| current.borrow().as_ref().map(f))
}

/// A handler's future, polled inside its scope; `None` when it panicked (logged).
pub(crate) struct Run {
    future: Option<BoxFuture<'static, Response>>,
    scope: Option<Scope>,
    /// What ran, for the log line of a panic.
    what: Cow<'static, str>,
}

impl Run {
    pub(crate) fn new(
        future: BoxFuture<'static, Response>,
        routed: Routed,
        cache: Arc<Cache>,
        what: impl Into<Cow<'static, str>>,
    ) -> Self {
        Run {
            future: Some(future),
            scope: Some(Scope {
                routed,
                cache,
                cookies: RefCell::new(Vec::new()),
            }),
            what: what.into(),
        }
    }
}

/// Puts a scope in place for one poll and takes it back afterwards, even if the poll panics.
struct Entered<'a> {
    slot: &'a mut Option<Scope>,
    previous: Option<Scope>,
}

impl<'a> Entered<'a> {
    fn new(slot: &'a mut Option<Scope>) -> Self {
        let previous = CURRENT.with(|current| current.replace(slot.take()));
        Entered { slot, previous }
    }
}

impl Drop for Entered<'_> {
    fn drop(&mut self) {
        let previous = self.previous.take();
        *self.slot = CURRENT.with(|current| current.replace(previous));
    }
}

impl Future for Run {
    type Output = Option<Response>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let Some(future) = this.future.as_mut() else {
            return Poll::Ready(None);
        };
        let polled = {
            let _entered = Entered::new(&mut this.scope);
            catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(cx)))
        };
        match polled {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(mut response)) => {
                this.future = None;
                if let Some(scope) = this.scope.take() {
                    crate::cookies::merge(response.headers_mut(), scope.cookies.into_inner());
                }
                Poll::Ready(Some(response))
            }
            Err(panic) => {
                this.future = None;
                tracing::error!(
                    route = %this.what,
                    panic = panic_message(&*panic),
                    "handler panicked; answered 500"
                );
                Poll::Ready(None)
            }
        }
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "non-string panic payload".to_owned()
    }
}
