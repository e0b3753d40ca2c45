//! Routes and the app that holds them. `arbor-build` generates the calls into this module;
//! users meet it through `app::router()`, [`App::with_state`] and [`RouteContext`].

mod params;
pub(crate) mod tree;

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use axum::handler::Handler;
use futures_util::future::BoxFuture;

use crate::body::Body;
use crate::cache::SegmentConfig;
use crate::middleware::CompiledMatcher;

pub(crate) use params::Matched;
pub use params::{
    build_path, serialize_params, FromParams, NoParams, ParamRef, Params, PathPart, RouteContext,
};

/// A method a route file can export a handler for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `HEAD`
    Head,
    /// `OPTIONS`
    Options,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `DELETE`
    Delete,
    /// `PATCH`
    Patch,
}

impl Method {
    /// Every method, in the order Next.js lists them.
    pub const ALL: [Method; 7] = [
        Method::Get,
        Method::Head,
        Method::Options,
        Method::Post,
        Method::Put,
        Method::Delete,
        Method::Patch,
    ];

    /// The HTTP token, which is also the exported function's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
        }
    }

    /// The method for an HTTP method, if it is one a route can export.
    pub fn from_http(method: &http::Method) -> Option<Method> {
        Some(match *method {
            http::Method::GET => Method::Get,
            http::Method::HEAD => Method::Head,
            http::Method::OPTIONS => Method::Options,
            http::Method::POST => Method::Post,
            http::Method::PUT => Method::Put,
            http::Method::DELETE => Method::Delete,
            http::Method::PATCH => Method::Patch,
            _ => return None,
        })
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One entry of the route manifest `arbor-build` generates (`app::ROUTES`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteInfo {
    /// The URL pattern, Next.js style (`/comments/[id]`).
    pub pattern: &'static str,
    /// The route file, relative to the crate root.
    pub file: &'static str,
    /// The methods the file exports.
    pub methods: &'static [Method],
}

/// A route's `generate_static_params`, turned into the paths it names.
pub(crate) type StaticPaths = Arc<dyn Fn() -> BoxFuture<'static, Vec<String>> + Send + Sync>;

pub(crate) type BoxHandler =
    Arc<dyn Fn(http::Request<Body>) -> BoxFuture<'static, axum::response::Response> + Send + Sync>;

/// A handler waiting for the app state.
pub(crate) trait PendingHandler<S>: Send {
    fn with_state(self: Box<Self>, state: S) -> BoxHandler;
}

struct Pending<H, T> {
    handler: H,
    _args: PhantomData<fn() -> T>,
}

impl<H, T, S> PendingHandler<S> for Pending<H, T>
where
    H: Handler<T, S>,
    S: Clone + Send + Sync + 'static,
    T: 'static,
{
    fn with_state(self: Box<Self>, state: S) -> BoxHandler {
        let handler = self.handler;
        Arc::new(move |req| Box::pin(handler.clone().call(req, state.clone())))
    }
}

pub(crate) enum Slot<S> {
    Pending(Box<dyn PendingHandler<S>>),
    Ready(BoxHandler),
}

impl<S: Clone + Send + Sync + 'static> Slot<S> {
    fn new<H, T>(handler: H) -> Self
    where
        H: Handler<T, S>,
        T: 'static,
    {
        Slot::Pending(Box::new(Pending {
            handler,
            _args: PhantomData,
        }))
    }

    fn with_state<S2>(self, state: &S) -> Slot<S2> {
        match self {
            Slot::Pending(p) => Slot::Ready(p.with_state(state.clone())),
            Slot::Ready(h) => Slot::Ready(h),
        }
    }

    pub(crate) fn ready(self, state: &S) -> BoxHandler {
        match self {
            Slot::Pending(p) => p.with_state(state.clone()),
            Slot::Ready(h) => h,
        }
    }
}

/// One route: a URL pattern and the handler of each method its file exports.
///
/// `arbor-build` generates these from `route.rs` files; they can also be built by hand.
pub struct Route<S = ()> {
    pub(crate) pattern: &'static str,
    pub(crate) file: &'static str,
    pub(crate) handlers: [Option<Slot<S>>; 7],
    pub(crate) config: Option<SegmentConfig>,
    pub(crate) static_paths: Option<StaticPaths>,
}

impl<S: Clone + Send + Sync + 'static> Route<S> {
    /// A route at `pattern` (`/comments/[id]`) defined in `file`.
    pub fn new(pattern: &'static str, file: &'static str) -> Self {
        Route {
            pattern,
            file,
            handlers: Default::default(),
            config: None,
            static_paths: None,
        }
    }

    /// The route's segment config (`DYNAMIC`, `REVALIDATE`, `DYNAMIC_PARAMS`).
    pub fn segment_config(mut self, config: SegmentConfig) -> Self {
        self.config = Some(config);
        self
    }

    /// The route's `generate_static_params`: each parameter set it returns is rendered before
    /// the server takes traffic.
    pub fn static_params<F, Fut, P>(mut self, generate: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = Vec<P>> + Send + 'static,
        P: FromParams + 'static,
    {
        let generate = Arc::new(generate);
        self.static_paths = Some(Arc::new(move || {
            let generate = generate.clone();
            Box::pin(async move { generate().await.iter().map(FromParams::to_path).collect() })
        }));
        self
    }

    /// Answers `method` with `handler`: any axum handler, such as
    /// `async fn(Request, RouteContext<Params>) -> Result<Response>`.
    pub fn handler<H, T>(mut self, method: Method, handler: H) -> Self
    where
        H: Handler<T, S>,
        T: 'static,
    {
        self.handlers[method.index()] = Some(Slot::new(handler));
        self
    }

    /// The methods this route answers itself.
    pub fn methods(&self) -> Vec<Method> {
        Method::ALL
            .into_iter()
            .filter(|m| self.handlers[m.index()].is_some())
            .collect()
    }

    fn with_state<S2>(self, state: &S) -> Route<S2> {
        Route {
            pattern: self.pattern,
            file: self.file,
            handlers: self.handlers.map(|h| h.map(|h| h.with_state(state))),
            config: self.config,
            static_paths: self.static_paths,
        }
    }
}

/// The routes of an app, its not-found handler, and the state its handlers share.
///
/// `app::router()` (generated from `app/`) returns one; serve it with [`crate::serve`]:
///
/// ```no_run
/// # #[derive(Clone)] struct Db;
/// # mod app { pub fn router<S: Clone + Send + Sync + 'static>() -> arbor::App<S> { arbor::App::new() } }
/// # async fn run() -> std::io::Result<()> {
/// let app = app::router().with_state(Db);
/// arbor::serve(app).await
/// # }
/// ```
pub struct App<S = ()> {
    pub(crate) routes: Vec<Route<S>>,
    pub(crate) not_found: Option<Slot<S>>,
    pub(crate) middleware: Option<(Slot<S>, Option<&'static [CompiledMatcher]>)>,
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
        }
    }

    /// Adds a route.
    pub fn route(mut self, route: Route<S>) -> Self {
        self.routes.push(route);
        self
    }

    /// Answers URLs no route matches with `handler` (`app/not-found.rs`). Its response is
    /// sent with status 404 unless it chose another error status.
    pub fn not_found<H, T>(mut self, handler: H) -> Self
    where
        H: Handler<T, S>,
        T: 'static,
    {
        self.not_found = Some(Slot::new(handler));
        self
    }

    /// Runs `handler` before the routes for the requests `matcher` selects (every request when
    /// `None`): the root `middleware.rs` / `proxy.rs`, whose matcher `arbor-build` compiled.
    pub fn middleware<H, T>(
        mut self,
        handler: H,
        matcher: Option<&'static [CompiledMatcher]>,
    ) -> Self
    where
        H: Handler<T, S>,
        T: 'static,
    {
        self.middleware = Some((Slot::new(handler), matcher));
        self
    }

    /// Gives the handlers their state (a database pool, a client, a config), which they read
    /// with axum's `State<T>` extractor, type-checked, without globals.
    pub fn with_state<S2>(self, state: S) -> App<S2> {
        App {
            routes: self
                .routes
                .into_iter()
                .map(|r| r.with_state(&state))
                .collect(),
            not_found: self.not_found.map(|h| h.with_state(&state)),
            middleware: self
                .middleware
                .map(|(h, matcher)| (h.with_state(&state), matcher)),
        }
    }

    /// The URL pattern of every route, in registration order.
    pub fn patterns(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.routes.iter().map(|r| r.pattern)
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
            .finish()
    }
}
