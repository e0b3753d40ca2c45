//! The request a route handler receives.

use std::ops::{Deref, DerefMut};
use std::sync::{Arc, OnceLock};

use axum::extract::FromRequestParts;
use bytes::Bytes;
use futures_util::{Stream, TryStreamExt};
use http::header::{CONTENT_TYPE, COOKIE};
use http::request::Parts;
use http::{Extensions, HeaderMap, HeaderValue, Method, Uri, Version};
use http_body_util::BodyExt;
use serde::de::DeserializeOwned;

use crate::body::{Body, BodySlot};
use crate::cookies::RequestCookies;
use crate::error::Error;
use crate::form::FormData;
use crate::routing::{FromParams, Matched};
use crate::url::NextUrl;

/// What every request a server answers shares.
#[derive(Debug)]
pub(crate) struct Site {
    /// The origin (`http://localhost:3000`) request URLs are built from: the server's
    /// configured host and port, never the client's `Host` header.
    pub(crate) origin: Box<str>,
    /// Work handlers left running with `WaitUntil`; graceful shutdown waits for it.
    pub(crate) background: tokio_util::task::TaskTracker,
}

/// What the router hands a handler beside its `http::Request`: the body slot, the site, and
/// the matched route. It lives in the handler's scope (see `scope.rs`) while the handler
/// runs, where the extractors read it: an extension would cost three allocations a request.
pub(crate) struct Routed {
    pub(crate) slot: BodySlot,
    pub(crate) site: Arc<Site>,
    pub(crate) matched: Option<Matched>,
    /// Added to the headers a handler's `Request` sees (not to static renders).
    pub(crate) forwarded: Option<Forwarded>,
    /// Present during a `DYNAMIC = Dynamic::Error` static render.
    pub(crate) probe: Option<RenderProbe>,
}

/// `x-forwarded-for/-host/-port/-proto`, as Next.js adds them, unless a proxy in front
/// already did. Added where they are read: the handler's `Request`, and proxied rewrites.
#[derive(Clone, Debug)]
pub(crate) struct Forwarded {
    pub(crate) peer: Option<HeaderValue>,
    pub(crate) port: HeaderValue,
}

impl Forwarded {
    pub(crate) fn add_to(&self, headers: &mut HeaderMap) {
        use http::header::{HeaderName, HOST};
        const FOR: HeaderName = HeaderName::from_static("x-forwarded-for");
        const HOST_: HeaderName = HeaderName::from_static("x-forwarded-host");
        const PORT: HeaderName = HeaderName::from_static("x-forwarded-port");
        const PROTO: HeaderName = HeaderName::from_static("x-forwarded-proto");
        if let (Some(peer), false) = (&self.peer, headers.contains_key(FOR)) {
            headers.insert(FOR, peer.clone());
        }
        if !headers.contains_key(HOST_) {
            if let Some(host) = headers.get(HOST).cloned() {
                headers.insert(HOST_, host);
            }
        }
        if !headers.contains_key(PORT) {
            headers.insert(PORT, self.port.clone());
        }
        if !headers.contains_key(PROTO) {
            headers.insert(PROTO, HeaderValue::from_static("http"));
        }
    }
}

/// The first argument of a Next.js route handler (`NextRequest`): method, URL, headers,
/// cookies and body.
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
    cookies: OnceLock<RequestCookies>,
    next_url: OnceLock<NextUrl>,
    probe: Option<RenderProbe>,
    site: Option<Arc<Site>>,
    matched: Option<Matched>,
}

