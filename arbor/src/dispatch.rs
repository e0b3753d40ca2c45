//! One request's way through the app: path normalisation, route lookup, method dispatch, the
//! handler, and the framework's own answers (308, 400, 404, 405, 413, 501, 500).

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::header::SET_COOKIE;
use http::{HeaderMap, Uri};
use http_body_util::Full;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use tokio_util::task::TaskTracker;

use axum::response::IntoResponse;
use futures_util::future::BoxFuture;
use futures_util::FutureExt;
use http::header::{ALLOW, CACHE_CONTROL, CONTENT_LENGTH, CONTENT_TYPE, HOST, LOCATION};
use http::{HeaderName, HeaderValue, StatusCode};
use http_body::Body as _;

use crate::body::{Body, BodySlot};
use crate::cache::{self, Cache, CacheEntry, CacheStore, Dynamic, Freshness, SegmentConfig};
use crate::error::{json_error, Failed};
use crate::middleware::{Directive, Matchers, ProxyCookies};
use crate::path::{self, PathCheck};
use crate::request::read_all;
use crate::request::{Forwarded, RenderProbe, Routed, Site};
use crate::routing::tree::{PatternError, Tree};
use crate::routing::StaticPaths;
use crate::routing::{App, BoxHandler, Matched, Method, Params};
use crate::scope::Run;

type Response = http::Response<Body>;

const NO_STORE: &str = "private, no-cache, no-store, max-age=0, must-revalidate";
/// Plain text pages, such as the sub-resource 404.
const TEXT_TYPE: &str = "text/plain; charset=utf-8";
/// The framework's own error answers, as Next.js writes them.
const ERROR_TYPE: &str = "text/plain";

struct ReadyRoute {
    pattern: &'static str,
    handlers: [Option<BoxHandler>; 7],
    /// Present when GET is static (segment config, `generate_static_params`).
    config: Option<SegmentConfig>,
    static_paths: Option<StaticPaths>,
    /// The paths `generate_static_params` named, filled by the prerender.
    known_paths: std::sync::OnceLock<std::collections::HashSet<String>>,
    /// `Allow` for OPTIONS and 405: the exported methods, HEAD with GET, OPTIONS; sorted.
    allow: HeaderValue,
}

/// What the server knows that the app does not: where it listens and what it accepts.
#[derive(Clone)]
pub(crate) struct Settings {
    pub(crate) origin: Arc<str>,
    pub(crate) port: u16,
    pub(crate) body_limit: usize,
    pub(crate) proxy_timeout: Duration,
    pub(crate) cache_store: Arc<dyn CacheStore>,
}

/// The origin a static render's request carries, as Next.js's build-time render has it.
const STATIC_ORIGIN: &str = "http://localhost:3000";

/// Proxied requests carry their hop count, so a rewrite that proxies back to this server is
/// cut off instead of looping.
const HOPS: HeaderName = HeaderName::from_static("x-arbor-rewrite-hops");
const MAX_HOPS: u32 = 8;

struct ReadyMiddleware {
    handler: BoxHandler,
    matchers: Matchers,
}

/// Where a rewrite goes.
enum Target {
    /// A path of this app (with its query).
    Internal(Uri),
    /// Another origin: proxied.
    External(Uri),
}

