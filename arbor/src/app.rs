//! The app: its routes, middleware and not-found file (what `app::router()` generates), its
//! settings, the tower layers around it, and the tower `Service` it is.

use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::response::IntoResponse;
use bytes::Bytes;
use futures_util::future::{BoxFuture, Either as FutureEither};
use http::HeaderValue;
use pin_project_lite::pin_project;
use tokio_util::task::TaskTracker;
use tower::util::BoxCloneSyncService;
use tower::{Layer, Service, ServiceExt};

use crate::body::Body;
use crate::cache::{CacheStore, MemoryStore};
use crate::flow::{
    Answer, CompiledConfig, Core, Fallback, MiddlewareSlot, Parts, RouteParts, Rules,
};
use crate::handler::{Handler, Slot};
use crate::instrumentation::{
    ErrorContext, ErrorRequest, Register, Registered, Reporter, RequestError,
};
use crate::layers::Defaults;
use crate::middleware::{CompiledMatcher, Matchers, Middleware};
use crate::routing::Route;
use crate::upload::Uploads;

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type Response = http::Response<Body>;

/// Request bodies above this many bytes are refused with 413 unless [`App::body_limit`] says
/// otherwise (10 MiB, the limit Next.js applies to bodies its proxy reads).
pub const DEFAULT_BODY_LIMIT: usize = 10 * 1024 * 1024;

/// How long a middleware rewrite to another origin waits for the upstream's answer (then 504).
pub const DEFAULT_PROXY_TIMEOUT: Duration = Duration::from_secs(30);

/// The origin request URLs are built from when neither the app nor a server says (Next.js's
/// default host and port).
const DEFAULT_ORIGIN: &str = "http://localhost:3000";

/// The routes of `app/`, its middleware and not-found file, its settings, and the layers
/// around it: what `app::router()` returns and [`serve`](crate::serve) serves.
///
/// An app whose state is given (`App<()>`: `app::router()` of an app without state, or after
/// [`with_state`](App::with_state)) is a `tower::Service`, so it composes both ways with
/// axum and tower:
///
/// ```no_run
/// # mod app { pub fn router() -> arbor::App { arbor::App::new() } }
/// use std::time::Duration;
/// use tower_http::cors::CorsLayer;
/// use tower_http::timeout::TimeoutLayer;
///
/// # async fn run() -> std::io::Result<()> {
/// // Layers around the whole app: they see every request, the middleware's included.
/// let app = app::router()
///     .layer(CorsLayer::permissive())
///     .layer(TimeoutLayer::with_status_code(
///         http::StatusCode::REQUEST_TIMEOUT,
///         Duration::from_secs(10),
///     ));
///
/// // The app inside an axum router, beside its own routes...
/// let router: axum::Router = axum::Router::new()
///     .route("/legacy", axum::routing::get(|| async { "legacy" }))
///     .fallback_service(app);
///
/// // ... or an axum router behind the app, for the URLs no route of `app/` has.
/// let legacy: axum::Router =
///     axum::Router::new().route("/old", axum::routing::get(|| async { "old" }));
/// let app = app::router().fallback_service(legacy);
/// arbor::serve(app).await
/// # }
/// ```
pub struct App<S = ()> {
    routes: Vec<Route<S>>,
    not_found: Option<Slot<S>>,
    middleware: Option<AppMiddleware<S>>,
    fallback: Option<Fallback>,
    layers: Vec<LayerFn>,
    settings: Settings,
    /// The request path and its layers, built on first use (as a `Service`).
    built: Arc<OnceLock<Result<Built, String>>>,
}

type LayerFn = Arc<dyn Fn(AppService) -> AppService + Send + Sync>;

/// The root middleware and its compiled matcher.
type AppMiddleware<S> = (MiddlewareSlot<S, Core>, Option<&'static [CompiledMatcher]>);

#[derive(Clone)]
struct Settings {
    body_limit: Option<usize>,
    compression: bool,
    request_log: bool,
    origin: Option<String>,
    metadata_base: Option<String>,
    proxy_timeout: Duration,
    cache_store: Option<Arc<dyn CacheStore>>,
    public: Option<Public>,
    /// `arbor.config.rs`, compiled.
    config: Option<&'static CompiledConfig>,
    /// `instrumentation.rs`'s `register`.
    register: Option<Register>,
    /// `instrumentation.rs`'s `on_request_error`.
    reporter: Option<Reporter>,
    /// The draft-mode cookie's value; random per process unless the build gave one.
    draft_secret: Option<&'static str>,
}

/// Where the files of `public/` come from.
#[derive(Clone)]
enum Public {
    Dir(std::path::PathBuf),
    Embedded(&'static [(&'static str, &'static [u8], u64)]),
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            body_limit: Some(DEFAULT_BODY_LIMIT),
            compression: true,
            request_log: true,
            origin: None,
            metadata_base: None,
            proxy_timeout: DEFAULT_PROXY_TIMEOUT,
            cache_store: None,
            public: None,
            config: None,
            register: None,
            reporter: None,
            draft_secret: None,
        }
    }
}