/// Records what a static render under `DYNAMIC = Dynamic::Error` read of its request.
#[derive(Debug, Clone, Default)]
pub(crate) struct RenderProbe(pub(crate) Arc<std::sync::Mutex<Option<&'static str>>>);

impl RenderProbe {
    fn touch(&self, what: &'static str) {
        let mut used = self.0.lock().unwrap_or_else(|p| p.into_inner());
        used.get_or_insert(what);
    }

    pub(crate) fn used(&self) -> Option<&'static str> {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
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

    /// The full URL (`request.url`): the server's origin, the path as received, the query as
    /// `URLSearchParams` writes it (`http://localhost:3000/echo/42?a=1&b=x+y`).
    pub fn url(&self) -> String {
        self.touch("url");
        self.next_url().href()
    }

    /// The URL as Next.js's `request.nextUrl`, parsed once.
    pub fn next_url(&self) -> &NextUrl {
        self.touch("nextUrl");
        self.next_url.get_or_init(|| {
            let origin = self
                .site
                .as_ref()
                .map_or("http://localhost", |site| site.origin.as_ref());
            let target = self.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
            NextUrl::parse(&format!("{origin}{target}"))
                .or_else(|| NextUrl::parse(&format!("{origin}/")))
                .unwrap_or_else(|| NextUrl::parse("http://localhost/").expect("a valid URL"))
        })
    }

    /// The path, still percent-encoded (`/echo/a%20b`), as Next.js's `nextUrl.pathname`.
    pub fn pathname(&self) -> &str {
        self.uri.path()
    }

    /// The query string without its `?`, if any.
    pub fn query(&self) -> Option<&str> {
        self.touch("nextUrl.search");
        self.uri.query()
    }

    /// The headers, including the `x-forwarded-*` ones the server adds.
    pub fn headers(&self) -> &HeaderMap {
        self.touch("headers");
        &self.headers
    }

    /// One header as text; `None` when absent or not visible ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.touch("headers");
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The cookies the client sent, percent-decoded (`request.cookies`).
    pub fn cookies(&self) -> &RequestCookies {
        self.touch("cookies");
        self.cookies
            .get_or_init(|| RequestCookies::for_handler(&self.headers, &self.extensions))
    }

    /// The cookies, to change what later readers of this request see (a middleware's job):
    /// the `Cookie` header is rewritten when the returned guard is dropped.
    pub fn cookies_mut(&mut self) -> CookiesMut<'_> {
        self.cookies();
        CookiesMut { request: self }
    }

    /// The request id, when a client or a proxy in front set `x-request-id`.
    pub fn request_id(&self) -> Option<&str> {
        self.header("x-request-id")
    }

    /// The route's parameters, the same value `RouteContext<Params>` holds.
    pub fn params<P: FromParams>(&self) -> Result<P, Error> {
        let matched = self.matched.as_ref().ok_or_else(|| {
            Error::internal_message("Request::params used outside a matched route")
        })?;
        matched.to_params()
    }

    /// Typed values attached to the request by the server or by tower layers.
    pub fn extensions(&self) -> &Extensions {
        &self.extensions
    }

    /// Takes the body as it is, for large uploads. Later body reads find it empty.
    pub fn take_body(&mut self) -> Body {
        self.body.take().unwrap_or_else(Body::empty)
    }

    /// The body as a stream of chunks, read as they arrive; past the body limit the stream
    /// ends with a 413 error.
    pub fn body_stream(&mut self) -> impl Stream<Item = Result<Bytes, Error>> + Send + 'static {
        TryStreamExt::map_err(self.take_body().into_data_stream(), read_error)
    }

    /// Reads the whole body. Past the server's body limit: 413.
    pub async fn bytes(&mut self) -> Result<Bytes, Error> {
        self.touch("body");
        let Some(body) = self.body.take() else {
            return Err(Error::internal_message(
                "the request body was already read by another extractor",
            ));
        };
        read_all(body).await
    }

    /// Reads the body as UTF-8 text. Not UTF-8: 400.
    pub async fn text(&mut self) -> Result<String, Error> {
        let bytes = self.bytes().await?;
        String::from_utf8(bytes.to_vec())
            .map_err(|_| Error::bad_request("the request body is not valid UTF-8"))
    }

    /// Reads the body as JSON. Malformed JSON or the wrong shape: 400 saying what and where
    /// (`invalid JSON body at "text": invalid type: integer `1`, expected a string at line 1
    /// column 9`).
    pub async fn json<T: DeserializeOwned>(&mut self) -> Result<T, Error> {
        let bytes = self.bytes().await?;
        parse_json(&bytes)
    }

    /// Reads a form (`application/x-www-form-urlencoded`, or the text fields of
    /// `multipart/form-data`) into `T`. A field missing or of the wrong type: 400 naming it;
    /// another content type: 415.
    pub async fn form<T: DeserializeOwned>(&mut self) -> Result<T, Error> {
        let data = self.form_data().await?;
        data.deserialize()
    }

    /// Reads a form with its files (`multipart/form-data`), or a urlencoded form.
    pub async fn form_data(&mut self) -> Result<FormData, Error> {
        let content_type = self.header("content-type").unwrap_or("").to_owned();
        let body = self.take_body();
        FormData::read(&content_type, body).await
    }
}

