//! One request's way through the app: path normalisation, route lookup, method dispatch, the
//! handler, and the framework's own answers (308, 400, 404, 405, 413, 501, 500).

use std::any::Any;
use std::io;
use std::net::SocketAddr;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use axum::response::IntoResponse;
use futures_util::FutureExt;
use http::header::{ALLOW, CACHE_CONTROL, CONTENT_LENGTH, CONTENT_TYPE, HOST, LOCATION};
use http::{HeaderName, HeaderValue, StatusCode};
use http_body::Body as _;

use crate::body::{Body, BodySlot};
use crate::cookies;
use crate::error::json_error;
use crate::path::{self, PathCheck};
use crate::request::Origin;
use crate::routing::tree::{PatternError, Tree};
use crate::routing::{App, BoxHandler, Matched, Method, Params};

type Response = http::Response<Body>;

const NO_STORE: &str = "private, no-cache, no-store, max-age=0, must-revalidate";
/// Plain text pages, such as the sub-resource 404.
const TEXT_TYPE: &str = "text/plain; charset=utf-8";
/// The framework's own error answers, as Next.js writes them.
const ERROR_TYPE: &str = "text/plain";

struct ReadyRoute {
    pattern: &'static str,
    handlers: [Option<BoxHandler>; 7],
    /// `Allow` for OPTIONS and 405: the exported methods, HEAD with GET, OPTIONS; sorted.
    allow: HeaderValue,
}

/// What the server knows that the app does not: where it listens and what it accepts.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) origin: Arc<str>,
    pub(crate) port: u16,
    pub(crate) body_limit: usize,
}

/// The app, ready to answer requests. Built once at start-up; nothing is discovered later.
pub(crate) struct Dispatcher {
    tree: Tree,
    routes: Vec<ReadyRoute>,
    not_found: Option<BoxHandler>,
    origin: Origin,
    port: HeaderValue,
    body_limit: usize,
}

