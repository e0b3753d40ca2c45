//! The request a route handler receives.

use std::ops::{Deref, DerefMut};
use std::sync::{Arc, OnceLock};

use bytes::Bytes;
use futures_util::{Stream, TryStreamExt};
use http::header::COOKIE;
use http::request::Parts;
use http::{Extensions, HeaderMap, HeaderValue, Method, Uri, Version};
use serde::de::DeserializeOwned;

use crate::body::{self, Body};
use crate::context::{Context, Matched, RenderProbe, Site};
use crate::cookie::{ProxyCookies, RequestCookies};
use crate::error::Error;
use crate::form::FormData;
use crate::handler::{Argument, Reads, ViaArbor};
use crate::routing::params::FromParams;
use crate::url::NextUrl;

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
    /// Boxed: most handlers never ask, and a `Request` is moved a few times.
    next_url: OnceLock<Box<NextUrl>>,
    probe: Option<RenderProbe>,
    site: Arc<Site>,
    matched: Option<Matched>,
    proxy_cookies: Option<ProxyCookies>,
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
            let origin = &self.site.origin;
            let target = self.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
            let url = NextUrl::parse(&format!("{origin}{target}"))
                .or_else(|| NextUrl::parse(&format!("{origin}/")))
                .unwrap_or_else(|| NextUrl::parse("http://localhost/").expect("a valid URL"));
            Box::new(url)
        })
    }

    /// The abort signal (`request.signal`): fires when the client goes away before the answer
    /// was sent whole. Ask for it in the handler itself (not in a task it spawned); see
    /// [`AbortSignal`](crate::AbortSignal).
    pub fn signal(&self) -> crate::AbortSignal {
        crate::AbortSignal::current()
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
            .get_or_init(|| RequestCookies::for_handler(&self.headers, self.proxy_cookies.as_ref()))
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
        self.touch("body");
        self.body.take().unwrap_or_else(Body::empty)
    }

    /// The body as a stream of chunks, read as they arrive; past the app's body limit the
    /// stream ends with a 413 error.
    pub fn body_stream(&mut self) -> impl Stream<Item = Result<Bytes, Error>> + Send + 'static {
        TryStreamExt::map_err(self.take_body().into_data_stream(), body::read_error)
    }

    /// Reads the whole body. Past the app's body limit: 413. A second read finds it empty.
    pub async fn bytes(&mut self) -> Result<Bytes, Error> {
        body::read_all(self.take_body()).await
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
        body::parse_json(&bytes)
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

/// The request as its handler sees it: its own copy of the head (with the forwarded headers
/// added), and the body.
impl<S: Send + Sync> Argument<S, ViaArbor> for Request {
    type Body = Reads;

    async fn from_request(
        parts: &mut Parts,
        body: &mut Option<Body>,
        cx: &Context,
        _state: &S,
    ) -> Result<Self, http::Response<Body>> {
        let mut headers = parts.headers.clone();
        cx.add_forwarded(&mut headers);
        Ok(Request {
            method: parts.method.clone(),
            uri: parts.uri.clone(),
            version: parts.version,
            headers,
            extensions: parts.extensions.clone(),
            body: body.take(),
            cookies: OnceLock::new(),
            next_url: OnceLock::new(),
            probe: cx.probe.clone(),
            site: cx.site.clone(),
            matched: cx.matched.clone(),
            proxy_cookies: cx.proxy_cookies.clone(),
        })
    }
}