/// The app, ready to answer requests. Built once at start-up; nothing is discovered later.
pub(crate) struct Dispatcher {
    tree: Tree,
    routes: Vec<ReadyRoute>,
    not_found: Option<BoxHandler>,
    middleware: Option<ReadyMiddleware>,
    site: Arc<Site>,
    /// The site of static renders, whose requests come from `localhost:3000` as in `next build`.
    static_site: Arc<Site>,
    /// The origin as URLs serialise it, to tell same-origin rewrites and redirects.
    origin_key: String,
    port: HeaderValue,
    port_number: u16,
    body_limit: usize,
    client: Client<HttpConnector, Full<Bytes>>,
    proxy_timeout: Duration,
    cache: Arc<Cache>,
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
            let config = route.config.filter(SegmentConfig::is_static);
            routes.push(ReadyRoute {
                pattern: route.pattern,
                allow: allow_header(&methods),
                handlers: route.handlers.map(|h| h.map(|h| h.ready(&()))),
                config,
                static_paths: route.static_paths,
                known_paths: std::sync::OnceLock::new(),
            });
        }
        let middleware = match app.middleware {
            Some((handler, matcher)) => Some(ReadyMiddleware {
                handler: handler.ready(&()),
                matchers: Matchers::new(matcher)?,
            }),
            None => None,
        };
        let origin_key = url::Url::parse(&settings.origin)
            .map(|u| u.origin().ascii_serialization())
            .unwrap_or_else(|_| settings.origin.to_string());
        let background = TaskTracker::new();
        Ok(Dispatcher {
            tree,
            routes,
            not_found: app.not_found.map(|h| h.ready(&())),
            middleware,
            site: Arc::new(Site {
                origin: settings.origin.as_ref().into(),
                background: background.clone(),
            }),
            static_site: Arc::new(Site {
                origin: STATIC_ORIGIN.into(),
                background,
            }),
            origin_key,
            port: HeaderValue::from(settings.port),
            port_number: settings.port,
            body_limit: settings.body_limit,
            client: Client::builder(TokioExecutor::new()).build_http(),
            proxy_timeout: settings.proxy_timeout,
            cache: Arc::new(Cache::new(settings.cache_store)),
        })
    }

    /// Renders every static route (and each parameter set of `generate_static_params`) before
    /// the server takes traffic. A `DYNAMIC = Dynamic::Error` handler that reads its request
    /// fails here, naming what it read.
    pub(crate) async fn prerender(&self) -> io::Result<()> {
        for (id, route) in self.routes.iter().enumerate() {
            let (Some(config), Some(get)) = (route.config, &route.handlers[Method::Get as usize])
            else {
                continue;
            };
            let mut paths = Vec::new();
            if !route.pattern.contains('[') {
                paths.push(route.pattern.to_owned());
            }
            if let Some(generate) = &route.static_paths {
                let generated = generate().await;
                let _ = route.known_paths.set(generated.iter().cloned().collect());
                paths.extend(generated);
            }
            for path in paths {
                let mut captures = Vec::new();
                if self.tree.find(&path, &mut captures) != Some(id) {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidInput,
                        format!(
                            "`{}`: generate_static_params returned {path:?}, which is not a URL of this route",
                            route.pattern
                        ),
                    ));
                }
                let params = Params::decode(&captures)
                    .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.to_string()))?;
                let matched = Matched {
                    pattern: route.pattern,
                    params,
                };
                let probe = (config.dynamic == Dynamic::Error).then(RenderProbe::default);
                let rendered = render(
                    get,
                    &self.cache,
                    &self.static_site,
                    &path,
                    matched,
                    config,
                    probe.clone(),
                )
                .await;
                if let Some(used) = probe.as_ref().and_then(RenderProbe::used) {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidInput,
                        format!(
                            "route `{}` with `DYNAMIC = Dynamic::Error` couldn't be rendered statically because it used `request.{used}`; remove the read, or use `Dynamic::ForceStatic` (an empty request) or `Dynamic::Auto`",
                            route.pattern
                        ),
                    ));
                }
                match rendered {
                    Some((entry, true)) => store(&self.cache, &path, entry).await,
                    Some((entry, false)) => tracing::warn!(
                        route = route.pattern,
                        status = entry.status,
                        "static render answered an error status; not cached"
                    ),
                    None => tracing::error!(route = route.pattern, "static render panicked"),
                }
            }
        }
        Ok(())
    }

    /// GET or HEAD of a static route: from the cache, stale while one regeneration runs, or
    /// rendered now.
    async fn serve_static(
        self: Arc<Self>,
        req: http::Request<Body>,
        route: usize,
        get: BoxHandler,
        matched: Matched,
        config: SegmentConfig,
        forwarded: Forwarded,
    ) -> Response {
        let (route, get) = (&self.routes[route], &get);
        let path = req.uri().path().to_owned();
        if route.static_paths.is_some() && !config.dynamic_params {
            let known = route.known_paths.get().is_some_and(|k| k.contains(&path));
            if !known {
                return self.not_found(req, &forwarded).await;
            }
        }
        let key = cache_key(&path);
        let stored = match self.cache.store.get(&key).await {
            Ok(stored) => stored,
            Err(err) => {
                tracing::warn!(error = %err, "cache store unavailable; serving uncached");
                return match self.render_now(get, &path, matched, config).await {
                    Some((entry, _)) => cached_response(entry, None, config),
                    None => empty(StatusCode::INTERNAL_SERVER_ERROR),
                };
            }
        };
        if let Some(entry) = stored {
            match self.cache.freshness(&entry).await {
                Freshness::Fresh => return cached_response(entry, Some("HIT"), config),
                Freshness::Stale => {
                    if let Some(claim) = self.cache.claim(&key) {
                        let (get, cache) = (get.clone(), self.cache.clone());
                        let site = self.static_site.clone();
                        let (path, matched) = (path.clone(), matched.clone());
                        tokio::spawn(async move {
                            match render(&get, &cache, &site, &path, matched, config, None).await {
                                Some((fresh, true)) => store(&cache, &path, fresh).await,
                                _ => tracing::error!(
                                    path,
                                    "background regeneration failed; the stale entry stays"
                                ),
                            }
                            drop(claim);
                        });
                    }
                    return cached_response(entry, Some("STALE"), config);
                }
                Freshness::Expired => {}
            }
        }
        match self.render_now(get, &path, matched, config).await {
            Some((entry, cacheable)) => {
                if cacheable {
                    store(&self.cache, &path, entry.clone()).await;
                }
                cached_response(entry, Some("MISS"), config)
            }
            None => empty(StatusCode::INTERNAL_SERVER_ERROR),
        }
    }

    /// Renders a static GET for the request being answered.
    async fn render_now(
        &self,
        get: &BoxHandler,
        path: &str,
        matched: Matched,
        config: SegmentConfig,
    ) -> Option<(CacheEntry, bool)> {
        render(
            get,
            &self.cache,
            &self.static_site,
            path,
            matched,
            config,
            None,
        )
        .await
    }

    pub(crate) fn body_limit(&self) -> usize {
        self.body_limit
    }

    /// Work the middleware left running with `wait_until`.
    pub(crate) fn background(&self) -> &TaskTracker {
        &self.site.background
    }

    /// Answers one request. Everything up to the handler is decided before the returned
    /// future exists, so the future holds little more than the handler's own.
    pub(crate) fn dispatch(
        self: &Arc<Self>,
        req: http::Request<Body>,
        peer: Option<HeaderValue>,
    ) -> impl Future<Output = Response> + Send + 'static {
        let head = req.method() == http::Method::HEAD;
        self.route(req, peer).map(move |mut response| {
            if head {
                strip_body(&mut response);
            }
            response
        })
    }

    /// Everything that comes before a handler, without waiting for anything.
    fn route(self: &Arc<Self>, mut req: http::Request<Body>, peer: Option<HeaderValue>) -> Step {
        match path::check(req.uri().path(), req.uri().query()) {
            PathCheck::Clean => {}
            PathCheck::Redirect(location) => return Step::Done(permanent_redirect(location)),
            PathCheck::MalformedEscape => {
                return Step::Done(text(
                    StatusCode::BAD_REQUEST,
                    "Bad Request",
                    ERROR_TYPE,
                    Some(NO_STORE),
                ));
            }
        }
        let hops = req
            .headers_mut()
            .remove(HOPS)
            .and_then(|v| v.to_str().ok()?.parse::<u32>().ok())
            .unwrap_or(0);
        if hops >= MAX_HOPS {
            tracing::error!(
                path = req.uri().path(),
                "a middleware rewrite looped back to this server {hops} times; answered 500"
            );
            return Step::Done(internal_error());
        }
        let forwarded = Forwarded {
            peer,
            port: self.port.clone(),
        };
        if too_large(&req, self.body_limit) {
            return Step::Done(json_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                &format!(
                    "the request body is larger than the {} bytes this server accepts",
                    self.body_limit
                ),
            ));
        }
        if let Some(middleware) = &self.middleware {
            let uri = req.uri();
            if middleware
                .matchers
                .matches(uri.path(), uri.query(), req.headers())
            {
                // Two handlers to await: boxed, so every other request's future stays small.
                return Step::Boxed(Box::pin(
                    self.clone().through_middleware(req, hops, forwarded),
                ));
            }
        }
        self.serve_route(req, &forwarded)
    }

    /// What the route for the request's path does with it, decided without waiting.
    fn serve_route(self: &Arc<Self>, req: http::Request<Body>, forwarded: &Forwarded) -> Step {
        let mut captures = Vec::new();
        let Some(id) = self.tree.find(req.uri().path(), &mut captures) else {
            return self.not_found(req, forwarded);
        };
        let route = &self.routes[id];
        let params = match Params::decode(&captures) {
            Ok(params) => params,
            Err(err) => return Step::Done(err.into_response()),
        };

        let method = Method::from_http(req.method());
        let handler = match method {
            Some(Method::Head) => route.handlers[Method::Head as usize]
                .as_ref()
                .or(route.handlers[Method::Get as usize].as_ref()),
            Some(m) => route.handlers[m as usize].as_ref(),
            None => None,
        };
        if let Some(config) = route.config {
            let get = route.handlers[Method::Get as usize].as_ref();
            match (method, get) {
                (Some(Method::Get | Method::Head), Some(get))
                    if handler.is_some_and(|h| Arc::ptr_eq(h, get)) =>
                {
                    let matched = Matched {
                        pattern: route.pattern,
                        params,
                    };
                    let (get, forwarded) = (get.clone(), forwarded.clone());
                    return Step::Boxed(Box::pin(
                        self.clone()
                            .serve_static(req, id, get, matched, config, forwarded),
                    ));
                }
                _ if handler.is_none() => {
                    // Served by the static path: only GET and HEAD, as Next.js answers.
                    let mut response = http::Response::new(Body::from("Method Not Allowed"));
                    *response.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
                    response
                        .headers_mut()
                        .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
                    return Step::Done(response);
                }
                _ => {}
            }
        }
        match (method, handler) {
            (Some(_), Some(handler)) => {
                let matched = Matched {
                    pattern: route.pattern,
                    params,
                };
                let run = self.call(handler, req, Some(matched), route.pattern, forwarded);
                Step::Handler(run, route.pattern)
            }
            (Some(Method::Options), None) => {
                let mut response = empty(StatusCode::NO_CONTENT);
                response.headers_mut().insert(ALLOW, route.allow.clone());
                Step::Done(response)
            }
            (None, _) if !is_known_unroutable(req.method()) => {
                Step::Done(empty(StatusCode::NOT_IMPLEMENTED))
            }
            _ => {
                let mut response = empty(StatusCode::METHOD_NOT_ALLOWED);
                response.headers_mut().insert(ALLOW, route.allow.clone());
                Step::Done(response)
            }
        }
    }

    /// Runs the middleware, then does what it asked.
    async fn through_middleware(
        self: Arc<Self>,
        mut req: http::Request<Body>,
        hops: u32,
        forwarded: Forwarded,
    ) -> Response {
        let Some(middleware) = &self.middleware else {
            return self.serve_route(req, &forwarded).await;
        };
        // Both the middleware and the handler may read the body: keep it, up to the limit.
        let body = if http_body::Body::is_end_stream(req.body()) {
            Bytes::new()
        } else {
            match Box::pin(read_all(std::mem::take(req.body_mut()))).await {
                Ok(body) => body,
                Err(err) => return err.into_response(),
            }
        };
        let mut copy = http::Request::new(body_of(&body));
        *copy.method_mut() = req.method().clone();
        *copy.uri_mut() = req.uri().clone();
        *copy.version_mut() = req.version();
        *copy.headers_mut() = req.headers().clone();
        let mut response = match self
            .call(&middleware.handler, copy, None, "middleware", &forwarded)
            .await
        {
            Some(response) if response.extensions().get::<Failed>().is_none() => response,
            _ => return internal_error(),
        };
        *req.body_mut() = body_of(&body);
        match response.extensions_mut().remove::<Directive>() {
            None => self.finish_redirect(response),
            Some(Directive::Next { request_headers }) => {
                forward_to_request(&mut req, response.headers(), request_headers);
                let routed = self.serve_route(req, &forwarded).await;
                merge_headers(routed, std::mem::take(response.headers_mut()))
            }
            Some(Directive::Rewrite {
                url,
                request_headers,
            }) => {
                forward_to_request(&mut req, response.headers(), request_headers);
                let routed = match self.target(&url) {
                    Some(Target::Internal(uri)) => {
                        *req.uri_mut() = uri;
                        self.serve_route(req, &forwarded).await
                    }
                    Some(Target::External(uri)) => {
                        let method = req.method().clone();
                        let mut headers = req.headers().clone();
                        forwarded.add_to(&mut headers);
                        // Boxed: the proxy's state would make every middleware future larger.
                        Box::pin(self.proxy(method, &headers, uri, body, hops)).await
                    }
                    None => {
                        tracing::error!(
                            url,
                            "the middleware rewrote to an invalid URL; answered 500"
                        );
                        internal_error()
                    }
                };
                merge_headers(routed, std::mem::take(response.headers_mut()))
            }
        }
    }

    /// A rewrite target: a path or a same-origin URL is internal, anything else is proxied.
    fn target(&self, url: &str) -> Option<Target> {
        if url.starts_with('/') {
            return url.parse().ok().map(Target::Internal);
        }
        let parsed = url::Url::parse(url).ok()?;
        if parsed.origin().ascii_serialization() == self.origin_key {
            let mut target = parsed.path().to_owned();
            if let Some(query) = parsed.query() {
                target.push('?');
                target.push_str(query);
            }
            return target.parse().ok().map(Target::Internal);
        }
        url.parse().ok().map(Target::External)
    }

    /// Proxies the request to another origin and streams its answer back.
    async fn proxy(
        &self,
        method: http::Method,
        request_headers: &HeaderMap,
        uri: Uri,
        body: Bytes,
        hops: u32,
    ) -> Response {
        let mut upstream = http::Request::new(Full::new(body));
        *upstream.method_mut() = method;
        let headers = upstream.headers_mut();
        for (name, value) in request_headers {
            if !is_hop_by_hop(name) && name != HOST {
                headers.append(name, value.clone());
            }
        }
        if let Some(authority) = uri.authority() {
            if let Ok(host) = HeaderValue::try_from(authority.as_str()) {
                headers.insert(HOST, host);
            }
        }
        if self.is_this_server(&uri) {
            // Only a target on this server can bring the request back here: count the hops.
            headers.insert(HOPS, HeaderValue::from(hops + 1));
        }
        *upstream.uri_mut() = uri.clone();
        match tokio::time::timeout(self.proxy_timeout, self.client.request(upstream)).await {
            Err(_) => {
                tracing::warn!(%uri, timeout = ?self.proxy_timeout, "rewrite upstream timed out; answered 504");
                text(
                    StatusCode::GATEWAY_TIMEOUT,
                    "Gateway Timeout",
                    ERROR_TYPE,
                    Some(NO_STORE),
                )
            }
            Ok(Err(err)) => {
                tracing::warn!(%uri, error = %err, "rewrite upstream failed; answered 502");
                text(
                    StatusCode::BAD_GATEWAY,
                    "Bad Gateway",
                    ERROR_TYPE,
                    Some(NO_STORE),
                )
            }
            Ok(Ok(answer)) => {
                let (mut parts, body) = answer.into_parts();
                let hop_by_hop: Vec<HeaderName> = parts
                    .headers
                    .keys()
                    .filter(|name| is_hop_by_hop(name))
                    .cloned()
                    .collect();
                for name in hop_by_hop {
                    parts.headers.remove(name);
                }
                http::Response::from_parts(parts, Body::new(body))
            }
        }
    }

    /// Whether `uri` points at the port this server listens on, on a loopback or local name.
    fn is_this_server(&self, uri: &Uri) -> bool {
        let port = uri.port_u16().unwrap_or(80);
        let host = uri
            .host()
            .unwrap_or("")
            .trim_start_matches('[')
            .trim_end_matches(']');
        let local = host == "localhost"
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback() || ip.is_unspecified())
            || self.origin_key.contains(&format!("//{host}:"));
        port == self.port_number && local
    }

    /// A middleware's own redirect: a same-origin `Location` is made relative, the body is the
    /// destination, and a 308 also gets `Refresh`, as Next.js sends them.
    fn finish_redirect(&self, mut response: Response) -> Response {
        if !response.status().is_redirection() {
            return response;
        }
        let Some(location) = response
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
        else {
            return response;
        };
        let location = match url::Url::parse(&location) {
            Ok(url) if url.origin().ascii_serialization() == self.origin_key => {
                let mut relative = url.path().to_owned();
                if let Some(query) = url.query() {
                    relative.push('?');
                    relative.push_str(query);
                }
                relative
            }
            _ => location,
        };
        let (Ok(value), Ok(refresh)) = (
            HeaderValue::try_from(location.as_str()),
            HeaderValue::try_from(format!("0;url={location}")),
        ) else {
            return response;
        };
        response.headers_mut().insert(LOCATION, value);
        if response.status() == StatusCode::PERMANENT_REDIRECT {
            response
                .headers_mut()
                .insert(HeaderName::from_static("refresh"), refresh);
        }
        if response.body().size_hint().exact() == Some(0) {
            *response.body_mut() = Body::from(location);
        }
        response
    }

    /// A handler's run on this request, with what the router attaches to it.
    fn call(
        &self,
        handler: &BoxHandler,
        req: http::Request<Body>,
        matched: Option<Matched>,
        what: &'static str,
        forwarded: &Forwarded,
    ) -> Run {
        let (parts, body) = req.into_parts();
        let slot = BodySlot::new(body);
        let reader = slot.reader();
        let routed = Routed {
            slot,
            site: self.site.clone(),
            matched,
            forwarded: Some(forwarded.clone()),
            probe: None,
        };
        let req = http::Request::from_parts(parts, reader);
        Run::new(handler(req), routed, self.cache.clone(), what)
    }

    /// The not-found answer: `app/not-found.rs` when the app has one, else the default page.
    fn not_found(&self, req: http::Request<Body>, forwarded: &Forwarded) -> Step {
        if let Some(handler) = &self.not_found {
            return Step::NotFound(self.call(handler, req, None, "not-found", forwarded));
        }
        if wants_document(&req) {
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
            Step::Done(response)
        } else {
            Step::Done(text(
                StatusCode::NOT_FOUND,
                "Not Found",
                TEXT_TYPE,
                Some(NO_STORE),
            ))
        }
    }
}