impl<S> Clone for App<S> {
    fn clone(&self) -> Self {
        App {
            routes: self.routes.clone(),
            not_found: self.not_found.clone(),
            middleware: self.middleware.clone(),
            fallback: self.fallback.clone(),
            layers: self.layers.clone(),
            settings: self.settings.clone(),
            built: self.built.clone(),
        }
    }
}

impl<S: Clone + Send + Sync + 'static> Default for App<S> {
    fn default() -> Self {
        Self::new()
    }
}

impl<S: Clone + Send + Sync + 'static> App<S> {
    /// An app with no routes: every URL is 404.
    pub fn new() -> Self {
        App {
            routes: Vec::new(),
            not_found: None,
            middleware: None,
            fallback: None,
            layers: Vec::new(),
            settings: Settings::default(),
            built: Arc::default(),
        }
    }

    /// The app changed by `change`, to be built anew.
    fn changed(mut self, change: impl FnOnce(&mut Self)) -> Self {
        change(&mut self);
        self.built = Arc::default();
        self
    }

    /// Gives the handlers their state (a database pool, a client, a config), which they read
    /// with the `State<T>` extractor, type-checked, without globals.
    pub fn with_state<S2>(self, state: S) -> App<S2> {
        App {
            routes: self.routes.iter().map(|r| r.with_state(&state)).collect(),
            not_found: self.not_found.as_ref().map(|h| h.with_state(&state)),
            middleware: self
                .middleware
                .as_ref()
                .map(|(m, matcher)| (m.with_state(&state), *matcher)),
            fallback: self.fallback,
            layers: self.layers,
            settings: self.settings,
            built: Arc::default(),
        }
    }

    /// Wraps the whole app in a tower layer, like `axum::Router::layer`: it sees every
    /// request, the middleware's redirects and the 404s included. The layer added last is the
    /// outermost. The result is still an `App`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use tower_http::timeout::TimeoutLayer;
    ///
    /// let app: arbor::App = arbor::App::new().layer(TimeoutLayer::with_status_code(
    ///     http::StatusCode::REQUEST_TIMEOUT,
    ///     Duration::from_secs(10),
    /// ));
    /// ```
    pub fn layer<L>(self, layer: L) -> Self
    where
        L: Layer<AppService> + Clone + Send + Sync + 'static,
        L::Service: Service<http::Request<Body>> + Clone + Send + Sync + 'static,
        <L::Service as Service<http::Request<Body>>>::Response: IntoResponse + 'static,
        <L::Service as Service<http::Request<Body>>>::Error: Into<Infallible> + 'static,
        <L::Service as Service<http::Request<Body>>>::Future: Send + 'static,
    {
        self.changed(|app| {
            app.layers
                .push(Arc::new(move |inner| AppService::new(layer.layer(inner))));
        })
    }

    /// Wraps the requests whose path is `prefix` or under it (`/api`, `/api/...`, not
    /// `/apix`) in a tower layer; the others go straight to the app. The one-line way to give
    /// part of an app `tower-http`'s `CorsLayer`, which then answers that part's preflights:
    ///
    /// ```
    /// use tower_http::cors::CorsLayer;
    ///
    /// let app: arbor::App = arbor::App::new().layer_at("/api", CorsLayer::permissive());
    /// ```
    pub fn layer_at<L>(self, prefix: &'static str, layer: L) -> Self
    where
        L: Layer<AppService> + Clone + Send + Sync + 'static,
        L::Service: Service<http::Request<Body>> + Clone + Send + Sync + 'static,
        <L::Service as Service<http::Request<Body>>>::Response: IntoResponse + 'static,
        <L::Service as Service<http::Request<Body>>>::Error: Into<Infallible> + 'static,
        <L::Service as Service<http::Request<Body>>>::Future: Send + 'static,
    {
        let prefix = prefix.trim_end_matches('/');
        self.changed(|app| {
            app.layers.push(Arc::new(move |inner: AppService| {
                let layered = AppService::new(layer.layer(inner.clone()));
                AppService::new(UnderPrefix {
                    prefix,
                    layered,
                    plain: inner,
                })
            }));
        })
    }

    /// Sends the requests no route matches to `service` instead of the not-found answer:
    /// an existing axum router (or any tower service) behind the app, while a team moves its
    /// routes over one by one. The middleware has run for them; `app/not-found.rs` is not used.
    pub fn fallback_service<T>(self, service: T) -> Self
    where
        T: Service<http::Request<Body>, Error = Infallible> + Clone + Send + Sync + 'static,
        T::Response: IntoResponse + 'static,
        T::Future: Send + 'static,
    {
        self.changed(|app| app.fallback = Some(AppService::new(service).0))
    }

    /// Serves the files under `dir` at `/`, as Next.js serves `public/`: a file beats a route
    /// at the same URL, with `ETag`, `Last-Modified`, `304` and `Range`. `arbor-build` calls it
    /// for the `public/` folder beside `Cargo.toml`; the files are listed when the app is
    /// built, so a file added later is served after a restart.
    ///
    /// ```no_run
    /// let app: arbor::App = arbor::App::new().public_dir("assets");
    /// ```
    pub fn public_dir(self, dir: impl Into<std::path::PathBuf>) -> Self {
        let dir = dir.into();
        self.changed(|app| app.settings.public = Some(Public::Dir(dir)))
    }

    /// Serves files built into the binary at `/`, as [`public_dir`](App::public_dir) serves a
    /// folder: what `arbor-build` generates for `Builder::embed_public`, so that an app
    /// deploys as one file. Each entry is the URL path, the bytes and the modification time
    /// (seconds since 1970) the `ETag` and `Last-Modified` are made from.
    pub fn public_files(self, files: &'static [(&'static str, &'static [u8], u64)]) -> Self {
        self.changed(|app| app.settings.public = Some(Public::Embedded(files)))
    }

    /// Refuses request bodies larger than `bytes` with 413, reading nothing past the limit
    /// (default [`DEFAULT_BODY_LIMIT`]); `None` takes the limit off, to put another body
    /// limit layer in its place.
    pub fn body_limit(self, bytes: impl Into<Option<usize>>) -> Self {
        let limit = bytes.into();
        self.changed(|app| app.settings.body_limit = limit)
    }

    /// Whether responses are compressed (gzip, brotli) for the clients that ask (default on).
    pub fn compression(self, on: bool) -> Self {
        self.changed(|app| app.settings.compression = on)
    }

    /// Whether each request gets a `tracing` span and a log line (default on; target
    /// `arbor::request`, level INFO, so `RUST_LOG=arbor::request=off` also silences it).
    pub fn request_log(self, on: bool) -> Self {
        self.changed(|app| app.settings.request_log = on)
    }

    /// The origin request URLs are built from (`request.url()`, `next_url()`), such as
    /// `https://api.example.com` behind a proxy. By default: where [`serve`](crate::serve)
    /// listens, or `http://localhost:3000` inside another server.
    pub fn origin(self, origin: impl Into<String>) -> Self {
        let origin = origin.into();
        self.changed(|app| app.settings.origin = Some(origin))
    }

    /// Where the site is published (`https://example.com`), for the absolute URLs of its Open
    /// Graph and Twitter images in page heads: Next.js's `metadataBase`. By default a page
    /// links them at the app's origin, and a page rendered before traffic at
    /// `http://localhost:3000`, as `next build` writes it.
    pub fn metadata_base(self, url: impl Into<String>) -> Self {
        let url = url.into().trim_end_matches('/').to_owned();
        self.changed(|app| app.settings.metadata_base = Some(url))
    }

    /// How long a middleware rewrite to another origin waits for the upstream (default 30 s);
    /// then the client gets 504. An upstream that cannot be reached is a 502.
    pub fn proxy_timeout(self, timeout: Duration) -> Self {
        self.changed(|app| app.settings.proxy_timeout = timeout)
    }

    /// Where cached routes and `#[cache]` data live (default: [`MemoryStore`], 64 MiB).
    pub fn cache_store(self, store: impl CacheStore) -> Self {
        let store: Arc<dyn CacheStore> = Arc::new(store);
        self.changed(|app| app.settings.cache_store = Some(store))
    }

    /// The URL pattern of every route, in registration order.
    pub fn patterns(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.routes.iter().map(|r| r.pattern)
    }
}