impl Request {
    fn touch(&self, what: &'static str) {
        if let Some(probe) = &self.probe {
            probe.touch(what);
        }
    }
}

/// The guard [`Request::cookies_mut`] returns: derefs to the cookies, and writes the request's
/// `Cookie` header from them when dropped.
#[derive(Debug)]
pub struct CookiesMut<'a> {
    request: &'a mut Request,
}

impl Deref for CookiesMut<'_> {
    type Target = RequestCookies;

    fn deref(&self) -> &RequestCookies {
        self.request.cookies()
    }
}

impl DerefMut for CookiesMut<'_> {
    fn deref_mut(&mut self) -> &mut RequestCookies {
        if self.request.cookies.get().is_none() {
            self.request.cookies();
        }
        self.request
            .cookies
            .get_mut()
            .expect("initialised by Request::cookies_mut")
    }
}

impl Drop for CookiesMut<'_> {
    fn drop(&mut self) {
        let value = self.request.cookies().to_header_value();
        self.request.headers.remove(COOKIE);
        if let (false, Ok(value)) = (value.is_empty(), HeaderValue::try_from(value)) {
            self.request.headers.insert(COOKIE, value);
        }
    }
}

/// Reads a whole body: 413 past the limit, 400 when the client breaks off.
pub(crate) async fn read_all(body: Body) -> Result<Bytes, Error> {
    body.collect()
        .await
        .map(|collected| collected.to_bytes())
        .map_err(read_error)
}

fn read_error(err: axum::Error) -> Error {
    if is_length_limit(&err) {
        body_too_large()
    } else {
        Error::bad_request(format!("the request body could not be read: {err}"))
    }
}

/// 413: the body went past the server's limit while being read.
pub(crate) fn body_too_large() -> Error {
    Error::payload_too_large("the request body is larger than the server accepts")
}

/// A deserialisation error as a 400 naming what failed (`invalid JSON body at "text": ...`).
pub(crate) fn invalid(
    what: &str,
    path: &serde_path_to_error::Path,
    inner: impl std::fmt::Display,
) -> Error {
    let path = path.to_string();
    if path == "." {
        Error::bad_request(format!("invalid {what}: {inner}"))
    } else {
        Error::bad_request(format!("invalid {what} at {path:?}: {inner}"))
    }
}

/// JSON into `T`, with the path of the field that failed and the position.
pub(crate) fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|err| invalid("JSON body", err.path(), err.inner()))?;
    deserializer
        .end()
        .map_err(|err| Error::bad_request(format!("invalid JSON body: {err}")))?;
    Ok(value)
}

/// Whether the request says its body is JSON (`application/json`, `application/*+json`).
pub(crate) fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let media = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    media == "application/json" || (media.starts_with("application/") && media.ends_with("+json"))
}

/// Whether the body limit is what broke off the read, anywhere in the error's chain.
pub(crate) fn is_length_limit(err: &(dyn std::error::Error + 'static)) -> bool {
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
        let mut headers = parts.headers.clone();
        let routed = crate::scope::with(|scope| {
            let routed = &scope.routed;
            if let Some(forwarded) = &routed.forwarded {
                forwarded.add_to(&mut headers);
            }
            (
                routed.slot.take(),
                routed.site.clone(),
                routed.matched.clone(),
                routed.probe.clone(),
            )
        });
        let (body, site, matched, probe) = match routed {
            Some((body, site, matched, probe)) => (body, Some(site), matched, probe),
            None => (None, None, None, None),
        };
        Ok(Request {
            method: parts.method.clone(),
            uri: parts.uri.clone(),
            version: parts.version,
            headers,
            extensions: parts.extensions.clone(),
            body,
            cookies: OnceLock::new(),
            next_url: OnceLock::new(),
            probe,
            site,
            matched,
        })
    }
}
