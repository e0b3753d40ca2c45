//! The app's default layers, in one service: what
//! `RequestLog<Compression<BodyLimit<S>>>` does, with the same code, but with the request
//! handed on once instead of through three calls (each moves it).

use std::future::ready;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::future::Either;
use tower::Service;

use super::body_limit::{self, BodyLimit, BodyLimitFuture, BodyLimitLayer};
use super::compression::{self, Compressed, Compression, CompressionFuture};
use super::request_log::{Logged, RequestLogFuture};
use crate::body::Body;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The request log, compression and the body limit around `S`, each as the app's settings say.
#[derive(Clone)]
pub(crate) struct Defaults<S> {
    inner: Compression<BodyLimit<S>>,
    log: bool,
    limit: Option<usize>,
}

impl<S> Defaults<S> {
    pub(crate) fn new(inner: S, log: bool, compress: bool, limit: Option<usize>) -> Self {
        let limited = tower::Layer::layer(&BodyLimitLayer::optional(limit), inner);
        Defaults {
            inner: Compression::optional(limited, compress),
            log,
            limit,
        }
    }
}

impl<S, B> Service<http::Request<B>> for Defaults<S>
where
    S: Service<http::Request<Body>, Response = http::Response<Body>>,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    type Response = http::Response<Compressed<Body>>;
    type Error = S::Error;
    type Future = RequestLogFuture<CompressionFuture<BodyLimitFuture<S::Future, S::Error>>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.plain().inner_mut().poll_ready(cx)
    }

    fn call(&mut self, req: http::Request<B>) -> Self::Future {
        let logged = if self.log { Logged::begin(&req) } else { None };
        let _entered = logged.as_ref().map(|logged| logged.enter());
        let future = if self.inner.on() && compression::asked(&req) {
            // The rare way: through tower-http's compression and the body limit's own call.
            CompressionFuture::compressed(self.inner.compressing().call(req))
        } else if let Some(answer) = body_limit::refuse(&req, self.limit) {
            CompressionFuture::plain(Either::Right(ready(Ok(answer))))
        } else {
            let req = req.map(|body| body_limit::limit_body(body, self.limit));
            let inner = self.inner.plain().inner_mut();
            CompressionFuture::plain(Either::Left(inner.call(req)))
        };
        drop(_entered);
        RequestLogFuture::new(future, logged)
    }
}
