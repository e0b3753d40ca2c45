//! The app's default layers, in one service: what
//! `RequestLog<Compression<BodyLimit<S>>>` does, with the same code, but with the request
//! handed on once instead of through three calls (each moves it).

use std::future::{ready, Future};
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use bytes::Bytes;
use futures_util::future::Either;
use pin_project_lite::pin_project;
use tower::Service;
use tower_http::compression::{DefaultPredicate, ResponseFuture as TowerFuture};

use super::body_limit::{self, BodyLimit, BodyLimitFuture, BodyLimitLayer};
use super::compression::{self, Compression};
use super::request_log::{routing, Logged};
use std::sync::Arc;

use crate::answers;
use crate::body::Body;
use crate::upload::Uploads;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The request log, compression and the body limit around `S`, each as the app's settings say.
#[derive(Clone)]
pub(crate) struct Defaults<S> {
    inner: Compression<BodyLimit<S>>,
    log: bool,
    limit: Option<usize>,
    /// Set when Arbor's server serves the stack: its body timeout and budget, and the
    /// checks of the request head that belong at the edge.
    edge: Option<Arc<Uploads>>,
}

impl<S> Defaults<S> {
    pub(crate) fn new(
        inner: S,
        log: bool,
        compress: bool,
        limit: Option<usize>,
        edge: Option<Arc<Uploads>>,
    ) -> Self {
        let layer = BodyLimitLayer::optional(limit, edge.clone());
        let limited = tower::Layer::layer(&layer, inner);
        Defaults {
            inner: Compression::optional(limited, compress),
            log,
            limit,
            edge,
        }
    }
}

impl<S, B> Service<http::Request<B>> for Defaults<S>
where
    S: Service<http::Request<Body>, Response = http::Response<Body>>,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    type Response = http::Response<Body>;
    type Error = S::Error;
    type Future = DefaultsFuture<BodyLimitFuture<S::Future, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.plain().inner_mut().poll_ready(cx)
    }

    #[inline]
    fn call(&mut self, req: http::Request<B>) -> Self::Future {
        let logged = if self.log { Logged::begin(&req) } else { None };
        let Some(logged) = logged else {
            let way = self.way(req);
            return DefaultsFuture { way, logged: None };
        };
        // Called outside the span, which is first entered when the answer is polled: the route
        // the router finds now names the span before anything starts it (an OpenTelemetry
        // span's name is set when it starts).
        let (way, routed) = routing(|| self.way(req));
        if let Some(pattern) = routed {
            logged.record_route(pattern);
        }
        DefaultsFuture {
            way,
            logged: Some(logged),
        }
    }
}

impl<S> Defaults<S>
where
    S: Service<http::Request<Body>, Response = http::Response<Body>>,
{
    /// Which way the request goes, with its future.
    fn way<B>(&mut self, req: http::Request<B>) -> Way<BodyLimitFuture<S::Future, S::Error>>
    where
        B: http_body::Body<Data = Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        if self.edge.is_some()
            && req.version() == http::Version::HTTP_11
            && !one_host(req.headers())
        {
            // RFC 9112 §3.2: an HTTP/1.1 request without exactly one `Host` is refused.
            Way::Plain {
                future: Either::Right(ready(Ok(answers::bad_request()))),
            }
        } else if self.inner.on() && compression::asked(&req) {
            // The rare way: through tower-http's compression and the body limit's own call.
            Way::Compressed {
                future: self.inner.compressing().call(req),
            }
        } else if let Some(answer) = body_limit::refuse(&req, self.limit) {
            Way::Plain {
                future: Either::Right(ready(Ok(answer))),
            }
        } else {
            let uploads = self.edge.as_ref();
            let req = req.map(|body| body_limit::limit_body(body, self.limit, uploads));
            let inner = self.inner.plain().inner_mut();
            Way::Plain {
                future: Either::Left(inner.call(req)),
            }
        }
    }
}

/// Whether a head has exactly one `Host` line. A second is looked for only when some name
/// repeats, which few requests have.
fn one_host(headers: &http::HeaderMap) -> bool {
    if headers.len() == headers.keys_len() {
        return headers.contains_key(http::header::HOST);
    }
    let mut hosts = headers.get_all(http::header::HOST).iter();
    hosts.next().is_some() && hosts.next().is_none()
}

pin_project! {
    /// The future of [`Defaults`]: the answer, compressed when it was asked for (its body
    /// boxed into Arbor's one body type), then logged.
    pub(crate) struct DefaultsFuture<F> {
        #[pin]
        way: Way<F>,
        logged: Option<Box<Logged>>,
    }
}

pin_project! {
    #[project = WayProjected]
    enum Way<F> {
        Compressed { #[pin] future: TowerFuture<F, DefaultPredicate> },
        Plain { #[pin] future: F },
    }
}

impl<F, E> Future for DefaultsFuture<F>
where
    F: Future<Output = Result<http::Response<Body>, E>>,
{
    type Output = Result<http::Response<Body>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let entered = this.logged.as_ref().map(|logged| logged.enter());
        let output = match this.way.project() {
            WayProjected::Compressed { future } => ready!(future.poll(cx)).map(|mut response| {
                compression::keep_ranges(&mut response);
                response.map(Body::new)
            }),
            WayProjected::Plain { future } => ready!(future.poll(cx)),
        };
        drop(entered);
        if let (Some(logged), Ok(response)) = (this.logged.as_ref(), &output) {
            logged.finish(response.status());
        }
        Poll::Ready(output)
    }
}
