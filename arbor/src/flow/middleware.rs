//! The middleware stage: runs the root middleware for the requests its matcher selects, then
//! does what its [`Outcome`] asks: go on to the route with its changes, serve another URL
//! (another route, or another origin through the reverse proxy), or answer.

use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderMap, Method};

use super::finalise;
use super::proxy::{Proxy, Target};
use super::run::Run;
use super::step::{Router, Via};
use crate::answers;
use crate::body::{self, Body};
use crate::cache::Cache;
use crate::context::{Context, Site};
use crate::cookies::ProxyCookies;
use crate::middleware::{ErasedMiddleware, Matchers, Outcome};

type Response = http::Response<Body>;

/// The root middleware, ready to run.
pub(crate) struct ReadyMiddleware {
    pub(crate) handler: Arc<dyn ErasedMiddleware>,
    pub(crate) matchers: Matchers,
    /// Whether it reads the body: then the body is read first, and both read it.
    pub(crate) reads_body: bool,
}

impl ReadyMiddleware {
    /// Whether the middleware runs for this request.
    pub(crate) fn selects(&self, req: &http::Request<Body>) -> bool {
        let uri = req.uri();
        self.matchers
            .matches(uri.path(), uri.query(), req.headers())
    }
}

/// What the stage needs of the app.
pub(crate) struct Shared {
    pub(crate) middleware: ReadyMiddleware,
    pub(crate) proxy: Proxy,
    pub(crate) site: Arc<Site>,
    pub(crate) cache: Arc<Cache>,
}

/// Runs the middleware, then does what it asked.
pub(crate) async fn run<R: Router>(
    router: R,
    shared: Arc<Shared>,
    req: http::Request<Body>,
    peer: Option<http::HeaderValue>,
    hops: u32,
) -> Response {
    let middleware = &shared.middleware;
    let (mut parts, body) = req.into_parts();
    // The body is read now only when the middleware reads it; the route reads it again.
    let (mut body, mut bytes) = (Some(body), None);
    if middleware.reads_body && body.as_ref().is_some_and(|b| !body::is_empty(b)) {
        match body::read_all(body.take().unwrap_or_default()).await {
            Ok(read) => bytes = Some(read),
            Err(err) => return axum::response::IntoResponse::into_response(err),
        }
    }
    let cx = Context::new(shared.site.clone(), None, peer.clone());
    let copy = bytes.as_ref().map(body::of_bytes);
    let outcome = Run::new(
        middleware.handler.call(&mut parts, copy, &cx),
        shared.cache.clone(),
        "middleware",
    )
    .await;
    let Some(outcome) = outcome else {
        return answers::internal_error();
    };
    let body = match (&bytes, body) {
        (Some(read), _) => body::of_bytes(read),
        (None, body) => body.unwrap_or_default(),
    };
    let mut req = http::Request::from_parts(parts, body);
    match outcome {
        Outcome::Respond(response) => {
            finalise::middleware_redirect(response.into_inner(), &shared.proxy.origin_key)
        }
        Outcome::Next(next) => {
            let changes = next.changes;
            let proxy_cookies =
                forward_to_request(&mut req, &changes.headers, changes.request_headers);
            let routed = router
                .route(
                    req,
                    Via {
                        peer,
                        proxy_cookies,
                    },
                )
                .await;
            finalise::merge_headers(routed, changes.headers)
        }
        Outcome::Rewrite(rewrite) => {
            let changes = rewrite.changes;
            let proxy_cookies =
                forward_to_request(&mut req, &changes.headers, changes.request_headers);
            let routed = match shared.proxy.target(&rewrite.url) {
                Some(Target::Internal(uri)) => {
                    *req.uri_mut() = uri;
                    router
                        .route(
                            req,
                            Via {
                                peer,
                                proxy_cookies,
                            },
                        )
                        .await
                }
                Some(Target::External(uri)) => {
                    // Boxed: the proxy's state would make every middleware future larger.
                    Box::pin(proxied(&shared.proxy, &cx, req, bytes, uri, hops)).await
                }
                None => {
                    tracing::error!(
                        url = rewrite.url,
                        "the middleware rewrote to an invalid URL; answered 500"
                    );
                    answers::internal_error()
                }
            };
            finalise::merge_headers(routed, changes.headers)
        }
    }
}

/// A rewrite to another origin: the request, its forwarded headers and its whole body.
async fn proxied(
    proxy: &Proxy,
    cx: &Context,
    req: http::Request<Body>,
    read: Option<Bytes>,
    uri: http::Uri,
    hops: u32,
) -> Response {
    let (parts, body) = req.into_parts();
    let body = match read {
        Some(read) => read,
        None => match body::read_all(body).await {
            Ok(read) => read,
            Err(err) => return axum::response::IntoResponse::into_response(err),
        },
    };
    let mut headers = parts.headers;
    cx.add_forwarded(&mut headers);
    let method: Method = parts.method;
    proxy.forward(method, &headers, uri, body, hops).await
}

/// What a `Next` or `Rewrite` changes in the request the route sees: the replaced request
/// headers, the headers it sets (Next.js copies them onto the request), and its cookies for
/// the cookie readers.
fn forward_to_request(
    req: &mut http::Request<Body>,
    headers: &HeaderMap,
    request_headers: Option<HeaderMap>,
) -> Option<ProxyCookies> {
    if let Some(replaced) = request_headers {
        *req.headers_mut() = replaced;
    }
    let mut previous = None;
    // A map iterates the values of one name one after another: the first replaces what the
    // request had, the others join it.
    for (name, value) in headers {
        let first = previous != Some(name);
        previous = Some(name);
        if name == http::header::SET_COOKIE {
            continue;
        }
        if first {
            req.headers_mut().insert(name.clone(), value.clone());
        } else {
            req.headers_mut().append(name.clone(), value.clone());
        }
    }
    ProxyCookies::from_set_cookie(headers)
}
