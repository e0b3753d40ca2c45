//! Response compression: tower-http's `Compression` (gzip and brotli), skipped outright for
//! the requests that do not send `Accept-Encoding`, whose responses it would not compress, so
//! those pay nothing for it.

use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use http::header::ACCEPT_ENCODING;
use http_body_util::Either;
use pin_project_lite::pin_project;
use tower::{Layer, Service};
use tower_http::compression::{
    Compression as TowerCompression, CompressionBody, ResponseFuture as TowerFuture,
};

/// Compresses responses with gzip or brotli when the client asks (`Accept-Encoding`), as
/// tower-http's `CompressionLayer` does, which this wraps.
#[derive(Debug, Clone, Copy, Default)]
pub struct CompressionLayer;

impl CompressionLayer {
    /// gzip and brotli, at tower-http's default quality.
    pub fn new() -> Self {
        CompressionLayer
    }
}

impl<S> Layer<S> for CompressionLayer {
    type Service = Compression<S>;

    fn layer(&self, inner: S) -> Compression<S> {
        Compression::optional(inner, true)
    }
}

/// The service [`CompressionLayer`] makes.
#[derive(Clone)]
pub struct Compression<S> {
    inner: TowerCompression<S>,
    on: bool,
}

impl<S: std::fmt::Debug> std::fmt::Debug for Compression<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Compression")
            .field("inner", self.inner.get_ref())
            .field("on", &self.on)
            .finish()
    }
}

impl<S> Compression<S> {
    /// Compression around `inner`, or none at all when `on` is false.
    pub(crate) fn optional(inner: S, on: bool) -> Self {
        Compression {
            inner: TowerCompression::new(inner),
            on,
        }
    }
}

impl<S, ReqBody, ResBody> Service<http::Request<ReqBody>> for Compression<S>
where
    S: Service<http::Request<ReqBody>, Response = http::Response<ResBody>>,
    ResBody: http_body::Body,
{
    type Response = http::Response<Either<CompressionBody<ResBody>, ResBody>>;
    type Error = S::Error;
    type Future = CompressionFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: http::Request<ReqBody>) -> Self::Future {
        if self.on && req.headers().contains_key(ACCEPT_ENCODING) {
            CompressionFuture::Compressed {
                future: self.inner.call(req),
            }
        } else {
            CompressionFuture::Plain {
                future: self.inner.get_mut().call(req),
            }
        }
    }
}

pin_project! {
    /// The future of [`Compression`].
    #[project = Projected]
    pub enum CompressionFuture<F> {
        /// Through tower-http's compression.
        Compressed { #[pin] future: TowerFuture<F, tower_http::compression::DefaultPredicate> },
        /// Not asked for.
        Plain { #[pin] future: F },
    }
}

impl<F, B, E> Future for CompressionFuture<F>
where
    F: Future<Output = Result<http::Response<B>, E>>,
    B: http_body::Body,
{
    type Output = Result<http::Response<Either<CompressionBody<B>, B>>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let response = match self.project() {
            Projected::Compressed { future } => ready!(future.poll(cx))?.map(Either::Left),
            Projected::Plain { future } => ready!(future.poll(cx))?.map(Either::Right),
        };
        Poll::Ready(Ok(response))
    }
}