impl Dispatcher {
    pub(crate) fn new(app: App<()>, settings: Settings) -> io::Result<Self> {
        let mut tree = Tree::default();
        let mut routes = Vec::with_capacity(app.routes.len());
        for (id, route) in app.routes.into_iter().enumerate() {
            tree.insert(route.pattern, id).map_err(|err| {
                let why = match err {
                    PatternError::Duplicate => "another route already answers this URL",
                    PatternError::CatchAllNotLast => "a catch-all must be the last segment",
                };
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("route `{}` ({}): {why}", route.pattern, route.file),
                )
            })?;
            let methods = route.methods();
            routes.push(ReadyRoute {
                pattern: route.pattern,
                allow: allow_header(&methods),
                handlers: route.handlers.map(|h| h.map(|h| h.ready(&()))),
            });
        }
        Ok(Dispatcher {
            tree,
            routes,
            not_found: app.not_found.map(|h| h.ready(&())),
            origin: Origin(settings.origin),
            port: HeaderValue::from(settings.port),
            body_limit: settings.body_limit,
        })
    }

    pub(crate) fn body_limit(&self) -> usize {
        self.body_limit
    }

    /// Answers one request.
    pub(crate) async fn dispatch(
        self: Arc<Self>,
        mut req: http::Request<Body>,
        peer: Option<SocketAddr>,
    ) -> Response {
        let head = req.method() == http::Method::HEAD;
        let mut response = self.route(&mut req, peer).await;
        if head {
            strip_body(&mut response);
        }
        response
    }

    async fn route(&self, req: &mut http::Request<Body>, peer: Option<SocketAddr>) -> Response {
        match path::check(req.uri().path(), req.uri().query()) {
            PathCheck::Clean => {}
            PathCheck::Redirect(location) => return permanent_redirect(location),
            PathCheck::MalformedEscape => {
                return text(
                    StatusCode::BAD_REQUEST,
                    "Bad Request",
                    ERROR_TYPE,
                    Some(NO_STORE),
                );
            }
        }
        self.add_forwarded(req, peer);
        if too_large(req, self.body_limit) {
            return json_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                &format!(
                    "the request body is larger than the {} bytes this server accepts",
                    self.body_limit
                ),
            );
        }

        let mut captures = Vec::new();
        let Some(id) = self.tree.find(req.uri().path(), &mut captures) else {
            return self.not_found(req).await;
        };
        let route = &self.routes[id];
        let params = match Params::decode(&captures) {
            Ok(params) => params,
            Err(err) => return err.into_response(),
        };

        let method = Method::from_http(req.method());
        let handler = match method {
            Some(Method::Head) => route.handlers[Method::Head as usize]
                .as_ref()
                .or(route.handlers[Method::Get as usize].as_ref()),
            Some(m) => route.handlers[m as usize].as_ref(),
            None => None,
        };
        match (method, handler) {
            (Some(_), Some(handler)) => {
                let matched = Matched {
                    pattern: route.pattern,
                    params,
                };
                self.call(handler, take(req), Some(matched), route.pattern)
                    .await
            }
            (Some(Method::Options), None) => {
                let mut response = empty(StatusCode::NO_CONTENT);
                response.headers_mut().insert(ALLOW, route.allow.clone());
                response
            }
            (None, _) if !is_known_unroutable(req.method()) => empty(StatusCode::NOT_IMPLEMENTED),
            _ => {
                let mut response = empty(StatusCode::METHOD_NOT_ALLOWED);
                response.headers_mut().insert(ALLOW, route.allow.clone());
                response
            }
        }
    }

    async fn call(
        &self,
        handler: &BoxHandler,
        req: http::Request<Body>,
        matched: Option<Matched>,
        what: &str,
    ) -> Response {
        let (mut parts, body) = req.into_parts();
        let slot = BodySlot::new(body);
        parts.extensions.insert(slot.clone());
        parts.extensions.insert(self.origin.clone());
        if let Some(matched) = matched {
            parts.extensions.insert(matched);
        }
        let req = http::Request::from_parts(parts, slot.reader());
        match AssertUnwindSafe(cookies::scope(handler(req)))
            .catch_unwind()
            .await
        {
            Ok((mut response, pending)) => {
                cookies::merge(response.headers_mut(), pending);
                response
            }
            Err(panic) => {
                tracing::error!(
                    route = what,
                    panic = panic_message(&panic),
                    "handler panicked; answered 500"
                );
                empty(StatusCode::INTERNAL_SERVER_ERROR)
            }
        }
    }

    async fn not_found(&self, req: &mut http::Request<Body>) -> Response {
        if let Some(handler) = &self.not_found {
            let mut response = self.call(handler, take(req), None, "not-found").await;
            if !response.status().is_client_error() && !response.status().is_server_error() {
                *response.status_mut() = StatusCode::NOT_FOUND;
            }
            return response;
        }
        if wants_document(req) {
            let mut response = http::Response::new(Body::from(NOT_FOUND_PAGE));
            *response.status_mut() = StatusCode::NOT_FOUND;
            let headers = response.headers_mut();
            headers.insert(
                CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            headers.insert(CACHE_CONTROL, HeaderValue::from_static(NO_STORE));
            // The page is static, served as Next.js serves its prerendered not-found page.
            headers.insert(
                HeaderName::from_static("x-nextjs-cache"),
                HeaderValue::from_static("HIT"),
            );
            response
        } else {
            text(
                StatusCode::NOT_FOUND,
                "Not Found",
                TEXT_TYPE,
                Some(NO_STORE),
            )
        }
    }

    /// `x-forwarded-for/-host/-port/-proto`, as Next.js adds them, unless a proxy in front
    /// already did.
    fn add_forwarded(&self, req: &mut http::Request<Body>, peer: Option<SocketAddr>) {
        const FOR: HeaderName = HeaderName::from_static("x-forwarded-for");
        const HOST_: HeaderName = HeaderName::from_static("x-forwarded-host");
        const PORT: HeaderName = HeaderName::from_static("x-forwarded-port");
        const PROTO: HeaderName = HeaderName::from_static("x-forwarded-proto");
        let host = req.headers().get(HOST).cloned();
        let headers = req.headers_mut();
        if let Some(peer) = peer {
            if !headers.contains_key(FOR) {
                if let Ok(value) = HeaderValue::try_from(peer.ip().to_string()) {
                    headers.insert(FOR, value);
                }
            }
        }
        if let (Some(host), false) = (host, headers.contains_key(HOST_)) {
            headers.insert(HOST_, host);
        }
        if !headers.contains_key(PORT) {
            headers.insert(PORT, self.port.clone());
        }
        if !headers.contains_key(PROTO) {
            headers.insert(PROTO, HeaderValue::from_static("http"));
        }
    }
}

