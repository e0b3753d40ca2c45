//! `instrumentation.rs`, Next.js's `instrumentation.ts`: `register()` runs once before the
//! server takes traffic, and `on_request_error()` hears of every request that failed on the
//! server, with what Next.js tells `onRequestError` (what Sentry and its peers plug into).
//!
//! ```
//! // instrumentation.rs, beside Cargo.toml (or in src/)
//! use arbor::instrumentation::{ErrorContext, ErrorRequest, RequestError};
//!
//! pub async fn register() -> Result<(), std::io::Error> {
//!     // set up an exporter; an `Err` stops start-up with its message
//!     Ok(())
//! }
//!
//! pub async fn on_request_error(error: RequestError, request: ErrorRequest, context: ErrorContext) {
//!     tracing::error!(
//!         message = error.message,
//!         path = request.path,
//!         route = context.route_path,
//!         "request failed"
//!     );
//! }
//! ```
//!
//! `on_request_error` is called for a route handler's error (an `Err` of
//! [`Error::internal`](crate::Error::internal) kind, answered 500) or panic, a page that fails
//! while rendering, and the middleware's errors and panics; not for client errors (4xx),
//! `not_found()` and `redirect()`, which are answers, nor for an `after()` future's panic,
//! which is logged. It runs on the app's background tracker, after the answer: graceful
//! shutdown waits for it.

use std::fmt;
use std::sync::Arc;

use futures_util::future::BoxFuture;
use http::{HeaderMap, Method};

/// The error, as `onRequestError`'s first argument.
#[derive(Debug, Clone)]
pub struct RequestError {
    /// What the error or the panic said.
    pub message: String,
    /// For a page that failed while rendering: the digest its error page carries, which
    /// ties a report to what the client saw. `None` for a route handler, as in Next.js.
    pub digest: Option<String>,
    /// Whether it was a panic rather than a returned error.
    pub panicked: bool,
}

/// The request that failed, as `onRequestError`'s second argument.
#[derive(Debug, Clone)]
pub struct ErrorRequest {
    /// The path and query as received (`/instr/throw?x=1`).
    pub path: String,
    /// The method.
    pub method: Method,
    /// The request's headers.
    pub headers: HeaderMap,
}

/// Where it failed, as `onRequestError`'s third argument.
#[derive(Debug, Clone)]
pub struct ErrorContext {
    /// Always `"App Router"`.
    pub router_kind: &'static str,
    /// The route's pattern (`/blog/[slug]`); for the middleware, the request's path.
    pub route_path: String,
    /// What was running.
    pub route_type: RouteType,
    /// For a page: `"react-server-components"`, as Next.js names its render; else `None`.
    pub render_source: Option<&'static str>,
    /// Why a cached route was being regenerated, when it was.
    pub revalidate_reason: Option<RevalidateReason>,
}

/// What was running when a request failed (`context.routeType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteType {
    /// A route handler (`route.rs`), a metadata file, or `not-found.rs`.
    Route,
    /// A page (`page.rs`) rendering.
    Render,
    /// The middleware (`proxy.rs` / `middleware.rs`).
    Proxy,
}

impl RouteType {
    /// Next.js's name: `route`, `render` or `proxy`.
    pub fn as_str(self) -> &'static str {
        match self {
            RouteType::Route => "route",
            RouteType::Render => "render",
            RouteType::Proxy => "proxy",
        }
    }
}

impl fmt::Display for RouteType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a cached route was regenerated (`context.revalidateReason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevalidateReason {
    /// `revalidate_path` / `revalidate_tag`.
    OnDemand,
    /// Its `REVALIDATE` time passed.
    Stale,
}

/// A failure a handler's answer carries to the end of the request path, where it is
/// reported: set where the error is turned into its 500, completed by the stage that knows
/// the route.
#[derive(Debug, Clone)]
pub(crate) struct Failure {
    pub(crate) error: RequestError,
    pub(crate) route: Option<&'static str>,
    pub(crate) route_type: RouteType,
    /// Set when a cached route failed while it was regenerated.
    pub(crate) revalidate_reason: Option<RevalidateReason>,
}

impl Failure {
    /// The middleware's error or panic.
    pub(crate) fn proxy(message: String, panicked: bool) -> Self {
        Failure {
            route_type: RouteType::Proxy,
            ..Failure::route(message, panicked)
        }
    }

    /// Puts this failure on an answer, to be reported at the end of the request path.
    pub(crate) fn on<B>(self, mut answer: http::Response<B>) -> http::Response<B> {
        answer.extensions_mut().insert(self);
        answer
    }

    /// A route handler's error or panic.
    pub(crate) fn route(message: String, panicked: bool) -> Self {
        Failure {
            error: RequestError {
                message,
                digest: None,
                panicked,
            },
            route: None,
            route_type: RouteType::Route,
            revalidate_reason: None,
        }
    }

    /// Where it failed, as `on_request_error` is told (`path`: the request's, for the
    /// middleware, which has no route).
    pub(crate) fn context(&self, path: &str) -> ErrorContext {
        ErrorContext {
            router_kind: "App Router",
            route_path: match self.route {
                Some(route) => route.to_owned(),
                None => path.split('?').next().unwrap_or("/").to_owned(),
            },
            route_type: self.route_type,
            render_source: (self.route_type == RouteType::Render)
                .then_some("react-server-components"),
            revalidate_reason: self.revalidate_reason,
        }
    }
}

/// The app's `on_request_error`, as generated code hands it over.
pub(crate) type Reporter =
    Arc<dyn Fn(RequestError, ErrorRequest, ErrorContext) -> BoxFuture<'static, ()> + Send + Sync>;

/// The app's `register`, as generated code hands it over.
pub(crate) type Register = Arc<dyn Fn() -> BoxFuture<'static, Result<(), String>> + Send + Sync>;

/// What `register()` may return: nothing, or a `Result` whose error stops start-up.
#[doc(hidden)]
pub trait Registered {
    /// `Err` with the message start-up stops with.
    fn into_result(self) -> Result<(), String>;
}

impl Registered for () {
    fn into_result(self) -> Result<(), String> {
        Ok(())
    }
}

impl<E: fmt::Display> Registered for Result<(), E> {
    fn into_result(self) -> Result<(), String> {
        self.map_err(|e| e.to_string())
    }
}
