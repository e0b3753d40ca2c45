//! The response a route handler returns.

use std::cell::RefCell;

use axum::response::IntoResponse;
use bytes::Bytes;
use futures_util::Stream;
use http::header::{CONTENT_TYPE, LOCATION};
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use serde::Serialize;

use crate::body::Body;
use crate::cookie::{ResponseCookie, ResponseCookies};
use crate::redirect::{location, RedirectStatus};

/// An HTTP response (`Response` / `NextResponse`), with the constructors Next.js handlers use.
///
/// ```
/// use arbor::prelude::*;
///
/// let created = Response::json(&serde_json::json!({ "id": 4 }))
///     .with_status(StatusCode::CREATED)
///     .with_header("location", "/comments/4");
/// assert_eq!(created.status(), StatusCode::CREATED);
/// assert_eq!(created.headers()["content-type"], "application/json");
/// ```
///
/// Handlers may also return anything axum can turn into a response (`&'static str`,
/// `(StatusCode, String)`, `Json<T>`...).
#[derive(Debug)]
pub struct Response {
    inner: http::Response<Body>,
}

impl Response {
    /// A 200 response with this body and no content type.
    pub fn new(body: impl Into<Body>) -> Self {
        Response {
            inner: http::Response::new(body.into()),
        }
    }

    /// An empty 200 response with no content type (`new Response(null)`).
    pub fn empty() -> Self {
        Self::new(Body::empty())
    }

    /// A JSON response (`application/json`), like `Response.json` / `NextResponse.json`.
    /// A value that cannot be serialised (a map with non-string keys) answers 500 and logs.
    pub fn json<T: Serialize + ?Sized>(value: &T) -> Self {
        match serde_json::to_vec(value) {
            Ok(bytes) => Self::new(bytes).with_content_type("application/json"),
            Err(err) => {
                tracing::error!(error = %err, "the response value could not be serialised as JSON");
                Self::empty().with_status(StatusCode::INTERNAL_SERVER_ERROR)
            }
        }
    }

    /// A text response (`text/plain;charset=UTF-8`), like `new Response("text")`.
    pub fn text(text: impl Into<String>) -> Self {
        Self::new(text.into()).with_content_type("text/plain;charset=UTF-8")
    }

    /// A body of bytes, with no content type (`new Response(uint8Array)`).
    pub fn bytes(bytes: impl Into<Bytes>) -> Self {
        Self::new(Body::from(bytes.into()))
    }

    /// A body streamed as its chunks arrive, sent chunked (`new Response(readableStream)`).
    ///
    /// ```
    /// use arbor::prelude::*;
    ///
    /// pub async fn GET() -> Response {
    ///     let chunks = ["one\n", "two\n"].map(|c| Ok::<_, std::io::Error>(c.as_bytes()));
    ///     Response::stream(futures_util::stream::iter(chunks))
    /// }
    /// ```
    pub fn stream<S, B, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<B, E>> + Send + 'static,
        B: Into<Bytes> + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
    {
        // Fused: a body may be polled again after its end (tower-http's compression does, for
        // trailers), which many streams (`unfold`, `async-stream`) answer with a panic.
        Self::new(Body::from_stream(futures_util::StreamExt::fuse(stream)))
    }

    /// Server-Sent Events (`text/event-stream`, `Cache-Control: no-cache`): each
    /// [`Event`](crate::sse::Event) is written and sent as it comes (with its `event`, `id`,
    /// `retry` and `data` lines), a `:` comment keeps the connection alive after 15 s
    /// without one, and the stream is never compressed. When the client goes away, the
    /// stream is dropped, which stops the producer behind it (a channel's sender sees it
    /// closed).
    ///
    /// ```
    /// use arbor::prelude::*;
    /// use arbor::sse::Event;
    ///
    /// pub async fn GET() -> Response {
    ///     let ticks = (1..=3).map(|n| Ok::<_, std::convert::Infallible>(
    ///         Event::default().event("tick").id(n.to_string()).data(n.to_string()),
    ///     ));
    ///     Response::sse(futures_util::stream::iter(ticks))
    /// }
    /// ```
    pub fn sse<S, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<crate::sse::Event, E>> + Send + 'static,
        E: Into<axum::BoxError> + 'static,
    {
        // Fused, as in `stream`: the body may be polled once more after its end.
        let events = futures_util::StreamExt::fuse(stream);
        let sse = axum::response::sse::Sse::new(events).keep_alive(crate::sse::KeepAlive::new());
        Self::from(sse.into_response())
    }

    /// A 307 redirect (`NextResponse.redirect(url)`); `Location` is written as
    /// [`RedirectStatus`] says.
    pub fn redirect(to: &str) -> Self {
        Self::redirect_with(to, RedirectStatus::Temporary)
    }

