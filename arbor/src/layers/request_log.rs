//! The request log: a `tracing` span per request, with the fields OpenTelemetry's HTTP
//! conventions name (`http.request.method`, `url.path`, `http.route`,
//! `http.response.status_code`) and `latency_ms`, and a log line when the answer leaves
//! (`GET /comments/2 200 0.4ms`).
//!
//! The span also carries the fields `tracing-opentelemetry` reads to make it an OpenTelemetry
//! server span as the conventions name it: `otel.kind = "server"`, `otel.name` (`GET
//! /comments/[id]`, or the method alone before a route matched) and `otel.status_code =
//! "error"` for a 5xx. A `tracing-opentelemetry` layer exports it as it is (see
//! `examples/telemetry`).
//!
//! Written here rather than taken from tower-http's `TraceLayer` for two things it does not
//! do: the matched route pattern recorded by the router, and no clock read or allocation at
//! all when the `arbor::request` target is off.

use std::cell::Cell;
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
            // Called outside the span, which is first entered when the answer is polled: the
            // route the router finds now names the span before anything starts it (an
            // OpenTelemetry span's name is set when it starts).
            Some(logged) => {
                let (future, routed) = routing(|| self.inner.call(req));
                if let Some(pattern) = routed {
                    logged.record_route(pattern);
                }
                future
            }
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
            otel.name = %req.method(),
            otel.kind = "server",
            otel.status_code = Empty,
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
        if status >= 500 {
            self.span.record("otel.status_code", "error");
        }
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

    /// Records the route on the span and names the span after it (`GET /comments/[id]`).
    pub(crate) fn record_route(&self, pattern: &'static str) {
        self.span.record("http.route", pattern);
        self.span
            .record("otel.name", format!("{} {pattern}", self.method));
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

thread_local! {
    /// While a request is handed to the app (`RequestLog::call`): the route the router found
    /// meanwhile, if it did.
    static ROUTED: Cell<Option<Option<&'static str>>> = const { Cell::new(None) };
}

/// Runs `call`, and returns with it the route the router found during it.
pub(crate) fn routing<T>(call: impl FnOnce() -> T) -> (T, Option<&'static str>) {
    let previous = ROUTED.replace(Some(None));
    let out = call();
    let routed = ROUTED.replace(previous).flatten();
    (out, routed)
}

/// Records the route pattern the router matched on the request's span, when there is one,
/// and names the span after it (`GET /comments/[id]`). During `RequestLog::call` it is kept
/// for the span (not entered yet); later (after the middleware, or inside the app's own
/// layers) it goes to the current span.
pub(crate) fn record_route(pattern: &'static str) {
    // Cheap when the request log is off: the callsite's interest is cached.
    if !tracing::enabled!(target: "arbor::request", tracing::Level::INFO) {
        return;
    }
    let kept = ROUTED.with(|routed| match routed.get() {
        Some(_) => {
            routed.set(Some(Some(pattern)));
            true
        }
        None => false,
    });
    if kept {
        return;
    }
    let span = Span::current();
    if !span.is_disabled() {
        span.record("http.route", pattern);
    }
}