/// What `arbor-build`'s generated `router()` calls. Not part of the documented API.
#[doc(hidden)]
pub trait AppBuilder<S> {
    /// Adds a route.
    fn route(self, route: Route<S>) -> Self;
    /// Answers URLs no route matches with `handler` (`app/not-found.rs`).
    fn not_found<H: Handler<T, S>, T: 'static>(self, handler: H) -> Self;
    /// Runs `handler` before the routes for the requests `matcher` selects (every request
    /// when `None`).
    fn middleware<H: Middleware<T, S>, T: 'static>(
        self,
        handler: H,
        matcher: Option<&'static [CompiledMatcher]>,
    ) -> Self;
    /// Applies `arbor.config.rs`: its redirects, rewrites and headers.
    fn config(self, config: &'static CompiledConfig) -> Self;
    /// Runs `instrumentation.rs`'s `register()` at start-up, before any request.
    fn register<F, Fut, R>(self, register: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = R> + Send + 'static,
        R: Registered;
    /// The draft-mode cookie's value for this build (`arbor-build` makes one per build).
    fn draft_secret(self, secret: &'static str) -> Self;
    /// Answers `GET path` with the app's OpenAPI document (`OPENAPI.serve(path)`).
    fn openapi(self, path: &'static str, document: fn() -> crate::openapi::Document) -> Self;
    /// Tells `instrumentation.rs`'s `on_request_error()` of every request that failed.
    fn on_request_error<F, Fut>(self, report: F) -> Self
    where
        F: Fn(RequestError, ErrorRequest, ErrorContext) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static;
}

impl<S: Clone + Send + Sync + 'static> AppBuilder<S> for App<S> {
    fn route(self, route: Route<S>) -> Self {
        self.changed(|app| app.routes.push(route))
    }

    fn not_found<H: Handler<T, S>, T: 'static>(self, handler: H) -> Self {
        self.changed(|app| app.not_found = Some(Slot::new(handler)))
    }

    fn middleware<H: Middleware<T, S>, T: 'static>(
        self,
        handler: H,
        matcher: Option<&'static [CompiledMatcher]>,
    ) -> Self {
        self.changed(|app| app.middleware = Some((MiddlewareSlot::new(handler), matcher)))
    }

    fn config(self, config: &'static CompiledConfig) -> Self {
        self.changed(|app| app.settings.config = Some(config))
    }

    fn draft_secret(self, secret: &'static str) -> Self {
        self.changed(|app| app.settings.draft_secret = Some(secret))
    }

    fn openapi(self, path: &'static str, document: fn() -> crate::openapi::Document) -> Self {
        // Built once, when the router is: the document depends only on the code.
        let body = bytes::Bytes::from(document().served().to_json());
        let handler = move || {
            let body = body.clone();
            async move { crate::Response::new(body).with_header("content-type", "application/json") }
        };
        self.route(
            Route::new(path, "arbor.config.rs").handler(crate::routing::Method::Get, handler),
        )
    }

    fn register<F, Fut, R>(self, register: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = R> + Send + 'static,
        R: Registered,
    {
        let register: Register = Arc::new(move || {
            let registered = register();
            Box::pin(async move { registered.await.into_result() })
        });
        self.changed(|app| app.settings.register = Some(register))
    }

    fn on_request_error<F, Fut>(self, report: F) -> Self
    where
        F: Fn(RequestError, ErrorRequest, ErrorContext) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let reporter: Reporter =
            Arc::new(move |error, request, context| Box::pin(report(error, request, context)));
        self.changed(|app| app.settings.reporter = Some(reporter))
    }
}

