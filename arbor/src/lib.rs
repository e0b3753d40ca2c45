//! Arbor brings the Next.js App Router's route handlers to Rust.
//!
//! Lay out an `app/` folder; every `route.rs` in it is an endpoint at the URL its folders
//! spell, answering the HTTP methods it exports as `pub async fn GET`, `POST`...
//! `arbor-build` reads the tree at build time, so a broken tree is a compile error and the
//! server discovers nothing per request.
//!
//! ```text
//! my-app/
//! ├── Cargo.toml              # [dependencies] arbor, tokio  [build-dependencies] arbor-build
//! ├── build.rs                # fn main() { arbor_build::generate(); }
//! ├── src/main.rs             # arbor::app!(); then serve app::router()
//! ├── src/app.rs              # the module tree, rewritten by build.rs when folders change
//! ├── proxy.rs                # optional middleware, see [`middleware`]
//! └── app/
//!     ├── route.rs                   # /
//!     ├── comments/route.rs          # /comments
//!     ├── comments/[id]/route.rs     # /comments/{id}          Params { id: String }
//!     ├── docs/[...slug]/route.rs    # /docs/a, /docs/a/b      Params { slug: Vec<String> }
//!     ├── files/[[...path]]/route.rs # /files, /files/a/b      Params { path: Option<Vec<String>> }
//!     ├── (admin)/stats/route.rs     # /stats                  groups add nothing to the URL
//!     ├── _lib/db.rs                 # never routed: crate::app::_lib::db
//!     ├── layout.rs, about/page.rs   # /about: HTML inside the layout, see [`page`]
//!     └── robots.rs, sitemap.rs, opengraph-image.rs...  # see [`metadata`] and `image`
//! ```
//!
//! A route file, in the Next.js shape:
//!
//! ```ignore
//! // app/comments/[id]/route.rs
//! use arbor::prelude::*;
//! use super::Params; // generated from the folder names
//!
//! pub async fn GET(_req: Request, ctx: RouteContext<Params>) -> Result<Response> {
//!     let id: i64 = ctx.params.id.parse()?; // not a number: 400 naming `id`
//!     Ok(Response::json(&serde_json::json!({ "id": id })))
//! }
//! ```
//!
//! `src/main.rs`:
//!
//! ```ignore
//! arbor::app!();
//!
//! #[tokio::main]
//! async fn main() -> std::io::Result<()> {
//!     arbor::serve(app::router()).await
//! }
//! ```
//!
//! What the server does on its own, as Next.js does: `HEAD` runs `GET` and drops the body;
//! `OPTIONS` answers 204 with `Allow`; a method the file does not export answers 405 with
//! `Allow`; a trailing slash or `//` redirects (308); unmatched URLs are 404. Handlers also
//! take axum extractors (`Query<T>`, `State<S>`, `HeaderMap`) and return anything that
//! converts into a response (see [`handler`]).
//!
//! The API can document itself: with `OPENAPI` in `arbor.config.rs`, `app::openapi()` is an
//! OpenAPI 3.1 document read off the route files' signatures (see [`openapi`]), which
//! `arbor openapi` writes and `arbor client --ts` turns into a typed TypeScript client.
//!
//! An [`App`] is a `tower::Service`: [`App::layer`] wraps it in tower layers (tower-http's
//! CORS, timeouts, tracing...), `axum::Router::fallback_service(app)` mounts it inside axum,
//! and [`App::fallback_service`] puts an existing service behind it. By default it logs each
//! request, compresses for clients that ask, and limits request bodies ([`layers`]).
//!
//! [`serve`] and [`Server`] are ready for the internet as they are: timeouts for slow and
//! idle clients, a cap on open connections, a budget for request bodies, and `x-forwarded-*`
//! trusted only behind a proxy, each on by default and changed on [`Server`]. A route file
//! may narrow its own limits with segment config:
//!
//! ```ignore
//! pub const MAX_DURATION: u64 = 10;         // seconds; then 504 (Next.js's `maxDuration`)
//! pub const BODY_LIMIT: usize = 64 * 1024;  // bytes; then 413
//! ```

#![warn(missing_docs)]

mod after;
mod answers;
mod app;
mod body;
pub mod cache;
pub mod config;
mod context;
mod cookie;
mod draft;
mod error;
mod escape;
mod extract;
mod flow;
mod form;
pub mod handler;
mod handler_scope;
mod headers;
#[cfg(feature = "image")]
pub mod image;
pub mod instrumentation;
pub mod layers;
pub mod metadata;
pub mod middleware;
pub mod openapi;
pub mod page;
mod public;
mod redirect;
mod registered;
pub mod render;
mod request;
mod response;
pub mod routing;
pub mod server;
mod signal;
pub mod sse;
mod typed;
mod upload;
mod url;

