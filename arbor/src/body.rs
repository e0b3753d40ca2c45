//! Request and response bodies, and reading a request body whole within the app's limit.
//!
//! A handler reads the body through one argument: [`Request`](crate::Request) (the Next.js
//! shape, `req.json()`, `req.form()`...), or an extractor such as [`Json`](crate::Json). A
//! handler taking two that both read it does not compile.

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::HeaderMap;
use http_body_util::BodyExt;
use serde::de::DeserializeOwned;

use crate::error::Error;

/// The body type of requests and responses (axum's).
pub type Body = axum::body::Body;

/// A body of these bytes; an empty one costs nothing.
pub(crate) fn of_bytes(bytes: &Bytes) -> Body {
    if bytes.is_empty() {
        Body::empty()
    } else {
        Body::from(bytes.clone())
    }
}

/// Whether a body is known to be empty without reading it.
pub(crate) fn is_empty<B: http_body::Body>(body: &B) -> bool {
    body.is_end_stream()
}

/// Reads a whole body: 413 past the limit, 400 when the client breaks off.
pub(crate) async fn read_all(body: Body) -> Result<Bytes, Error> {
    body.collect()
        .await
        .map(|collected| collected.to_bytes())
        .map_err(read_error)
}

/// What a failed body read answers: 413 past the limit, else 400.
pub(crate) fn read_error(err: axum::Error) -> Error {
    if is_length_limit(&err) {
        too_large()
    } else {
        Error::bad_request(format!("the request body could not be read: {err}"))
    }
}

/// 413: the body went past the app's limit while being read.
pub(crate) fn too_large() -> Error {
    Error::payload_too_large("the request body is larger than the server accepts")
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
