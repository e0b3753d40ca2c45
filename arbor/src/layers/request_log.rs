//! The request log: a `tracing` span per request, with the fields OpenTelemetry's HTTP
//! conventions name (`http.request.method`, `url.path`, `http.route`,
//! `http.response.status_code`) and `latency_ms`, and a log line when the answer leaves
//! (`GET /comments/2 200 0.4ms`).
//!
//! Written here rather than taken from tower-http's `TraceLayer` for two things it does not
//! do: the matched route pattern recorded by the router, and no clock read or allocation at
//! all when the `arbor::request` target is off.

use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Instant;

use pin_project_lite::pin_project;
use tower::{Layer, Service};
use tracing::field::Empty;
use tracing::Span;

/// A span per request (target `arbor::request`, level INFO) and a log line when it is answered.
///
/// ```
/// use arbor::layers::RequestLogLayer;
/// use tower::ServiceBuilder;
///
/// let layers = ServiceBuilder::new().layer(RequestLogLayer::new());
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct RequestLogLayer;

impl RequestLogLayer {
    /// The request log.
    pub fn new() -> Self {
        RequestLogLayer
    }
}

impl<S> Layer<S> for RequestLogLayer {
    type Service = RequestLog<S>;

    fn layer(&self, inner: S) -> RequestLog<S> {
        RequestLog { inner }
    }
}

/// The service [`RequestLogLayer`] makes.
#[derive(Debug, Clone)]
pub struct RequestLog<S> {
    inner: S,
}

/// The span's request, kept for the log line.
pub(crate) struct Logged {
    span: Span,
    method: http::Method,
    path: String,
    start: Instant,
}

impl<S, ReqBody, ResBody> Service<http::Request<ReqBody>> for RequestLog<S>
where
    S: Service<http::Request<ReqBody>, Response = http::Response<ResBody>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = RequestLogFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: http::Request<ReqBody>) -> Self::Future {
        let logged = Logged::begin(&req);
        let future = match &logged {
            Some(logged) => logged.span.in_scope(|| self.inner.call(req)),
            None => self.inner.call(req),
        };
        RequestLogFuture::new(future, logged)
    }
}

impl Logged {
    /// The span of a request, when someone listens to the request log.
    pub(crate) fn begin<B>(req: &http::Request<B>) -> Option<Box<Logged>> {
        let span = tracing::info_span!(
            target: "arbor::request",
            "request",
            http.request.method = %req.method(),
            url.path = req.uri().path(),
            http.route = Empty,
            http.response.status_code = Empty,
            latency_ms = Empty,
        );
        if span.is_disabled() {
            return None;
        }
        Some(Box::new(Logged {
            method: req.method().clone(),
            path: req.uri().path().to_owned(),
            start: Instant::now(),
            span,
        }))
    }
}

impl Logged {
    /// Records the answer's status and the time it took, and writes the log line.
    pub(crate) fn finish(&self, status: http::StatusCode) {
        let status = status.as_u16();
        let latency_ms = self.start.elapsed().as_secs_f64() * 1000.0;
        self.span.record("http.response.status_code", status);
        self.span.record("latency_ms", latency_ms);
        // The line stands alone (the span carries the structured fields), so a terminal shows
        // `GET /comments/2 200 0.4ms` without the span's context in front.
        tracing::info!(
            target: "arbor::request",
            parent: None,
            "{} {} {status} {latency_ms:.1}ms",
            self.method,
            self.path,
        );
    }

    /// Enters the request's span.
    pub(crate) fn enter(&self) -> tracing::span::Entered<'_> {
        self.span.enter()
    }
}

impl<F> RequestLogFuture<F> {
    pub(crate) fn new(future: F, logged: Option<Box<Logged>>) -> Self {
        RequestLogFuture { future, logged }
    }
}

pin_project! {
    /// The future of [`RequestLog`].
    pub struct RequestLogFuture<F> {
        #[pin]
        future: F,
        logged: Option<Box<Logged>>,
    }
}

impl<F, B, E> Future for RequestLogFuture<F>
where
    F: Future<Output = Result<http::Response<B>, E>>,
{
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        let Some(logged) = this.logged.as_ref() else {
            return this.future.poll(cx);
        };
        let output = {
            let _entered = logged.span.enter();
            ready!(this.future.poll(cx))
        };
        if let Ok(response) = &output {
            logged.finish(response.status());
        }
        Poll::Ready(output)
    }
}

/// Records the route pattern the router matched on the request's span, when there is one.
pub(crate) fn record_route(pattern: &'static str) {
    // Cheap when the request log is off: the callsite's interest is cached.
    if !tracing::enabled!(target: "arbor::request", tracing::Level::INFO) {
        return;
    }
    let span = Span::current();
    if !span.is_disabled() {
        span.record("http.route", pattern);
    }
}
