//! `arbor.config.rs`: the routing half of Next.js's `next.config` (`redirects()`,
//! `rewrites()`, `headers()`), as constants beside `Cargo.toml`.
//!
//! `arbor-build` reads the file at build time: every source is compiled as Next.js compiles
//! it (path-to-regexp, case-insensitive), every condition's value as an anchored regex, and a
//! destination or header value naming a parameter its rule does not capture is a build
//! error. The file is also compiled with the crate, so the types below check it too.
//!
//! ```
//! // arbor.config.rs
//! use arbor::config::{Has, Headers, Redirect, Rewrite, Rewrites};
//!
//! pub const REDIRECTS: &[Redirect] = &[
//!     Redirect::permanent("/old-blog/:slug", "/blog/:slug"),
//!     Redirect::temporary("/beta", "/?from=beta").has(&[Has::cookie("beta")]),
//! ];
//!
//! pub const REWRITES: Rewrites = Rewrites {
//!     before_files: &[],
//!     after_files: &[Rewrite::new("/docs/:path*", "https://docs.example.com/:path*")],
//!     fallback: &[],
//! };
//!
//! pub const HEADERS: &[Headers] = &[
//!     Headers::new("/api/:path*", &[("x-frame-options", "DENY")]),
//! ];
//! ```
//!
//! `pub const BASE_PATH: &str = "/docs";` serves the app under `/docs` (its handlers see their
//! paths without it; other paths are 404), and `pub const TRAILING_SLASH: bool = true;`
//! makes `/about/` the canonical URL (`/about` answers 308 to it; `/file.txt` keeps no slash).
//!
//! At run time they apply in Next.js's order: headers are chosen for the request as it came,
//! then redirects, the middleware, `before_files` rewrites, `public/` and the routes without
//! parameters, `after_files` rewrites, the dynamic routes, `fallback` rewrites. A rewrite to
//! a path serves that route with the request's own URL (the handler's `request.url` is the
//! one the client asked for); a rewrite to an absolute URL is proxied. A destination's origin
//! may name environment variables, read when the app starts: `"${DOCS_ORIGIN}/:path*"`.

pub use crate::middleware::Has;

/// A redirect (`redirects()`): a request whose path matches `source` (and whose conditions
/// hold) is answered with a redirect to `destination`, the request's query kept (a key the
/// destination also sets takes the destination's value).
#[derive(Debug, Clone, Copy)]
pub struct Redirect {
    source: &'static str,
    destination: &'static str,
    status: u16,
    has: &'static [Has],
    missing: &'static [Has],
    base_path: bool,
}

impl Redirect {
    /// A 308 Permanent Redirect (`permanent: true`), with Next.js's `Refresh` header.
    pub const fn permanent(source: &'static str, destination: &'static str) -> Self {
        Redirect {
            source,
            destination,
            status: 308,
            has: &[],
            missing: &[],
            base_path: true,
        }
    }

    /// A 307 Temporary Redirect (`permanent: false`).
    pub const fn temporary(source: &'static str, destination: &'static str) -> Self {
        Redirect {
            status: 307,
            ..Redirect::permanent(source, destination)
        }
    }

    /// Another status (`statusCode`): 301, 302, 303, 307 or 308, checked at build time.
    pub const fn status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    /// The source as written.
    pub const fn source(&self) -> &'static str {
        self.source
    }

    /// The destination as written.
    pub const fn destination(&self) -> &'static str {
        self.destination
    }
}

/// A rewrite (an entry of `rewrites()`): the request is served by `destination` (a path of
/// this app, or an absolute URL that is proxied) while the client's URL stays.
#[derive(Debug, Clone, Copy)]
pub struct Rewrite {
    source: &'static str,
    destination: &'static str,
    has: &'static [Has],
    missing: &'static [Has],
    base_path: bool,
}

impl Rewrite {
    /// Serves `source` with `destination`.
    pub const fn new(source: &'static str, destination: &'static str) -> Self {
        Rewrite {
            source,
            destination,
            has: &[],
            missing: &[],
            base_path: true,
        }
    }

