//! The request a route handler receives.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use bytes::Bytes;
use http::request::Parts;
use http::{Extensions, HeaderMap, Method, Uri, Version};
use http_body_util::BodyExt;
use serde::de::DeserializeOwned;

use crate::body::{Body, BodySlot};
use crate::error::Error;

/// The origin (`http://localhost:3000`) request URLs are built from: the server's configured
/// host and port, never the client's `Host` header.
#[derive(Debug, Clone)]
pub(crate) struct Origin(pub(crate) Arc<str>);

/// The first argument of a Next.js route handler: method, URL, headers and body.
///
/// Take it first and the route context second, as in Next.js:
///
/// ```
/// use arbor::prelude::*;
///
/// pub async fn POST(mut req: Request, _ctx: RouteContext) -> Result<Response> {
///     let body: serde_json::Value = req.json().await?; // malformed JSON: 400
///     Ok(Response::json(&body).with_status(StatusCode::CREATED))
/// }
/// ```
///
/// [`url`](Request::url) is built from the host and port the server was started with
/// (`HOSTNAME`, `PORT`), with loopback hosts written `localhost` as Next.js does; the `Host`
/// header a client sends is never trusted for it (it stays readable in the headers, and in
/// `x-forwarded-host`).
#[derive(Debug)]
pub struct Request {
    method: Method,
    uri: Uri,
    version: Version,
    headers: HeaderMap,
    extensions: Extensions,
    body: Option<Body>,
}

impl Request {
    /// The method. For a `HEAD` request answered by the route's `GET`, this is `HEAD`.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The request target as received: path and query, still percent-encoded.
    pub fn uri(&self) -> &Uri {
        &self.uri
    }

    /// The HTTP version.
    pub fn version(&self) -> Version {
        self.version
    }

    /// The full URL: the server's origin, then the path and query as received
    /// (`http://localhost:3000/echo/42?a=1`).
    pub fn url(&self) -> String {
        let origin = self
            .extensions
            .get::<Origin>()
            .map(|o| o.0.as_ref())
            .unwrap_or("http://localhost");
        let target = self.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
        format!("{origin}{target}")
    }

    /// The path, still percent-encoded (`/echo/a%20b`), as Next.js's `nextUrl.pathname`.
    pub fn pathname(&self) -> &str {
        self.uri.path()
    }

    /// The query string without its `?`, if any.
    pub fn query(&self) -> Option<&str> {
        self.uri.query()
    }

    /// The headers, including the `x-forwarded-*` ones the server adds.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// One header as text; `None` when absent or not visible ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Typed values attached to the request by the server or by tower layers.
    pub fn extensions(&self) -> &Extensions {
        &self.extensions
    }

    /// Takes the body as a stream, for large uploads. Later body reads find it empty.
    pub fn take_body(&mut self) -> Body {
        self.body.take().unwrap_or_else(Body::empty)
    }

    /// Reads the whole body. Past the server's body limit: 413.
    pub async fn bytes(&mut self) -> Result<Bytes, Error> {
        let Some(body) = self.body.take() else {
            return Err(Error::internal_message(
                "the request body was already read by another extractor",
            ));
        };
        match body.collect().await {
            Ok(collected) => Ok(collected.to_bytes()),
            Err(err) if is_length_limit(&err) => Err(Error::payload_too_large(
                "the request body is larger than the server accepts",
            )),
            Err(err) => Err(Error::bad_request(format!(
                "the request body could not be read: {err}"
            ))),
        }
    }

    /// Reads the body as UTF-8 text. Not UTF-8: 400.
    pub async fn text(&mut self) -> Result<String, Error> {
        let bytes = self.bytes().await?;
        String::from_utf8(bytes.to_vec())
            .map_err(|_| Error::bad_request("the request body is not valid UTF-8"))
    }

    /// Reads the body as JSON. Malformed JSON or the wrong shape: 400 saying what and where.
    pub async fn json<T: DeserializeOwned>(&mut self) -> Result<T, Error> {
        let bytes = self.bytes().await?;
        serde_json::from_slice(&bytes)
            .map_err(|err| Error::bad_request(format!("invalid JSON body: {err}")))
    }
}

fn is_length_limit(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(err);
    while let Some(e) = next {
        if e.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        next = e.source();
    }
    false
}

impl<S: Send + Sync> FromRequestParts<S> for Request {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let body = parts.extensions.get::<BodySlot>().and_then(BodySlot::take);
        Ok(Request {
            method: parts.method.clone(),
            uri: parts.uri.clone(),
            version: parts.version,
            headers: parts.headers.clone(),
            extensions: parts.extensions.clone(),
            body,
        })
    }
}