fn take(req: &mut http::Request<Body>) -> http::Request<Body> {
    std::mem::take(req)
}

fn allow_header(methods: &[Method]) -> HeaderValue {
    let mut names: Vec<&str> = methods.iter().map(|m| m.as_str()).collect();
    if methods.contains(&Method::Get) && !methods.contains(&Method::Head) {
        names.push("HEAD");
    }
    if !methods.contains(&Method::Options) {
        names.push("OPTIONS");
    }
    names.sort_unstable();
    HeaderValue::try_from(names.join(", ")).unwrap_or_else(|_| HeaderValue::from_static("OPTIONS"))
}

/// Methods that exist but no route can export: answered 405 with `Allow`.
fn is_known_unroutable(method: &http::Method) -> bool {
    *method == http::Method::TRACE || *method == http::Method::CONNECT || method.as_str() == "TRACK"
}

fn too_large(req: &http::Request<Body>, limit: usize) -> bool {
    req.headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .is_some_and(|len| len > limit as u64)
}

/// Navigation requests (and clients that do not say) get the HTML page; sub-resource fetches
/// (`Sec-Fetch-Dest: image`, `script`...) and `/_next/` assets get plain text.
fn wants_document(req: &http::Request<Body>) -> bool {
    if req.uri().path().starts_with("/_next/") {
        return false;
    }
    match req
        .headers()
        .get("sec-fetch-dest")
        .and_then(|v| v.to_str().ok())
    {
        None => true,
        Some(dest) => matches!(
            dest,
            "document" | "iframe" | "frame" | "embed" | "object" | "empty" | ""
        ),
    }
}

fn empty(status: StatusCode) -> Response {
    let mut response = http::Response::new(Body::empty());
    *response.status_mut() = status;
    response
}

fn text(
    status: StatusCode,
    body: &'static str,
    content_type: &'static str,
    cache: Option<&'static str>,
) -> Response {
    let mut response = http::Response::new(Body::from(body));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Some(cache) = cache {
        response
            .headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static(cache));
    }
    response
}

/// The 308 of path normalisation: `Location`, `Refresh: 0;url=…`, body = the destination.
fn permanent_redirect(location: String) -> Response {
    let (Ok(value), Ok(refresh)) = (
        HeaderValue::try_from(location.as_str()),
        HeaderValue::try_from(format!("0;url={location}")),
    ) else {
        return empty(StatusCode::BAD_REQUEST);
    };
    let mut response = http::Response::new(Body::from(location));
    *response.status_mut() = StatusCode::PERMANENT_REDIRECT;
    response.headers_mut().insert(LOCATION, value);
    response
        .headers_mut()
        .insert(HeaderName::from_static("refresh"), refresh);
    response
}

/// HEAD: same status and headers, no body. The length of the body GET would have sent is kept.
fn strip_body(response: &mut Response) {
    if let Some(len) = response.body().size_hint().exact() {
        if !response.headers().contains_key(CONTENT_LENGTH) {
            response
                .headers_mut()
                .insert(CONTENT_LENGTH, HeaderValue::from(len));
        }
    }
    *response.body_mut() = Body::empty();
}

fn panic_message(panic: &Box<dyn Any + Send>) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "non-string panic payload".to_owned()
    }
}

const NOT_FOUND_PAGE: &str = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>404: This page could not be found.</title><style>body{margin:0;height:100vh;display:flex;align-items:center;justify-content:center;font-family:system-ui,sans-serif}h1{display:inline-block;margin:0 20px 0 0;padding:0 23px 0 0;font-size:24px;font-weight:500;border-right:1px solid rgba(0,0,0,.3)}h2{display:inline-block;margin:0;font-size:14px;font-weight:400}</style></head><body><div><h1>404</h1><h2>This page could not be found.</h2></div></body></html>";