impl<S> fmt::Debug for App<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("App")
            .field(
                "routes",
                &self
                    .routes
                    .iter()
                    .map(|r| (r.pattern, r.file))
                    .collect::<Vec<_>>(),
            )
            .field("layers", &self.layers.len())
            .field("fallback", &self.fallback.is_some())
            .finish()
    }
}

/// Where Arbor's server runs the app: its origin and port.
pub(crate) struct Served {
    pub(crate) origin: String,
    pub(crate) port: u16,
    /// Whether the client's `x-forwarded-*` headers come from a trusted proxy.
    pub(crate) behind_proxy: bool,
    /// How long any handler may take (a route's `MAX_DURATION` comes first).
    pub(crate) handler_timeout: Option<Duration>,
}

impl App<()> {
    /// Builds the request path and its layers.
    pub(crate) fn build(&self, served: Option<Served>) -> io::Result<Built> {
        let settings = &self.settings;
        let (origin, port, behind_proxy, handler_timeout) = match served {
            Some(served) => (
                settings.origin.clone().unwrap_or(served.origin),
                Some(served.port),
                served.behind_proxy,
                served.handler_timeout,
            ),
            None => (
                settings
                    .origin
                    .clone()
                    .unwrap_or_else(|| DEFAULT_ORIGIN.to_owned()),
                None,
                false,
                None,
            ),
        };
        let middleware = match &self.middleware {
            Some((slot, matcher)) => Some((slot.ready(&()), Matchers::new(*matcher)?)),
            None => None,
        };
        let core = Core::new(Parts {
            routes: self
                .routes
                .iter()
                .map(|route| RouteParts {
                    pattern: route.pattern,
                    file: route.file,
                    handlers: std::array::from_fn(|i| {
                        route.handlers[i].as_ref().map(|h| h.ready(&()))
                    }),
                    config: route.config,
                    static_paths: route.static_paths.clone(),
                    limits: route.limits,
                    prerendered: route.prerendered,
                })
                .collect(),
            not_found: self.not_found.as_ref().map(|h| h.ready(&())),
            fallback: self.fallback.clone(),
            middleware,
            rules: settings.config.map(Rules::new).transpose()?,
            register: settings.register.clone(),
            reporter: settings.reporter.clone(),
            draft_secret: settings
                .draft_secret
                .map_or_else(crate::draft::random_secret, str::to_owned),
            origin,
            metadata_base: settings.metadata_base.clone(),
            port,
            behind_proxy,
            handler_timeout,
            body_limit: settings.body_limit,
            public: match &settings.public {
                Some(Public::Dir(dir)) => Some(crate::public::PublicFiles::index(dir)?),
                Some(Public::Embedded(files)) => Some(crate::public::PublicFiles::embedded(files)),
                None => None,
            },
            proxy_timeout: settings.proxy_timeout,
            cache_store: settings
                .cache_store
                .clone()
                .unwrap_or_else(|| Arc::new(MemoryStore::default())),
            background: TaskTracker::new(),
        })?;
        let layered = (!self.layers.is_empty()).then(|| {
            let inner = AppService::new(CoreService {
                core: core.clone(),
                peer: None,
            });
            self.layers.iter().fold(inner, |inner, layer| layer(inner))
        });
        Ok(Built {
            body_limit: core.layer_body_limit(),
            core,
            layered,
            compression: settings.compression,
            request_log: settings.request_log,
        })
    }

