//! Request and response bodies, and reading a request body whole within the app's limit.
//!
//! A handler reads the body through one argument: [`Request`](crate::Request) (the Next.js
//! shape, `req.json()`, `req.form()`...), or an extractor such as [`Json`](crate::Json). A
//! handler taking two that both read it does not compile.

use std::fmt;

use bytes::{Bytes, BytesMut};
use http::header::CONTENT_TYPE;
use http::{HeaderMap, StatusCode};
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
///
/// A body that arrives in one piece, as most do, is handed on as it came: no copy, and no
/// list of pieces to gather first.
pub(crate) async fn read_all(mut body: Body) -> Result<Bytes, Error> {
    let mut first = Bytes::new();
    let mut joined: Option<BytesMut> = None;
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame.map_err(read_error)?.into_data() else {
            continue; // trailers: not part of the bytes
        };
        match &mut joined {
            Some(joined) => joined.extend_from_slice(&data),
            None if first.is_empty() => first = data,
            None => {
                let mut both = BytesMut::with_capacity(first.len() + data.len());
                both.extend_from_slice(&first);
                both.extend_from_slice(&data);
                joined = Some(both);
            }
        }
    }
    Ok(joined.map_or(first, BytesMut::freeze))
}

/// What a failed body read answers: 413 past the limit, 408 when the body stopped arriving,
/// 503 when the server's budget for bodies is spent, else 400.
pub(crate) fn read_error(err: axum::Error) -> Error {
    if is_length_limit(&err) {
        return too_large();
    }
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(&err);
    while let Some(e) = next {
        if let Some(stalled) = e.downcast_ref::<Stalled>() {
            return Error::new(StatusCode::REQUEST_TIMEOUT, stalled.to_string());
        }
        if let Some(over) = e.downcast_ref::<OverBudget>() {
            return Error::new(StatusCode::SERVICE_UNAVAILABLE, over.to_string());
        }
        next = e.source();
    }
    Error::bad_request(format!("the request body could not be read: {err}"))
}

/// The body stopped arriving: nothing came for the server's body read timeout (408).
#[derive(Debug)]
pub(crate) struct Stalled(pub(crate) std::time::Duration);

impl fmt::Display for Stalled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the request body stopped arriving: nothing came for {} s",
            self.0.as_secs_f64()
        )
    }
}

impl std::error::Error for Stalled {}

/// The bodies being received at once hold the whole budget (503).
#[derive(Debug)]
pub(crate) struct OverBudget(pub(crate) usize);

impl fmt::Display for OverBudget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the server is receiving {} MiB of request bodies already; try again shortly",
            self.0 / (1024 * 1024)
        )
    }
}

impl std::error::Error for OverBudget {}

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
    let Some(value) = headers.get(CONTENT_TYPE) else {
        return false;
    };
    let value = value.as_bytes();
    let media = value
        .split(|&b| b == b';')
        .next()
        .unwrap_or_default()
        .trim_ascii();
    let is = |start: usize, text: &[u8]| {
        media
            .get(start..start + text.len())
            .is_some_and(|part| part.eq_ignore_ascii_case(text))
    };
    let (prefix, suffix) = (b"application/".as_slice(), b"+json".as_slice());
    media.eq_ignore_ascii_case(b"application/json")
        || (media.len() >= prefix.len() + suffix.len()
            && is(0, prefix)
            && is(media.len() - suffix.len(), suffix))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;
    use http_body_util::{Limited, StreamBody};

    fn content_type(value: &'static str) -> bool {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(value));
        is_json(&headers)
    }

    #[test]
    fn json_media_types() {
        assert!(content_type("application/json"));
        assert!(content_type("Application/JSON; charset=utf-8"));
        assert!(content_type(" application/json ;x=1"));
        assert!(content_type("application/problem+json"));
        assert!(content_type("application/+json"));
        assert!(!content_type("application/jsonx"));
        assert!(!content_type("text/json"));
        assert!(!content_type("application/json+xml"));
        assert!(!content_type("text/plain+json"));
        assert!(!content_type(""));
        assert!(!is_json(&HeaderMap::new()));
    }

    fn chunked(pieces: &[&'static [u8]]) -> Body {
        let frames: Vec<_> = pieces
            .iter()
            .map(|piece| Ok::<_, std::io::Error>(http_body::Frame::data(Bytes::from_static(piece))))
            .collect();
        Body::new(StreamBody::new(futures_util::stream::iter(frames)))
    }

    #[tokio::test]
    async fn reads_one_piece_or_many() {
        assert_eq!(read_all(Body::empty()).await.unwrap(), "");
        assert_eq!(read_all(Body::from("whole")).await.unwrap(), "whole");
        assert_eq!(read_all(chunked(&[b"a"])).await.unwrap(), "a");
        assert_eq!(
            read_all(chunked(&[b"ab", b"", b"c", b"def"]))
                .await
                .unwrap(),
            "abcdef"
        );
        assert_eq!(read_all(chunked(&[b"", b"x"])).await.unwrap(), "x");
    }

    #[tokio::test]
    async fn past_the_limit_is_413_and_a_broken_body_400() {
        let limited = Body::new(Limited::new(chunked(&[b"1234", b"5678"]), 6));
        assert_eq!(read_all(limited).await.unwrap_err().status(), 413);
        let broken = futures_util::stream::iter([
            Ok(http_body::Frame::data(Bytes::from_static(b"a"))),
            Err(std::io::Error::other("reset")),
        ]);
        let err = read_all(Body::new(StreamBody::new(broken)))
            .await
            .unwrap_err();
        assert_eq!(err.status(), 400);
    }
}
