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
    type Response = http::Response<Compressed<ResBody>>;
    type Error = S::Error;
    type Future = CompressionFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: http::Request<ReqBody>) -> Self::Future {
        let kind = if self.on && asked(&req) {
            Kind::Compressed {
                future: self.inner.call(req),
            }
        } else {
            Kind::Plain {
                future: self.inner.get_mut().call(req),
            }
        };
        CompressionFuture { kind }
    }
}

impl<S> Compression<S> {
    /// Whether it compresses at all.
    pub(crate) fn on(&self) -> bool {
        self.on
    }

    /// tower-http's compression around the service inside.
    pub(crate) fn compressing(&mut self) -> &mut TowerCompression<S> {
        &mut self.inner
    }

    /// The service inside, for a request that is not compressed.
    pub(crate) fn plain(&mut self) -> &mut S {
        self.inner.get_mut()
    }
}

/// Whether the client asks for compression.
pub(crate) fn asked<B>(req: &http::Request<B>) -> bool {
    req.headers().contains_key(ACCEPT_ENCODING)
}

pin_project! {
    /// The future of [`Compression`].
    pub struct CompressionFuture<F> {
        #[pin]
        kind: Kind<F>,
    }
}

pin_project! {
    #[project = Projected]
    enum Kind<F> {
        // Through tower-http's compression.
        Compressed { #[pin] future: TowerFuture<F, tower_http::compression::DefaultPredicate> },
        // Not asked for.
        Plain { #[pin] future: F },
    }
}

/// Marks a response whose resource is served in byte ranges (a `public/` file): it keeps
/// `Accept-Ranges: bytes` when compressed, as Next.js sends it, since a `Range` request is
/// answered from the file as it is.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ServesRanges;

/// Puts back the `Accept-Ranges` tower-http's compression takes off, for a resource served in
/// byte ranges.
pub(crate) fn keep_ranges<B>(response: &mut http::Response<B>) {
    if response.extensions().get::<ServesRanges>().is_some() {
        response
            .headers_mut()
            .entry(http::header::ACCEPT_RANGES)
            .or_insert(http::HeaderValue::from_static("bytes"));
    }
}

/// A response body, compressed or as it was. The compressed one is boxed: an encoder's state
/// is kilobytes, which every move of an uncompressed response would otherwise copy.
pub type Compressed<B> = Either<Pin<Box<CompressionBody<B>>>, B>;

impl<F, B, E> Future for CompressionFuture<F>
where
    F: Future<Output = Result<http::Response<B>, E>>,
    B: http_body::Body,
{
    type Output = Result<http::Response<Compressed<B>>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let response = match self.project().kind.project() {
            Projected::Compressed { future } => {
                let mut response = ready!(future.poll(cx))?;
                keep_ranges(&mut response);
                response.map(|body| Either::Left(Box::pin(body)))
            }
            Projected::Plain { future } => ready!(future.poll(cx))?.map(Either::Right),
        };
        Poll::Ready(Ok(response))
    }
}