    /// The app built for use as a `Service`, on first use.
    fn built(&self) -> &Result<Built, String> {
        self.built.get_or_init(|| {
            self.build(None).map_err(|err| {
                tracing::error!(error = %err, "the app cannot be built; every request answers 500");
                err.to_string()
            })
        })
    }

    /// Renders the static routes before traffic and checks `DYNAMIC = Dynamic::Error`, as
    /// [`serve`](crate::serve) does at start-up. Call it before serving when the app is
    /// mounted inside another server; otherwise a static route renders on its first request.
    pub async fn prerender(&self) -> io::Result<()> {
        match self.built() {
            Ok(built) => built.core.prerender().await,
            Err(err) => Err(io::Error::new(io::ErrorKind::InvalidInput, err.clone())),
        }
    }
}

/// The app as a layer receives it: a boxed service of `http::Request<Body>`, like axum's
/// `Route`.
#[derive(Clone)]
pub struct AppService(BoxCloneSyncService<http::Request<Body>, Response, Infallible>);

impl AppService {
    fn new<T>(service: T) -> Self
    where
        T: Service<http::Request<Body>> + Clone + Send + Sync + 'static,
        T::Response: IntoResponse + 'static,
        T::Error: Into<Infallible> + 'static,
        T::Future: Send + 'static,
    {
        AppService(BoxCloneSyncService::new(
            service
                .map_response(IntoResponse::into_response)
                .map_err(Into::into),
        ))
    }
}

impl fmt::Debug for AppService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AppService")
    }
}

impl Service<http::Request<Body>> for AppService {
    type Response = Response;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<Response, Infallible>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, req: http::Request<Body>) -> Self::Future {
        self.0.call(req)
    }
}

/// The request path as a service, for one connection (`peer` known) or for any.
#[derive(Clone)]
pub(crate) struct CoreService {
    core: Core,
    /// The client's address as `x-forwarded-for` writes it; when `None`, axum's
    /// `ConnectInfo<SocketAddr>` is read, if a server set it.
    peer: Option<HeaderValue>,
}

