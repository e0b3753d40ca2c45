//! What a middleware decides: go on to the route, serve another URL, or answer.

use axum::response::IntoResponse;
use http::{HeaderMap, StatusCode};

use crate::answers;
use crate::cookie::{ResponseCookie, ResponseCookies, SetCookieLines};
use crate::error::Error;
use crate::headers::HeaderList;
use crate::response::{parse_header, Response};

/// What the middleware decided.
///
/// ```
/// use arbor::middleware::{Next, Outcome, Rewrite};
/// use arbor::prelude::*;
///
/// pub async fn proxy(req: Request) -> Outcome {
///     match req.pathname() {
///         "/old" => Response::redirect("/new").into(),
///         "/beta" => Rewrite::to("/beta-v2").into(),
///         _ => Next::new().with_header("x-checked", "1").into(),
///     }
/// }
/// ```
#[derive(Debug)]
pub enum Outcome {
    /// Go on to the route (`NextResponse.next()`).
    Next(Next),
    /// Serve another URL instead (`NextResponse.rewrite(url)`).
    Rewrite(Rewrite),
    /// Answer with this response; the route does not run. A redirect is made relative when
    /// it points at this server, as Next.js sends it.
    Respond(Response),
}

impl Outcome {
    /// Where its `Set-Cookie` lines go.
    pub(crate) fn cookie_lines(&mut self) -> &mut dyn SetCookieLines {
        match self {
            Outcome::Next(next) => &mut next.changes.headers,
            Outcome::Rewrite(rewrite) => &mut rewrite.changes.headers,
            Outcome::Respond(response) => response.headers_mut(),
        }
    }
}

/// What `Next` and `Rewrite` change: the headers of the final response, and the request headers
/// the route sees.
#[derive(Debug, Default)]
pub(crate) struct Changes {
    /// Sent to the client, and copied onto the request the route sees.
    pub(crate) headers: HeaderList,
    /// Replace the request's headers, when set.
    pub(crate) request_headers: Option<Box<HeaderMap>>,
}

/// Go on to the route (`NextResponse.next()`).
///
/// Headers and cookies set on it reach the client, and the route's request sees them too; a
/// header the route also sets keeps this value, except `Set-Cookie`, `Vary`,
/// `WWW-Authenticate` and `Proxy-Authenticate`, which add up.
///
/// ```
/// use arbor::middleware::Next;
///
/// let mut headers = http::HeaderMap::new();
/// headers.insert("x-user", http::HeaderValue::from_static("ada"));
/// let next = Next::with_request_headers(headers).with_header("x-gate", "passed");
/// ```
#[derive(Debug, Default)]
pub struct Next {
    pub(crate) changes: Changes,
}

impl Next {
    /// Go on, with the request as received.
    pub fn new() -> Self {
        Self::default()
    }

    /// Go on, with these request headers instead of the received ones
    /// (`NextResponse.next({ request: { headers } })`).
    pub fn with_request_headers(headers: HeaderMap) -> Self {
        Next {
            changes: Changes {
                headers: HeaderList::default(),
                request_headers: Some(Box::new(headers)),
            },
        }
    }
}

/// Serve `url` instead, the client's URL unchanged (`NextResponse.rewrite(url)`).
///
/// A path, or a URL of this server's origin, is served by its route with the method and body
/// kept; a URL of another origin is proxied. Headers and cookies set on it work as on
/// [`Next`].
///
/// ```
/// use arbor::middleware::Rewrite;
///
/// let internal = Rewrite::to("/v2/users?page=1");
/// let proxied = Rewrite::to("http://127.0.0.1:4011/users").with_header("x-via", "arbor");
/// ```
#[derive(Debug)]
pub struct Rewrite {
    pub(crate) url: String,
    pub(crate) changes: Changes,
}

impl Rewrite {
    /// Serve `url` instead.
    pub fn to(url: impl Into<String>) -> Self {
        Rewrite {
            url: url.into(),
            changes: Changes::default(),
        }
    }