/// What a route does with a request, decided before anything is awaited.
enum Step {
    /// Answered without a handler (404 page, 405, OPTIONS, 308...).
    Done(Response),
    /// The route's handler, running.
    Handler(Run, &'static str),
    /// `app/not-found.rs`, running.
    NotFound(Run),
    /// A way with more to wait for (the middleware, the static cache), in its own box.
    Boxed(BoxFuture<'static, Response>),
}

/// Carrying out a step: running its handler, or its boxed way.
impl Future for Step {
    type Output = Response;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Response> {
        let response = match self.get_mut() {
            Step::Done(response) => std::mem::take(response),
            Step::Handler(run, pattern) => {
                handler_response(ready!(Pin::new(run).poll(cx)), pattern)
            }
            Step::NotFound(run) => {
                let mut response = handler_response(ready!(Pin::new(run).poll(cx)), "not-found");
                // A 404 unless the handler chose an error status itself.
                if !response.status().is_client_error() && !response.status().is_server_error() {
                    *response.status_mut() = StatusCode::NOT_FOUND;
                }
                response
            }
            Step::Boxed(future) => ready!(future.as_mut().poll(cx)),
        };
        Poll::Ready(response)
    }
}

/// What a route or not-found handler answered: 500 when it panicked, or when it returned a
/// middleware's `next()` or `rewrite()`.
fn handler_response(response: Option<Response>, route: &str) -> Response {
    match response {
        Some(response) if response.extensions().get::<Directive>().is_some() => {
            tracing::error!(
                route,
                "a route handler returned Response::next() or Response::rewrite(), which only a middleware can; answered 500"
            );
            empty(StatusCode::INTERNAL_SERVER_ERROR)
        }
        Some(response) => response,
        None => empty(StatusCode::INTERNAL_SERVER_ERROR),
    }
}

fn cache_key(path: &str) -> String {
    format!("route:{path}")
}

/// Renders a static GET with an empty request: no headers, cookies or query. Returns the
/// entry and whether it may be cached (not a failure, not a status ≥ 400 other than 404).
async fn render(
    get: &BoxHandler,
    cache: &Arc<Cache>,
    site: &Arc<Site>,
    path: &str,
    matched: Matched,
    config: SegmentConfig,
    probe: Option<RenderProbe>,
) -> Option<(CacheEntry, bool)> {
    let uri: Uri = path.parse().ok()?;
    let mut req = http::Request::new(Body::empty());
    *req.uri_mut() = uri;
    let routed = Routed {
        slot: BodySlot::new(Body::empty()),
        site: site.clone(),
        matched: Some(matched),
        forwarded: None,
        probe,
    };
    let response = Run::new(get(req), routed, cache.clone(), path.to_owned()).await?;
    let failed = response.extensions().get::<Failed>().is_some();
    let (parts, body) = response.into_parts();
    let body = http_body_util::BodyExt::collect(body)
        .await
        .ok()?
        .to_bytes();
    let headers = parts
        .headers
        .iter()
        .filter(|(name, _)| {
            *name != CONTENT_LENGTH && *name != SET_COOKIE && name.as_str() != "date"
        })
        .filter_map(|(name, value)| Some((name.to_string(), value.to_str().ok()?.to_owned())))
        .collect();
    let status = parts.status.as_u16();
    let cacheable = !failed && (status < 400 || status == 404);
    Some((
        CacheEntry {
            status,
            headers,
            body,
            created_us: cache::now_us(),
            revalidate: config.revalidate_seconds(),
            tags: vec![cache::path_tag(path)],
        },
        cacheable,
    ))
}

async fn store(cache: &Cache, path: &str, entry: CacheEntry) {
    if let Err(err) = cache.store.set(&cache_key(path), entry).await {
        tracing::warn!(error = %err, "cache store unavailable; entry not cached");
    }
}

/// A cached entry as a response, with `x-nextjs-cache` and, unless the handler set its own,
/// Next.js's `Cache-Control`.
fn cached_response(
    entry: CacheEntry,
    state: Option<&'static str>,
    config: SegmentConfig,
) -> Response {
    let mut response = http::Response::new(Body::from(entry.body));
    *response.status_mut() = StatusCode::from_u16(entry.status).unwrap_or(StatusCode::OK);
    let headers = response.headers_mut();
    for (name, value) in &entry.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::try_from(name.as_str()),
            HeaderValue::try_from(value.as_str()),
        ) {
            headers.append(name, value);
        }
    }
    if let Some(state) = state {
        headers.insert(
            HeaderName::from_static("x-nextjs-cache"),
            HeaderValue::from_static(state),
        );
    }
    if !headers.contains_key(CACHE_CONTROL) {
        let value = match config.revalidate_seconds() {
            Some(seconds) => format!(
                "s-maxage={seconds}, stale-while-revalidate={}",
                cache::EXPIRE_SECONDS - seconds
            ),
            None => format!("s-maxage={}", cache::EXPIRE_SECONDS),
        };
        if let Ok(value) = HeaderValue::try_from(value) {
            headers.insert(CACHE_CONTROL, value);
        }
    }
    response
}

