//! Routes: the methods a route file can export, the route manifest (`app::ROUTES`), the
//! parameters of dynamic segments, and the route tree that finds a path's route.

pub(crate) mod params;
pub(crate) mod tree;

use std::fmt;
use std::sync::Arc;

use futures_util::future::BoxFuture;

use crate::cache::SegmentConfig;
use crate::handler::{Handler, Slot};
use params::FromParams;

pub use params::{NoParams, Param};

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
    /// `QUERY` (a safe method with a body, as Next.js 16 accepts it)
    Query,
}

impl Method {
    /// How many methods a route can export.
    pub const COUNT: usize = 8;

    /// Every method, in the order Next.js lists them.
    pub const ALL: [Method; Method::COUNT] = [
        Method::Get,
        Method::Head,
        Method::Options,
        Method::Post,
        Method::Put,
        Method::Delete,
        Method::Patch,
        Method::Query,
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
            Method::Query => "QUERY",
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
            ref other if other.as_str() == "QUERY" => Method::Query,
            _ => return None,
        })
    }

    pub(crate) fn index(self) -> usize {
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

/// One route: a URL pattern and the handler of each method its file exports. `arbor-build`
/// generates these from `route.rs` files.
#[doc(hidden)]
pub struct Route<S = ()> {
    pub(crate) pattern: &'static str,
    pub(crate) file: &'static str,
    pub(crate) handlers: [Option<Slot<S>>; Method::COUNT],
    pub(crate) config: Option<SegmentConfig>,
    pub(crate) static_paths: Option<StaticPaths>,
    pub(crate) limits: RouteLimits,
    /// A page or a metadata file rendered before traffic: a form POST to it is answered from
    /// the cache, as Next.js answers what may be a server action.
    pub(crate) prerendered: bool,
}

/// A route's own limits, from its segment config (`MAX_DURATION`, `BODY_LIMIT`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct RouteLimits {
    /// How long its handlers may take before the request is answered 504.
    pub(crate) max_duration: Option<std::time::Duration>,
    /// The largest request body its handlers accept.
    pub(crate) body_limit: Option<usize>,
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
            limits: RouteLimits::default(),
            prerendered: false,
        }
    }

    /// Marks a page or a metadata file rendered before traffic: a form POST (what Next.js
    /// takes for a server action) gets the cached answer, as Next.js gives it.
    pub fn prerendered(mut self) -> Self {
        self.prerendered = true;
        self
    }

    /// The route's caching segment config (`DYNAMIC`, `REVALIDATE`, `DYNAMIC_PARAMS`).
    pub fn segment_config(mut self, config: SegmentConfig) -> Self {
        self.config = Some(config);
        self
    }

    /// `pub const MAX_DURATION: u64`: seconds the route's handlers may take before the
    /// request is answered 504 Gateway Timeout (Next.js's `maxDuration`).
    pub fn max_duration(mut self, seconds: u64) -> Self {
        self.limits.max_duration = Some(std::time::Duration::from_secs(seconds));
        self
    }

    /// `pub const BODY_LIMIT: usize`: the largest request body, in bytes, the route's
    /// handlers accept (413 past it), instead of the app's [`body_limit`](crate::App::body_limit).
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.limits.body_limit = Some(bytes);
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

    /// The paths rendered before traffic, listed by `paths` (a generated metadata file's ids).
    pub fn static_paths<F>(mut self, paths: F) -> Self
    where
        F: Fn() -> BoxFuture<'static, Vec<String>> + Send + Sync + 'static,
    {
        self.static_paths = Some(Arc::new(paths));
        self
    }

    /// Answers `method` with `handler`, such as
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

    pub(crate) fn with_state<S2>(&self, state: &S) -> Route<S2> {
        Route {
            pattern: self.pattern,
            file: self.file,
            handlers: std::array::from_fn(|i| {
                self.handlers[i].as_ref().map(|h| h.with_state(state))
            }),
            config: self.config,
            static_paths: self.static_paths.clone(),
            limits: self.limits,
            prerendered: self.prerendered,
        }
    }
}

impl<S> Clone for Route<S> {
    fn clone(&self) -> Self {
        Route {
            pattern: self.pattern,
            file: self.file,
            handlers: self.handlers.clone(),
            config: self.config,
            static_paths: self.static_paths.clone(),
            limits: self.limits,
            prerendered: self.prerendered,
        }
    }
}
