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
//!     └── _lib/db.rs                 # never routed: crate::app::_lib::db
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
//!     let id: i64 = ctx.params.id.parse().map_err(|_| Error::bad_request("id must be a number"))?;
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
//! take axum extractors (`Json<T>`, `Query<T>`, `State<S>`) and return anything that
//! converts into a response.

#![warn(missing_docs)]

mod body;
pub mod cache;
pub mod cookies;
mod dispatch;
mod error;
mod extract;
mod form;
pub mod middleware;
mod path;
mod request;
mod response;
pub mod routing;
mod scope;
mod server;
mod url;

pub use body::Body;
pub use error::{Error, Result};
pub use extract::{Form, Json, Query};
pub use form::{FormData, FormFile, FormValue};
pub use request::{CookiesMut, Request};
pub use response::{RedirectStatus, Response};
pub use routing::{App, RouteContext};
pub use server::{
    init_tracing, serve, Server, DEFAULT_BODY_LIMIT, DEFAULT_PROXY_TIMEOUT,
    DEFAULT_SHUTDOWN_TIMEOUT,
};
pub use url::{NextUrl, SearchParams};

pub use arbor_macros::cache;
pub use axum;
pub use http;

/// The few names a route file needs: `use arbor::prelude::*;`.
pub mod prelude {
    pub use crate::cookies::Cookies;
    pub use crate::{
        not_found, permanent_redirect, redirect, Error, Form, Json, Query, RedirectStatus, Request,
        Response, Result, RouteContext,
    };
    pub use axum::extract::State;
    pub use http::StatusCode;
}

/// Ends the handler with a 404 and an empty body, like Next.js's `notFound()`:
/// `return Err(not_found())`, or `.ok_or_else(not_found)?`.
pub fn not_found() -> Error {
    Error::not_found()
}

/// Ends the handler with a 307 to `location`, written exactly as given (relative stays
/// relative), like Next.js's `redirect()`: `return Err(redirect("/login"))`.
pub fn redirect(location: impl Into<String>) -> Error {
    Error::redirect(http::StatusCode::TEMPORARY_REDIRECT, location)
}

/// Ends the handler with a 308 to `location`, like Next.js's `permanentRedirect()`.
pub fn permanent_redirect(location: impl Into<String>) -> Error {
    Error::redirect(http::StatusCode::PERMANENT_REDIRECT, location)
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

#[doc(hidden)]
pub mod __private {
    pub use serde;
}