    /// The source as written.
    pub const fn source(&self) -> &'static str {
        self.source
    }

    /// The destination as written.
    pub const fn destination(&self) -> &'static str {
        self.destination
    }
}

/// The three phases of `rewrites()`.
#[derive(Debug, Clone, Copy)]
pub struct Rewrites {
    /// Before `public/` and the routes: they win over both.
    pub before_files: &'static [Rewrite],
    /// After `public/` and the routes without parameters, before the dynamic routes.
    pub after_files: &'static [Rewrite],
    /// When nothing else answers, before the 404.
    pub fallback: &'static [Rewrite],
}

/// Response headers for the requests whose path matches `source` (`headers()`): every
/// matching rule applies, and a later rule wins a name an earlier one set. They win over the
/// handler's own headers (`Set-Cookie` and `Vary` add up); the middleware's win over them.
#[derive(Debug, Clone, Copy)]
pub struct Headers {
    source: &'static str,
    headers: &'static [(&'static str, &'static str)],
    has: &'static [Has],
    missing: &'static [Has],
    base_path: bool,
}

impl Headers {
    /// Sets `headers` (name, value; a value may use the source's `:params`).
    pub const fn new(
        source: &'static str,
        headers: &'static [(&'static str, &'static str)],
    ) -> Self {
        Headers {
            source,
            headers,
            has: &[],
            missing: &[],
            base_path: true,
        }
    }

    /// The source as written.
    pub const fn source(&self) -> &'static str {
        self.source
    }

    /// The headers as written.
    pub const fn headers(&self) -> &'static [(&'static str, &'static str)] {
        self.headers
    }
}

/// The conditions and the base-path switch every rule has.
macro_rules! conditions {
    ($($rule:ident),*) => {
        $(
            impl $rule {
                /// ... only when every one of these conditions holds; a value's named groups
                /// (`(?<user>[a-z]+)`) can be used in the destination or values as `:user`.
                pub const fn has(mut self, conditions: &'static [Has]) -> Self {
                    self.has = conditions;
                    self
                }

                /// ... only when none of these conditions holds.
                pub const fn missing(mut self, conditions: &'static [Has]) -> Self {
                    self.missing = conditions;
                    self
                }

                /// With `false`, the source is matched against the whole path, `BASE_PATH`
                /// included, and a path destination is not put under it (Next.js's
                /// `basePath: false`).
                pub const fn base_path(mut self, under: bool) -> Self {
                    self.base_path = under;
                    self
                }
            }
        )*
    };
}

conditions!(Redirect, Rewrite, Headers);

/// `OPENAPI`: the app documents its API (see [`openapi`](crate::openapi)). `arbor-build`
/// then generates `app::openapi()`, and `arbor openapi` and `arbor client` can read it.
///
/// ```
/// use arbor::config::OpenApi;
///
/// pub const OPENAPI: OpenApi = OpenApi::new("Comments API", "1.0.0")
///     .description("Comments, on SQLite.")
///     .serve("/openapi.json");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct OpenApi {
    title: &'static str,
    version: &'static str,
    description: Option<&'static str>,
    serve: Option<&'static str>,
}

impl OpenApi {
    /// A document with this title and version (of the API, not of OpenAPI).
    pub const fn new(title: &'static str, version: &'static str) -> Self {
        OpenApi {
            title,
            version,
            description: None,
            serve: None,
        }
    }

    /// What the API is for, in the document's `info`.
    pub const fn description(mut self, text: &'static str) -> Self {
        self.description = Some(text);
        self
    }

    /// Also answers `GET path` (`/openapi.json`) with the document, as JSON, without the
    /// route files (`x-arbor-file`) that the committed `openapi.json` names.
    pub const fn serve(mut self, path: &'static str) -> Self {
        self.serve = Some(path);
        self
    }

    /// The title.
    pub const fn title(&self) -> &'static str {
        self.title
    }

    /// The version.
    pub const fn version(&self) -> &'static str {
        self.version
    }

    /// The description, if one is given.
    pub const fn description_text(&self) -> Option<&'static str> {
        self.description
    }

    /// Where the app serves the document, if it does.
    pub const fn served_at(&self) -> Option<&'static str> {
        self.serve
    }
}
