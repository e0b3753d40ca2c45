//! The request body limit.
//!
//! Written here rather than taken from tower-http's `RequestBodyLimitLayer`, which does the
//! same two checks, for the answer: Arbor's 413 is the JSON error every Arbor client error
//! is (`{"error": message}`), and a body known to be empty is passed on without a wrapper.

use std::future::{ready, Ready};
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::future::Either;
use http::header::CONTENT_LENGTH;
use http::StatusCode;
use http_body_util::Limited;
use tower::{Layer, Service};

use std::sync::Arc;

use crate::body::Body;
use crate::error::json_error;
use crate::upload::{Upload, Uploads};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Refuses request bodies larger than a limit with 413: at once when `Content-Length` says
/// so, else when the reading goes past it (a handler's `req.json()` answers 413 then). It
/// also turns any request body into Arbor's [`Body`].
///
/// ```
/// use arbor::layers::BodyLimitLayer;
/// use tower::ServiceBuilder;
///
/// let layers = ServiceBuilder::new().layer(BodyLimitLayer::new(1024 * 1024));
/// ```
#[derive(Debug, Clone)]
pub struct BodyLimitLayer {
    limit: Option<usize>,
    uploads: Option<Arc<Uploads>>,
}

impl BodyLimitLayer {
    /// Refuses bodies larger than `bytes`.
    pub fn new(bytes: usize) -> Self {
        BodyLimitLayer {
            limit: Some(bytes),
            uploads: None,
        }
    }

    /// Refuses bodies larger than `bytes`; with `None`, only turns bodies into [`Body`].
    /// Under Arbor's server, bodies are also watched by its body timeout and budget.
    pub(crate) fn optional(limit: Option<usize>, uploads: Option<Arc<Uploads>>) -> Self {
        BodyLimitLayer { limit, uploads }
    }
}

impl<S> Layer<S> for BodyLimitLayer {
    type Service = BodyLimit<S>;

    fn layer(&self, inner: S) -> BodyLimit<S> {
        BodyLimit {
            inner,
            limit: self.limit,
            uploads: self.uploads.clone(),
        }
    }
}

/// The service [`BodyLimitLayer`] makes.
#[derive(Debug, Clone)]
pub struct BodyLimit<S> {
    inner: S,
    limit: Option<usize>,
    uploads: Option<Arc<Uploads>>,
}

impl<S, B> Service<http::Request<B>> for BodyLimit<S>
where
    S: Service<http::Request<Body>, Response = http::Response<Body>>,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    type Response = http::Response<Body>;
    type Error = S::Error;
    type Future = BodyLimitFuture<S::Future, S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: http::Request<B>) -> Self::Future {
        if let Some(answer) = refuse(&req, self.limit) {
            return Either::Right(ready(Ok(answer)));
        }
        Either::Left(
            self.inner
                .call(req.map(|body| limit_body(body, self.limit, self.uploads.as_ref()))),
        )
    }
}

/// The future of [`BodyLimit`]: the inner service's, or the 413.
pub type BodyLimitFuture<F, E> = Either<F, Ready<Result<http::Response<Body>, E>>>;

impl<S> BodyLimit<S> {
    /// The service inside.
    pub(crate) fn inner_mut(&mut self) -> &mut S {
        &mut self.inner
    }
}

/// The 413 for a request whose `Content-Length` is over `limit`.
pub(crate) fn refuse<B: http_body::Body>(
    req: &http::Request<B>,
    limit: Option<usize>,
) -> Option<http::Response<Body>> {
    let limit = limit?;
    // Most GETs have no body: nothing to look up.
    if req.body().is_end_stream() || declared_length(req).is_none_or(|len| len <= limit as u64) {
        return None;
    }
    let message = format!("the request body is larger than the {limit} bytes this server accepts");
    Some(json_error(StatusCode::PAYLOAD_TOO_LARGE, &message))
}

/// The body as Arbor's [`Body`], cut off past `limit` while it is read, and watched by the
/// server's body timeout and budget when there is one; an empty body costs nothing.
pub(crate) fn limit_body<B>(body: B, limit: Option<usize>, uploads: Option<&Arc<Uploads>>) -> Body
where
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    if http_body::Body::is_end_stream(&body) {
        return Body::empty();
    }
    match (limit, uploads) {
        (Some(limit), Some(uploads)) => Body::new(Limited::new(Upload::new(body, uploads), limit)),
        (Some(limit), None) => Body::new(Limited::new(body, limit)),
        (None, Some(uploads)) => Body::new(Upload::new(body, uploads)),
        (None, None) => Body::new(body),
    }
}

fn declared_length<B>(req: &http::Request<B>) -> Option<u64> {
    req.headers()
        .get(CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .parse()
        .ok()
}
