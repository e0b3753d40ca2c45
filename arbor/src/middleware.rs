//! The root middleware (`proxy.rs` exporting `proxy`, or `middleware.rs` exporting
//! `middleware`): runs before the routes for the requests its matcher selects, and can
//! continue, rewrite, redirect or answer.
//!
//! ```
//! // proxy.rs, beside app/
//! use arbor::middleware::{Config, Has, Matcher};
//! use arbor::prelude::*;
//!
//! pub const CONFIG: Config = Config {
//!     matcher: &[
//!         Matcher::new("/api/:path*"),
//!         Matcher::new("/flag").has(&[Has::query("mw").value("on")]),
//!     ],
//! };
//!
//! pub async fn proxy(req: Request) -> Result<Response> {
//!     if req.header("authorization") != Some("Bearer good") {
//!         return Ok(Response::json(&serde_json::json!({ "message": "authentication failed" }))
//!             .with_status(StatusCode::UNAUTHORIZED));
//!     }
//!     Ok(Response::next().with_header("x-checked", "1"))
//! }
//! ```
//!
//! `CONFIG` is read and compiled by `arbor-build`: a source that is not a valid
//! path-to-regexp pattern fails the build. Sources are anchored at both ends and
//! case-sensitive; `:name` is one segment, `:name*` zero or more (so `/api/:path*` also matches
//! `/api`), `:name+` one or more, `:name?` optional, `(regex)` a group, and a negative
//! lookahead such as `/((?!api|_next/static).*)` excludes paths. Without `CONFIG` the
//! middleware runs for every request.

use std::future::Future;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use fancy_regex::Regex;
use http::request::Parts;
use http::HeaderMap;
use tokio_util::task::TaskTracker;

use crate::cookies::RequestCookies;
use crate::error::Error;
use crate::url::SearchParams;

/// The middleware's configuration: `pub const CONFIG: Config = Config { matcher: &[...] };`.
#[derive(Debug, Clone, Copy)]
pub struct Config {
    /// The requests the middleware runs for: one entry matching is enough.
    pub matcher: &'static [Matcher],
}

/// One matcher entry: a path source, and conditions on the request.
#[derive(Debug, Clone, Copy)]
pub struct Matcher {
    source: &'static str,
    has: &'static [Has],
    missing: &'static [Has],
}

impl Matcher {
    /// Requests whose path matches `source` (`/about/:path*`).
    pub const fn new(source: &'static str) -> Self {
        Matcher {
            source,
            has: &[],
            missing: &[],
        }
    }

    /// ... when every one of these conditions holds.
    pub const fn has(mut self, conditions: &'static [Has]) -> Self {
        self.has = conditions;
        self
    }

    /// ... when none of these conditions holds.
    pub const fn missing(mut self, conditions: &'static [Has]) -> Self {
        self.missing = conditions;
        self
    }

    /// The source as written.
    pub const fn source(&self) -> &'static str {
        self.source
    }
}

/// What a condition looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HasKind {
    /// A request header (name case-insensitive).
    Header,
    /// A cookie.
    Cookie,
    /// A query parameter (the last value when repeated).
    Query,
    /// The host name, without the port.
    Host,
}

/// A condition of a matcher entry: present, or with a value matching `^value$`.
#[derive(Debug, Clone, Copy)]
pub struct Has {
    kind: HasKind,
    key: &'static str,
    value: Option<&'static str>,
}

impl Has {
    /// The header `key` is present.
    pub const fn header(key: &'static str) -> Self {
        Has {
            kind: HasKind::Header,
            key,
            value: None,
        }
    }

    /// The cookie `key` is present.
    pub const fn cookie(key: &'static str) -> Self {
        Has {
            kind: HasKind::Cookie,
            key,
            value: None,
        }
    }

    /// The query parameter `key` is present.
    pub const fn query(key: &'static str) -> Self {
        Has {
            kind: HasKind::Query,
            key,
            value: None,
        }
    }

    /// The host name matches `pattern` (a regular expression, anchored).
    pub const fn host(pattern: &'static str) -> Self {
        Has {
            kind: HasKind::Host,
            key: "",
            value: Some(pattern),
        }
    }

    /// ... and its value matches `pattern` (a regular expression, anchored at both ends).
    pub const fn value(mut self, pattern: &'static str) -> Self {
        self.value = Some(pattern);
        self
    }

    /// What the condition looks at.
    pub const fn kind(&self) -> HasKind {
        self.kind
    }

    /// The header, cookie or query key (empty for a host).
    pub const fn key(&self) -> &'static str {
        self.key
    }

    /// The value pattern, if any.
    pub const fn value_pattern(&self) -> Option<&'static str> {
        self.value
    }
}

/// A matcher entry as `arbor-build` compiled it. Generated code builds these.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct CompiledMatcher {
    pub source: &'static str,
    pub regex: &'static str,
    /// What every matching pathname starts with, besides Next's data-route prefix.
    pub prefix: &'static str,
    pub has: &'static [CompiledCondition],
    pub missing: &'static [CompiledCondition],
}

/// A condition as `arbor-build` compiled it (`value` anchored). Generated code builds these.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct CompiledCondition {
    pub kind: HasKind,
    pub key: &'static str,
    pub value: Option<&'static str>,
}

struct Condition {
    kind: HasKind,
    key: &'static str,
    value: Option<Regex>,
}

struct Entry {
    path: Regex,
    /// What every matching path starts with (besides Next's `/_next/data/…` prefix), so most
    /// requests are turned away without running the regex.
    prefix: &'static str,
    has: Vec<Condition>,
    missing: Vec<Condition>,
}