/// The framework's 500, as Next.js answers a failed middleware.
fn internal_error() -> Response {
    text(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Internal Server Error",
        ERROR_TYPE,
        Some(NO_STORE),
    )
}

fn is_hop_by_hop(name: &HeaderName) -> bool {
    matches!(
        name.as_str(),
        "connection"
            | "keep-alive"
            | "proxy-connection"
            | "te"
            | "trailer"
            | "transfer-encoding"
            | "upgrade"
            | "proxy-authorization"
    )
}

/// A request body of these bytes; an empty one costs nothing.
fn body_of(bytes: &Bytes) -> Body {
    if bytes.is_empty() {
        Body::empty()
    } else {
        Body::from(bytes.clone())
    }
}

/// What a `next()` or `rewrite()` response changes in the request the route sees: the
/// replaced request headers, the response's headers, and its cookies for the cookie readers.
fn forward_to_request(
    req: &mut http::Request<Body>,
    response: &HeaderMap,
    request_headers: Option<HeaderMap>,
) {
    if let Some(headers) = request_headers {
        *req.headers_mut() = headers;
    }
    let mut cookies = Vec::new();
    let mut previous: Option<&HeaderName> = None;
    // A map iterates the values of one name one after another: the first replaces what the
    // request had, the others join it.
    for (name, value) in response {
        let first = previous != Some(name);
        previous = Some(name);
        if name == SET_COOKIE {
            let Ok(line) = value.to_str() else { continue };
            let pair = line.split(';').next().unwrap_or("");
            if let Some((name, value)) = pair.split_once('=') {
                let value = percent_encoding::percent_decode_str(value.trim())
                    .decode_utf8_lossy()
                    .into_owned();
                cookies.push((name.trim().to_owned(), value));
            }
        } else if first {
            req.headers_mut().insert(name.clone(), value.clone());
        } else {
            req.headers_mut().append(name.clone(), value.clone());
        }
    }
    if !cookies.is_empty() {
        req.extensions_mut().insert(ProxyCookies(Arc::new(cookies)));
    }
}