pub use after::after;
pub use app::{App, AppFuture, AppService, DEFAULT_BODY_LIMIT, DEFAULT_PROXY_TIMEOUT};
pub use body::Body;
pub use draft::DraftMode;
pub use error::{Error, Result};
pub use extract::{Form, Json, Query, RouteContext};
pub use form::{FormData, FormFile, FormValue};
pub use redirect::RedirectStatus;
pub use request::{CookiesMut, Request};
pub use response::Response;
pub use server::{init_tracing, serve, Server};
pub use signal::AbortSignal;
pub use typed::{Created, NoContent};
pub use url::{NextUrl, SearchParams};

pub use arbor_macros::{api, cache};
pub use axum;
pub use http;

/// Cookies: read from the request, written to the response, and set from anywhere in a handler
/// (the `cookies()` of `next/headers`, [`Cookies`](cookies::Cookies)), as Next.js parses and
/// serialises them.
pub mod cookies {
    pub use crate::cookie::{
        Cookie, Priority, RequestCookies, ResponseCookie, ResponseCookies, SameSite,
    };
    pub use crate::extract::Cookies;
}

/// The few names a route file needs: `use arbor::prelude::*;`.
pub mod prelude {
    pub use crate::cookies::Cookies;
    pub use crate::page::{html, Markup};
    pub use crate::{
        not_found, permanent_redirect, redirect, Created, Error, Form, Json, NoContent, Query,
        RedirectStatus, Request, Response, Result, RouteContext,
    };
    pub use axum::extract::State;
    pub use http::StatusCode;
    #[doc(hidden)]
    pub use maud;
}

/// Ends the handler with a 404 and an empty body, like Next.js's `notFound()`:
/// `return Err(not_found())`, or `.ok_or_else(not_found)?`.
pub fn not_found() -> Error {
    Error::not_found()
}

/// Ends the handler with a 307 to `to`, like Next.js's `redirect()`:
/// `return Err(redirect("/login"))`. `Location` is written as every redirect writes it (see
/// [`RedirectStatus`]).
pub fn redirect(to: &str) -> Error {
    Error::redirect(to, RedirectStatus::Temporary)
}

/// Ends the handler with a 308 to `to`, like Next.js's `permanentRedirect()`.
pub fn permanent_redirect(to: &str) -> Error {
    Error::redirect(to, RedirectStatus::Permanent)
}

/// Declares `mod app`: the module tree `arbor-build` wrote to `src/app.rs` (every folder of
/// `app/` a module, each `route.rs` beside its `Params`) and the router it generated.
///
/// Call it once, in `src/main.rs` or `src/lib.rs`. It declares:
/// - `app::router()`, the [`App`] with every route;
/// - `app::ROUTES`, the route manifest;
/// - one module per folder, each `route.rs` as `route` beside its `Params`.
///
/// ```ignore
/// arbor::app!();                       // no state: serve app::router()
/// arbor::app!(state = Db);             // handlers take State<Db>: app::router().with_state(db)
/// arbor::app!(pub, state = AppState);  // a library crate exporting its app
/// ```
#[macro_export]
macro_rules! app {
    () => {
        $crate::app!(state = ());
    };
    (pub) => {
        $crate::app!(pub, state = ());
    };
    (state = $state:ty $(,)?) => {
        #[doc(hidden)]
        type __ArborAppState = $state;
        /// The routes of `app/`, generated by `arbor-build`.
        #[path = "app.rs"]
        mod app;
    };
    (pub, state = $state:ty $(,)?) => {
        #[doc(hidden)]
        pub type __ArborAppState = $state;
        /// The routes of `app/`, generated by `arbor-build`.
        #[path = "app.rs"]
        pub mod app;
    };
}

/// What the fuzz targets (`fuzz/`, built by cargo-fuzz with `--cfg fuzzing`) call.
#[cfg(fuzzing)]
#[doc(hidden)]
pub mod __fuzz {
    /// The path normaliser, then the percent-decoder on a path it passed.
    pub fn check_path(path: &str, query: Option<&str>) {
        for slash in [crate::flow::Slash::Never, crate::flow::Slash::Always] {
            if let crate::flow::PathCheck::Clean = crate::flow::check_path(path, query, slash) {
                assert!(crate::escape::decode(path).is_some());
            }
        }
    }
}

/// What the code `arbor-build` generates calls: not part of the documented API, and free to
/// change between versions.
#[doc(hidden)]
pub mod __codegen {
    pub use crate::app::AppBuilder;
    pub use crate::cache::{cache_key, memoize, SegmentConfig};
    pub use crate::flow::{
        CompiledConfig, CompiledHeaders, CompiledRedirect, CompiledRewrite, CompiledRule,
    };
    pub use crate::metadata::{generated, generated_paths, handler as metadata, static_file};
    pub use crate::middleware::matcher::{CompiledCondition, CompiledMatcher, Shortcut};
    pub use crate::openapi::{DescribeInputs, DescribeOutput};
    pub use crate::page::{layouts, not_found_page, page, HeadTag, Layouts};
    pub use crate::routing::params::{
        build_path, serialize_params, FromParams, ParamRef, Params, PathPart,
    };
    pub use crate::routing::Route;
    pub use futures_util::future::BoxFuture;
    pub use serde;
}