    /// A redirect with one of the redirect statuses (`NextResponse.redirect(url, 308)`).
    ///
    /// ```
    /// use arbor::prelude::*;
    ///
    /// let moved = Response::redirect_with("/comments", RedirectStatus::Permanent);
    /// assert_eq!(moved.status(), StatusCode::PERMANENT_REDIRECT);
    /// assert_eq!(moved.headers()["location"], "/comments");
    /// ```
    pub fn redirect_with(to: &str, status: RedirectStatus) -> Self {
        let mut response = Self::empty().with_status(status.status());
        response.headers_mut().insert(LOCATION, location(to));
        response
    }

    /// Sets the status.
    pub fn with_status(mut self, status: StatusCode) -> Self {
        *self.inner.status_mut() = status;
        self
    }

    /// Sets a header, replacing any value it had. An invalid name or value is logged and skipped.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        set_header(self.inner.headers_mut(), name, value, false);
        self
    }

    /// Adds a header line, keeping the ones already there (several `Set-Cookie` lines).
    pub fn append_header(mut self, name: &str, value: &str) -> Self {
        set_header(self.inner.headers_mut(), name, value, true);
        self
    }

    /// Sets the reason phrase of the status line (`418 I am a teapot`), sent over HTTP/1.1.
    pub fn with_status_text(mut self, text: &str) -> Self {
        match hyper::ext::ReasonPhrase::try_from(text.as_bytes().to_vec()) {
            Ok(phrase) => {
                self.inner.extensions_mut().insert(phrase);
            }
            Err(_) => tracing::error!("invalid reason phrase skipped"),
        }
        self
    }

    /// Sets a cookie (`response.cookies.set(...)`).
    pub fn with_cookie(mut self, cookie: ResponseCookie) -> Self {
        self.cookies_mut().set_cookie(cookie);
        self
    }

    /// The cookies this response sets, to read or change.
    ///
    /// ```
    /// use arbor::prelude::*;
    ///
    /// let mut response = Response::json(&serde_json::json!({ "ok": true }));
    /// response.cookies_mut().set("visited", "yes").delete("old");
    /// assert_eq!(
    ///     response.cookies_mut().get_all(),
    ///     ["visited=yes; Path=/", "old=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT"]
    /// );
    /// ```
    pub fn cookies_mut(&mut self) -> ResponseCookies<'_> {
        ResponseCookies::new(self.inner.headers_mut())
    }

    fn with_content_type(mut self, value: &'static str) -> Self {
        self.inner
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static(value));
        self
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.inner.status()
    }

    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        self.inner.headers()
    }

    /// The headers, to change.
    pub fn headers_mut(&mut self) -> &mut HeaderMap {
        self.inner.headers_mut()
    }

    /// The underlying `http::Response`.
    pub fn into_inner(self) -> http::Response<Body> {
        self.inner
    }
}

/// Sets (or appends) a header given as text; an invalid name or value is logged and skipped,
/// so a builder chain never fails halfway.
pub(crate) fn set_header(headers: &mut HeaderMap, name: &str, value: &str, append: bool) {
    if let Some((name, value)) = parse_header(name, value) {
        if append {
            headers.append(name, value);
        } else {
            headers.insert(name, value);
        }
    }
}

/// A header given as text; `None` (logged) when the name or value is not valid.
pub(crate) fn parse_header(name: &str, value: &str) -> Option<(HeaderName, HeaderValue)> {
    match (header_name(name), HeaderValue::try_from(value)) {
        (Some(name), Ok(value)) => Some((name, value)),
        _ => {
            tracing::error!(header = name, "invalid response header skipped");
            None
        }
    }
}

/// How many header names each thread keeps parsed.
const NAMES_KEPT: usize = 8;

thread_local! {
    /// The header names this thread parsed lately, by the text they were given as. Handlers
    /// and middleware set the same few names on every request, and parsing a name that is not
    /// a standard one allocates its bytes each time; a kept name is shared instead.
    static NAMES: RefCell<Vec<(Box<str>, HeaderName)>> = const { RefCell::new(Vec::new()) };
}

/// A header name given as text, from the names this thread kept when it is one of them.
fn header_name(name: &str) -> Option<HeaderName> {
    let kept = NAMES.with(|names| {
        let names = names.borrow();
        names
            .iter()
            .find(|(text, _)| text.len() == name.len() && **text == *name)
            .map(|(_, kept)| kept.clone())
    });
    if kept.is_some() {
        return kept;
    }
    let parsed = HeaderName::try_from(name).ok()?;
    NAMES.with(|names| {
        let mut names = names.borrow_mut();
        if names.len() == NAMES_KEPT {
            names.remove(0);
        }
        names.push((name.into(), parsed.clone()));
    });
    Some(parsed)
}

impl From<http::Response<Body>> for Response {
    fn from(inner: http::Response<Body>) -> Self {
        Response { inner }
    }
}

impl IntoResponse for Response {
    fn into_response(self) -> axum::response::Response {
        self.inner
    }
}
