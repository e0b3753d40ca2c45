//! The response a route handler returns.

use axum::response::IntoResponse;
use http::header::CONTENT_TYPE;
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use serde::Serialize;

use crate::body::Body;

/// An HTTP response, with the constructors Next.js handlers use.
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
/// `(StatusCode, String)`, `axum::Json<T>`...).
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

    /// Sets the status.
    pub fn with_status(mut self, status: StatusCode) -> Self {
        *self.inner.status_mut() = status;
        self
    }

    /// Sets a header, replacing any value it had. An invalid name or value is logged and skipped.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        match (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            (Ok(name), Ok(value)) => {
                self.inner.headers_mut().insert(name, value);
            }
            _ => tracing::error!(header = name, "invalid response header skipped"),
        }
        self
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