impl Service<http::Request<Body>> for CoreService {
    type Response = Response;
    type Error = Infallible;
    type Future = Answer;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: http::Request<Body>) -> Answer {
        let peer = match &self.peer {
            Some(peer) => Some(peer.clone()),
            None => req
                .extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .and_then(|ConnectInfo(addr)| HeaderValue::try_from(addr.ip().to_string()).ok()),
        };
        self.core.answer(req, peer)
    }
}

/// [`App::layer_at`]'s service: the layered app for the paths under `prefix`, the plain one
/// for the others.
#[derive(Clone)]
struct UnderPrefix {
    prefix: &'static str,
    layered: AppService,
    plain: AppService,
}

impl Service<http::Request<Body>> for UnderPrefix {
    type Response = Response;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<Response, Infallible>>;

    /// Always ready: each request waits for the service it goes to, on a clone of it.
    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: http::Request<Body>) -> Self::Future {
        let under = req
            .uri()
            .path()
            .strip_prefix(self.prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
        let service = if under { &self.layered } else { &self.plain };
        Box::pin(service.clone().oneshot(req))
    }
}

/// The request path, or it inside the app's own layers.
#[derive(Clone)]
pub(crate) enum Inner {
    Core(CoreService),
    Layered {
        service: AppService,
        /// Set as `ConnectInfo` for the layers and the request path.
        peer: Option<SocketAddr>,
    },
}

impl Service<http::Request<Body>> for Inner {
    type Response = Response;
    type Error = Infallible;
    type Future = FutureEither<Answer, BoxFuture<'static, Result<Response, Infallible>>>;

    /// Always ready: a request to the app's own layers waits for their readiness itself.
    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, mut req: http::Request<Body>) -> Self::Future {
        match self {
            Inner::Core(core) => FutureEither::Left(core.call(req)),
            Inner::Layered { service, peer } => {
                if let Some(peer) = *peer {
                    req.extensions_mut().insert(ConnectInfo(peer));
                }
                // Each request waits for the layers to be ready (a concurrency limit, a rate
                // limit), on a clone of them, as axum calls its routes.
                FutureEither::Right(Box::pin(service.clone().oneshot(req)))
            }
        }
    }
}

/// The app with its default layers: what a connection serves.
pub(crate) type Stack = Defaults<Inner>;

/// An app, built: its request path, its own layers, and the settings of the default layers.
pub(crate) struct Built {
    pub(crate) core: Core,
    layered: Option<AppService>,
    body_limit: Option<usize>,
    compression: bool,
    request_log: bool,
}

impl Built {
    /// The whole stack, for a connection from `peer` (or any, when `None`).
    pub(crate) fn stack(&self, peer: Option<SocketAddr>, uploads: Option<&Arc<Uploads>>) -> Stack {
        let inner = match &self.layered {
            Some(service) => Inner::Layered {
                service: service.clone(),
                peer,
            },
            None => Inner::Core(CoreService {
                core: self.core.clone(),
                peer: peer.and_then(|addr| HeaderValue::try_from(addr.ip().to_string()).ok()),
            }),
        };
        Defaults::new(
            inner,
            self.request_log,
            self.compression,
            self.body_limit,
            uploads.cloned(),
        )
    }
}

impl<B> Service<http::Request<B>> for App<()>
where
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = AppFuture;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: http::Request<B>) -> AppFuture {
        let inner = match self.built() {
            Ok(built) => Running::Answering {
                future: built.stack(None, None).call(req),
            },
            Err(_) => Running::Failed {
                response: Some(crate::answers::internal_error()),
            },
        };
        AppFuture { inner }
    }
}

pin_project! {
    /// The future of an [`App`]'s `Service::call`.
    pub struct AppFuture {
        #[pin]
        inner: Running,
    }
}

pin_project! {
    #[project = RunningProjected]
    enum Running {
        Answering { #[pin] future: <Stack as Service<http::Request<Body>>>::Future },
        /// The app could not be built (logged once).
        Failed { response: Option<Response> },
    }
}

impl Future for AppFuture {
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().inner.project() {
            RunningProjected::Answering { future } => future.poll(cx),
            RunningProjected::Failed { response } => {
                Poll::Ready(Ok(response.take().unwrap_or_default()))
            }
        }
    }
}

impl fmt::Debug for AppFuture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AppFuture")
    }
}