/// The middleware's response headers on the final response: they win over the route's,
/// except `Set-Cookie`, `Vary`, `WWW-Authenticate` and `Proxy-Authenticate`, which add up
/// (the middleware's first).
fn merge_headers(mut response: Response, middleware: HeaderMap) -> Response {
    let headers = response.headers_mut();
    // The route's values of the headers that add up, appended after the middleware's.
    let mut route_values = Vec::new();
    // The header being merged; `None` while skipping one.
    let mut current: Option<HeaderName> = None;
    // `into_iter` moves the values and names each header once, on its first value.
    for (name, value) in middleware {
        if let Some(name) = name {
            current = (name != CONTENT_LENGTH && !is_hop_by_hop(&name)).then_some(name);
            let Some(name) = &current else { continue };
            if matches!(
                name.as_str(),
                "set-cookie" | "vary" | "www-authenticate" | "proxy-authenticate"
            ) {
                let kept = headers.get_all(name).iter().cloned();
                route_values.extend(kept.map(|value| (name.clone(), value)));
            }
            headers.insert(name.clone(), value);
        } else if let Some(name) = &current {
            headers.append(name.clone(), value);
        }
    }
    for (name, value) in route_values {
        headers.append(name, value);
    }
    response
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

const NOT_FOUND_PAGE: &str = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>404: This page could not be found.</title><style>body{margin:0;height:100vh;display:flex;align-items:center;justify-content:center;font-family:system-ui,sans-serif}h1{display:inline-block;margin:0 20px 0 0;padding:0 23px 0 0;font-size:24px;font-weight:500;border-right:1px solid rgba(0,0,0,.3)}h2{display:inline-block;margin:0;font-size:14px;font-weight:400}</style></head><body><div><h1>404</h1><h2>This page could not be found.</h2></div></body></html>";