    /// ... with these request headers instead of the received ones.
    pub fn with_request_headers(mut self, headers: HeaderMap) -> Self {
        self.changes.request_headers = Some(Box::new(headers));
        self
    }
}

/// The builders `Next` and `Rewrite` share.
macro_rules! changes_builders {
    ($ty:ty) => {
        impl $ty {
            /// Sets a header, replacing any value it had. An invalid name or value is logged
            /// and skipped.
            pub fn with_header(mut self, name: &str, value: &str) -> Self {
                if let Some((name, value)) = parse_header(name, value) {
                    self.changes.headers.insert(name, value);
                }
                self
            }

            /// Adds a header line, keeping the ones already there.
            pub fn append_header(mut self, name: &str, value: &str) -> Self {
                if let Some((name, value)) = parse_header(name, value) {
                    self.changes.headers.append(name, value);
                }
                self
            }

            /// Sets a cookie on the response; the route's cookie readers see it too.
            pub fn with_cookie(mut self, cookie: ResponseCookie) -> Self {
                self.cookies_mut().set_cookie(cookie);
                self
            }

            /// The cookies this sets, to read or change.
            pub fn cookies_mut(&mut self) -> ResponseCookies<'_> {
                ResponseCookies::new(&mut self.changes.headers)
            }

            /// The values of a header this sets.
            pub fn header(&self, name: &str) -> Vec<&str> {
                self.changes
                    .headers
                    .iter()
                    .filter(|(n, _)| n.as_str().eq_ignore_ascii_case(name))
                    .filter_map(|(_, v)| v.to_str().ok())
                    .collect()
            }
        }
    };
}

changes_builders!(Next);
changes_builders!(Rewrite);

/// What a middleware function may return.
pub trait IntoOutcome {
    /// The outcome it stands for.
    fn into_outcome(self) -> Outcome;
}

impl IntoOutcome for Outcome {
    fn into_outcome(self) -> Outcome {
        self
    }
}

impl IntoOutcome for Next {
    fn into_outcome(self) -> Outcome {
        Outcome::Next(self)
    }
}

impl IntoOutcome for Rewrite {
    fn into_outcome(self) -> Outcome {
        Outcome::Rewrite(self)
    }
}

impl IntoOutcome for Response {
    fn into_outcome(self) -> Outcome {
        Outcome::Respond(self)
    }
}

/// Nothing: go on, like `Next::new()` (a Next.js middleware returning `undefined`).
impl IntoOutcome for () {
    fn into_outcome(self) -> Outcome {
        Outcome::Next(Next::new())
    }
}

/// A client error or a redirect answers as it does from a route; an internal error is
/// logged and answers Next.js's `500 Internal Server Error` text.
impl IntoOutcome for Error {
    fn into_outcome(self) -> Outcome {
        if self.is_internal() {
            tracing::error!(error = %self, "middleware failed; answered 500");
            let failure = crate::instrumentation::Failure::proxy(self.to_string(), false);
            return Outcome::Respond(failure.on(answers::internal_error()).into());
        }
        Outcome::Respond(self.into_response().into())
    }
}

impl<T: IntoOutcome> IntoOutcome for Result<T, Error> {
    fn into_outcome(self) -> Outcome {
        match self {
            Ok(outcome) => outcome.into_outcome(),
            Err(err) => err.into_outcome(),
        }
    }
}

impl From<Next> for Outcome {
    fn from(next: Next) -> Self {
        Outcome::Next(next)
    }
}

impl From<Rewrite> for Outcome {
    fn from(rewrite: Rewrite) -> Self {
        Outcome::Rewrite(rewrite)
    }
}

impl From<Response> for Outcome {
    fn from(response: Response) -> Self {
        Outcome::Respond(response)
    }
}

impl From<Error> for Outcome {
    fn from(err: Error) -> Self {
        err.into_outcome()
    }
}

impl From<StatusCode> for Outcome {
    fn from(status: StatusCode) -> Self {
        Outcome::Respond(answers::empty(status).into())
    }
}
