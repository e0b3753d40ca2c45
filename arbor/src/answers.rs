//! The answers Arbor gives on its own, written as Next.js writes them: the 404 page, the
//! framework's 500 and 400, the 308 of path normalisation, 405 with `Allow`, OPTIONS.

use http::header::{ALLOW, CACHE_CONTROL, CONTENT_TYPE, LOCATION};
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};

use crate::body::Body;

type Response = http::Response<Body>;

/// Next.js's `Cache-Control` on the answers no cache may keep.
pub(crate) const NO_STORE: &str = "private, no-cache, no-store, max-age=0, must-revalidate";
/// Plain text pages, such as the sub-resource 404.
const TEXT_TYPE: &str = "text/plain; charset=utf-8";
/// The framework's own error answers, as Next.js writes them.
const ERROR_TYPE: &str = "text/plain";

/// An empty answer with this status.
pub(crate) fn empty(status: StatusCode) -> Response {
    let mut response = http::Response::new(Body::empty());
    *response.status_mut() = status;
    response
}

fn text(status: StatusCode, body: &'static str, content_type: &'static str) -> Response {
    let mut response = http::Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(NO_STORE));
    response
}

/// The framework's 500, as Next.js answers a failed middleware.
pub(crate) fn internal_error() -> Response {
    text(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Internal Server Error",
        ERROR_TYPE,
    )
}

/// A path the server cannot read (a malformed percent-escape).
pub(crate) fn bad_request() -> Response {
    text(StatusCode::BAD_REQUEST, "Bad Request", ERROR_TYPE)
}

/// An upstream of a proxied rewrite that cannot be reached.
pub(crate) fn bad_gateway() -> Response {
    text(StatusCode::BAD_GATEWAY, "Bad Gateway", ERROR_TYPE)
}

/// An upstream of a proxied rewrite that did not answer in time.
pub(crate) fn gateway_timeout() -> Response {
    text(StatusCode::GATEWAY_TIMEOUT, "Gateway Timeout", ERROR_TYPE)
}

/// The 308 of path normalisation: `Location`, `Refresh: 0;url=…`, body = the destination.
/// `location` is a path the normaliser built from a valid one.
pub(crate) fn permanent_redirect(location: String) -> Response {
    redirect(StatusCode::PERMANENT_REDIRECT, location)
}

/// A redirect as Next.js writes its own: `Location`, the destination as the body without a
/// content type, and `Refresh: 0;url=…` beside a 308. A location no header can carry is a 400.
pub(crate) fn redirect(status: StatusCode, location: String) -> Response {
    let Ok(value) = HeaderValue::try_from(location.as_str()) else {
        return bad_request();
    };
    let refresh = (status == StatusCode::PERMANENT_REDIRECT)
        .then(|| HeaderValue::try_from(format!("0;url={location}")).ok())
        .flatten();
    let mut response = http::Response::new(Body::from(location));
    *response.status_mut() = status;
    response.headers_mut().insert(LOCATION, value);
    if let Some(refresh) = refresh {
        response.headers_mut().insert(REFRESH, refresh);
    }
    response
}

/// `Refresh`, which Next.js sends beside a 308's `Location`.
pub(crate) const REFRESH: HeaderName = HeaderName::from_static("refresh");

/// 405 with the methods the route answers.
pub(crate) fn method_not_allowed(allow: &HeaderValue) -> Response {
    let mut response = empty(StatusCode::METHOD_NOT_ALLOWED);
    response.headers_mut().insert(ALLOW, allow.clone());
    response
}

/// The 405 of a route served from the cache: only GET and HEAD, as Next.js answers.
pub(crate) fn static_method_not_allowed() -> Response {
    let mut response = http::Response::new(Body::from("Method Not Allowed"));
    *response.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
    response
        .headers_mut()
        .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
    response
}

/// The plain 404 of an id a generated metadata file does not have: cached like the file's
/// own answers, as Next.js keeps it.
pub(crate) fn not_found_text() -> Response {
    let mut response = http::Response::new(Body::from("Not Found"));
    *response.status_mut() = StatusCode::NOT_FOUND;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(TEXT_TYPE));
    response
}

/// The automatic OPTIONS: 204 with `Allow`.
pub(crate) fn options(allow: &HeaderValue) -> Response {
    let mut response = empty(StatusCode::NO_CONTENT);
    response.headers_mut().insert(ALLOW, allow.clone());
    response
}

/// The default not-found answer: an HTML page for navigations (and clients that do not say),
/// plain text for sub-resource fetches (`Sec-Fetch-Dest: image`, `script`...) and `/_next/`
/// assets.
pub(crate) fn not_found(path: &str, headers: &HeaderMap) -> Response {
    if !wants_document(path, headers) {
        return text(StatusCode::NOT_FOUND, "Not Found", TEXT_TYPE);
    }
    let mut response = text(
        StatusCode::NOT_FOUND,
        NOT_FOUND_PAGE,
        "text/html; charset=utf-8",
    );
    // The page is static, served as Next.js serves its prerendered not-found page.
    response.headers_mut().insert(
        HeaderName::from_static("x-nextjs-cache"),
        HeaderValue::from_static("HIT"),
    );
    response
}

/// The default 404 page, for a page whose function answered `not_found()`.
pub(crate) fn not_found_page() -> Response {
    text(
        StatusCode::NOT_FOUND,
        NOT_FOUND_PAGE,
        "text/html; charset=utf-8",
    )
}

/// The 500 page of a page that failed while rendering, as Next.js's `__next_error__`
/// document: it shows no detail of the error, only the digest the report carries.
pub(crate) fn error_page(digest: &str) -> Response {
    let page = format!(
        "<!DOCTYPE html><html id=\"__next_error__\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>500: Internal Server Error.</title></head><body><div><h1>500</h1><h2>Application error: a server-side exception has occurred. Digest: {digest}</h2></div></body></html>"
    );
    let mut response = http::Response::new(Body::from(page));
    *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(NO_STORE));
    response
}

fn wants_document(path: &str, headers: &HeaderMap) -> bool {
    if path.starts_with("/_next/") {
        return false;
    }
    match headers.get("sec-fetch-dest").and_then(|v| v.to_str().ok()) {
        None => true,
        Some(dest) => matches!(
            dest,
            "document" | "iframe" | "frame" | "embed" | "object" | "empty" | ""
        ),
    }
}

const NOT_FOUND_PAGE: &str = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>404: This page could not be found.</title><style>body{margin:0;height:100vh;display:flex;align-items:center;justify-content:center;font-family:system-ui,sans-serif}h1{display:inline-block;margin:0 20px 0 0;padding:0 23px 0 0;font-size:24px;font-weight:500;border-right:1px solid rgba(0,0,0,.3)}h2{display:inline-block;margin:0;font-size:14px;font-weight:400}</style></head><body><div><h1>404</h1><h2>This page could not be found.</h2></div></body></html>";