/// The matcher, built once at start-up.
pub(crate) struct Matchers {
    entries: Option<Vec<Entry>>,
}

fn regex(pattern: &str, source: &str) -> std::io::Result<Regex> {
    Regex::new(pattern).map_err(|e| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("middleware matcher {source:?}: {e}"),
        )
    })
}

impl Matchers {
    pub(crate) fn new(compiled: Option<&'static [CompiledMatcher]>) -> std::io::Result<Matchers> {
        let Some(compiled) = compiled else {
            return Ok(Matchers { entries: None });
        };
        let conditions = |list: &'static [CompiledCondition], source: &str| {
            list.iter()
                .map(|c| {
                    Ok(Condition {
                        kind: c.kind,
                        key: c.key,
                        value: c.value.map(|v| regex(v, source)).transpose()?,
                    })
                })
                .collect::<std::io::Result<Vec<_>>>()
        };
        let entries = compiled
            .iter()
            .map(|m| {
                Ok(Entry {
                    path: regex(m.regex, m.source)?,
                    prefix: m.prefix,
                    has: conditions(m.has, m.source)?,
                    missing: conditions(m.missing, m.source)?,
                })
            })
            .collect::<std::io::Result<Vec<_>>>()?;
        Ok(Matchers {
            entries: Some(entries),
        })
    }

    /// Whether the middleware runs for this request: the path is tested as received and, if
    /// that fails, percent-decoded.
    pub(crate) fn matches(&self, path: &str, query: Option<&str>, headers: &HeaderMap) -> bool {
        let Some(entries) = &self.entries else {
            return true;
        };
        let decoded = path.contains('%').then(|| {
            percent_encoding::percent_decode_str(path)
                .decode_utf8_lossy()
                .into_owned()
        });
        let mut facts = Facts {
            headers,
            query,
            cookies: None,
            params: None,
        };
        entries.iter().any(|entry| {
            if decoded.is_none() && !path.starts_with(entry.prefix) && !path.starts_with(NEXT_DATA)
            {
                return false;
            }
            let path_matches = entry.path.is_match(path).unwrap_or(false)
                || decoded
                    .as_deref()
                    .is_some_and(|d| entry.path.is_match(d).unwrap_or(false));
            path_matches
                && entry.has.iter().all(|c| facts.holds(c))
                && !entry.missing.iter().any(|c| facts.holds(c))
        })
    }
}

/// Next's data routes, which every matcher also accepts in front of its source.
const NEXT_DATA: &str = "/_next/data/";

/// What conditions look at, parsed only when a condition needs it.
struct Facts<'a> {
    headers: &'a HeaderMap,
    query: Option<&'a str>,
    cookies: Option<RequestCookies>,
    params: Option<SearchParams>,
}

impl Facts<'_> {
    fn holds(&mut self, condition: &Condition) -> bool {
        let value: Option<String> = match condition.kind {
            HasKind::Header => self
                .headers
                .get(condition.key)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            HasKind::Cookie => {
                let headers = self.headers;
                self.cookies
                    .get_or_insert_with(|| RequestCookies::from_headers(headers))
                    .get(condition.key)
                    .map(|c| c.value.clone())
            }
            HasKind::Query => {
                let query = self.query.unwrap_or("");
                self.params
                    .get_or_insert_with(|| SearchParams::parse(query))
                    .get_all(condition.key)
                    .last()
                    .map(|v| (*v).to_owned())
            }
            HasKind::Host => self
                .headers
                .get(http::header::HOST)
                .and_then(|v| v.to_str().ok())
                .map(|h| h.split(':').next().unwrap_or("").to_ascii_lowercase()),
        };
        match (&condition.value, value) {
            (None, Some(v)) => !v.is_empty(),
            (Some(re), Some(v)) => re.is_match(&v).unwrap_or(false),
            (_, None) => false,
        }
    }
}

/// What a middleware response asks the router to do next. Internal: never sent.
#[derive(Debug, Clone)]
pub(crate) enum Directive {
    /// Go on to the route, with these request headers if given.
    Next { request_headers: Option<HeaderMap> },
    /// Serve this URL instead (same origin: another route; other origin: proxied).
    Rewrite {
        url: String,
        request_headers: Option<HeaderMap>,
    },
}

/// `event.waitUntil(promise)`: runs work after the response is sent, and graceful shutdown
/// waits for it.
///
/// ```
/// use arbor::middleware::WaitUntil;
/// use arbor::prelude::*;
///
/// pub async fn proxy(req: Request, event: WaitUntil) -> Response {
///     let path = req.pathname().to_owned();
///     event.wait_until(async move {
///         // e.g. send an analytics event without delaying the response
///         let _ = path;
///     });
///     Response::next()
/// }
/// ```
#[derive(Clone)]
pub struct WaitUntil {
    tracker: Option<TaskTracker>,
}

impl WaitUntil {
    /// Spawns `work`; the response does not wait for it, shutdown does.
    pub fn wait_until<F>(&self, work: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        match &self.tracker {
            Some(tracker) => {
                tracker.spawn(work);
            }
            None => {
                tokio::spawn(work);
            }
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for WaitUntil {
    type Rejection = Error;

    async fn from_request_parts(_parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(WaitUntil {
            tracker: crate::scope::with(|scope| scope.routed.site.background.clone()),
        })
    }
}

/// The cookies a middleware set on `Response::next()`: the handler's cookie readers see them.
#[derive(Debug, Clone, Default)]
pub(crate) struct ProxyCookies(pub(crate) Arc<Vec<(String, String)>>);
