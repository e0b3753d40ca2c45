//! What the request path decided for a request, as a future: an answer already made, a
//! handler running, or a way with more to wait for (the middleware, the static cache) in a box
//! of its own, so that the common request's future stays small.

use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use futures_util::future::BoxFuture;
use http::HeaderValue;

use super::finalise;
use super::run::Run;
use crate::body::Body;
use crate::context::Outside;
use crate::cookie::ProxyCookies;
use crate::headers::{self, HeaderList};

type Response = http::Response<Body>;

/// What a request brings to its route besides itself: the client's address, the headers the
/// app config gives its answer, and what a middleware set (its cookies, and the headers that
/// join the route's response).
#[derive(Debug, Default)]
pub(crate) struct Via {
    pub(crate) peer: Option<HeaderValue>,
    pub(crate) proxy_cookies: Option<ProxyCookies>,
    pub(crate) headers: Option<HeaderList>,
    /// The app config's headers for the request as it came (`HEADERS`).
    pub(crate) config: Option<Box<HeaderList>>,
    /// Whether the middleware has run a second time, for the path it rewrote to.
    pub(crate) reran: bool,
}

impl Via {
    /// A request straight from a client, with the config's headers for it.
    pub(crate) fn client(peer: Option<HeaderValue>, config: Option<Box<HeaderList>>) -> Via {
        Via {
            peer,
            proxy_cookies: None,
            headers: None,
            config,
            reran: false,
        }
    }

    /// What the handler's context takes of it: the client's address, and what came from
    /// outside the route.
    pub(crate) fn split(self) -> (Option<HeaderValue>, Outside) {
        let outside = Outside {
            proxy_cookies: self.proxy_cookies,
            middleware_headers: self.headers,
            config_headers: self.config,
        };
        (self.peer, outside)
    }

    /// Joins the headers from outside the route to its response: the config's win over the
    /// route's, the middleware's over both (`Set-Cookie` and `Vary` add up, outer first).
    pub(crate) fn finish(self, response: &mut http::HeaderMap) {
        if let Some(config) = self.config {
            headers::merge_into_response(response, *config);
        }
        if let Some(middleware) = self.headers {
            headers::merge_into_response(response, middleware);
        }
    }

    /// For a 404 of Arbor's own: its `Cache-Control` stays, as Next.js replaces the config's.
    pub(crate) fn for_not_found(mut self) -> Via {
        if let Some(config) = &mut self.config {
            config.remove_named(&http::header::CACHE_CONTROL);
        }
        self
    }
}

/// Routing, as the stages that pass a request on call it (the middleware after `Next` or an
/// internal `Rewrite`, the static cache for a path it does not know).
pub(crate) trait Router: Send + Sync + Unpin + 'static {
    /// The route for the request's path, and what it does with the request.
    fn route(&self, req: http::Request<Body>, via: Via) -> Step;
    /// What answers a path no route has: the fallback service, or not-found.
    fn unmatched(&self, req: http::Request<Body>, via: Via) -> Step;
    /// A request the middleware rewrote to a path of this app: the middleware again when its
    /// matcher selects the new path (once), then the route.
    fn rewritten(&self, req: http::Request<Body>, via: Via) -> Step;
}

/// One step of the request path, decided before anything is awaited.
pub(crate) enum Step {
    /// Answered without a handler (404 page, 405, OPTIONS, 308...).
    Done(Response),
    /// The route's handler, running.
    Handler(Run<BoxFuture<'static, Response>>),
    /// `app/not-found.rs`, running.
    NotFound(Run<BoxFuture<'static, Response>>),

    /// A way with more to wait for, in its own box.
    Boxed(BoxFuture<'static, Response>),
}

impl Step {
    /// A way with more to wait for.
    pub(crate) fn boxed(future: impl Future<Output = Response> + Send + 'static) -> Step {
        Step::Boxed(Box::pin(future))
    }
}

impl Future for Step {
    type Output = Response;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Response> {
        let response = match self.get_mut() {
            Step::Done(response) => std::mem::take(response),
            Step::Handler(run) => finalise::handler_output(ready!(Pin::new(run).poll(cx))),
            Step::NotFound(run) => {
                finalise::not_found_status(finalise::handler_output(ready!(Pin::new(run).poll(cx))))
            }
            Step::Boxed(future) => ready!(future.as_mut().poll(cx)),
        };
        Poll::Ready(response)
    }
}
