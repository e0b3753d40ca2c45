//! The one error type handlers return, and what each kind answers.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;

use axum::body::Body;
use axum::response::IntoResponse;
use http::header::{CONTENT_TYPE, LOCATION};
use http::{HeaderValue, StatusCode};

use crate::redirect::{location, RedirectStatus};

type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// What a handler returns when it cannot answer normally.
///
/// | made with | answers |
/// | --- | --- |
/// | [`Error::bad_request`], [`Error::unauthorized`], [`Error::forbidden`], [`Error::conflict`], [`Error::payload_too_large`], [`Error::unsupported_media_type`], [`Error::unprocessable`], [`Error::new`] | that status, JSON body `{"error": message}` |
/// | [`Error::not_found`] / [`not_found`](crate::not_found) | 404, empty body (Next.js's `notFound()`); add a JSON message with [`Error::with_message`] |
/// | [`redirect`](crate::redirect), [`permanent_redirect`](crate::permanent_redirect) | 307 / 308 to the location, empty body |
/// | `?` on any other error, [`Error::internal`] | 500, empty body; the error and its source chain are logged |
///
/// The status an error is made with is the status it answers: nothing is changed on the way.
///
/// ```
/// use arbor::prelude::*;
///
/// fn parse_id(raw: &str) -> Result<i64> {
///     raw.parse().map_err(|_| Error::bad_request("id must be a number"))
/// }
///
/// let err = parse_id("abc").unwrap_err();
/// assert_eq!(err.status(), StatusCode::BAD_REQUEST);
/// assert!(err.is_client_error());
/// assert_eq!(Error::new(StatusCode::SERVICE_UNAVAILABLE, "down").status(), 503);
/// ```
pub struct Error {
    kind: Kind,
}

enum Kind {
    /// An answer with this status and, if any, a JSON message.
    Status {
        status: StatusCode,
        message: Option<Cow<'static, str>>,
    },
    Redirect {
        status: RedirectStatus,
        location: HeaderValue,
    },
    Internal(BoxError),
}

/// The result type of handlers: `Result<Response>` is `Result<Response, arbor::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An answer with `status` and the JSON body `{"error": message}`. Any status is kept as
    /// given, a 503 as much as a 4xx.
    pub fn new(status: StatusCode, message: impl Into<Cow<'static, str>>) -> Self {
        Error {
            kind: Kind::Status {
                status,
                message: Some(message.into()),
            },
        }
    }

    /// 400 Bad Request.
    pub fn bad_request(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// 401 Unauthorized.
    pub fn unauthorized(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, message)
    }

    /// 403 Forbidden.
    pub fn forbidden(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::FORBIDDEN, message)
    }

    /// 404 Not Found with an empty body, like Next.js's `notFound()`.
    ///
    /// `option.ok_or_else(Error::not_found)?` ends the handler with a 404.
    pub fn not_found() -> Self {
        Error {
            kind: Kind::Status {
                status: StatusCode::NOT_FOUND,
                message: None,
            },
        }
    }

    /// 409 Conflict.
    pub fn conflict(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::CONFLICT, message)
    }

    /// 413 Payload Too Large.
    pub fn payload_too_large(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, message)
    }

    /// 415 Unsupported Media Type.
    pub fn unsupported_media_type(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, message)
    }

    /// 422 Unprocessable Entity.
    pub fn unprocessable(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, message)
    }

    /// 500 Internal Server Error caused by `source`: the client gets an empty body, the log
    /// gets the error and its source chain. `?` does this for any `std::error::Error`.
    pub fn internal(source: impl Into<BoxError>) -> Self {
        Error {
            kind: Kind::Internal(source.into()),
        }
    }

    /// 500 with a message for the log only.
    pub fn internal_message(message: impl Into<String>) -> Self {
        Self::internal(message.into())
    }

    /// A redirect to `to` with `status`, ending the handler from any depth with `?`;
    /// `Location` is written as every Arbor redirect writes it (see [`RedirectStatus`]).
    pub fn redirect(to: &str, status: RedirectStatus) -> Self {
        Error {
            kind: Kind::Redirect {
                status,
                location: location(to),
            },
        }
    }

    /// Sets the JSON message (`Error::not_found().with_message("no such comment")`).
    /// Redirects and internal errors keep their empty bodies.
    pub fn with_message(mut self, message: impl Into<Cow<'static, str>>) -> Self {
        if let Kind::Status { message: m, .. } = &mut self.kind {
            *m = Some(message.into());
        }
        self
    }

    /// The status this error answers with.
    pub fn status(&self) -> StatusCode {
        match &self.kind {
            Kind::Status { status, .. } => *status,
            Kind::Redirect { status, .. } => status.status(),
            Kind::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A 4xx: the request was wrong.
    pub fn is_client_error(&self) -> bool {
        self.status().is_client_error()
    }

    /// A redirect made with [`redirect`](crate::redirect) or [`Error::redirect`].
    pub fn is_redirect(&self) -> bool {
        matches!(self.kind, Kind::Redirect { .. })
    }

    /// A failure of the server's own: made from another error, or with [`Error::internal`].
    pub fn is_internal(&self) -> bool {
        matches!(self.kind, Kind::Internal(_))
    }

    /// The message the error sends, if any.
    pub fn message(&self) -> Option<&str> {
        match &self.kind {
            Kind::Status { message, .. } => message.as_deref(),
            _ => None,
        }
    }
}

impl<E> From<E> for Error
where
    E: StdError + Send + Sync + 'static,
{
    fn from(err: E) -> Self {
        Error::internal(err)
    }
}

/// An `Error` where a boxed standard error is asked for (a streamed body's items, say:
/// `Response::stream(req.body_stream())`): an internal error gives its source, another its
/// message.
impl From<Error> for Box<dyn StdError + Send + Sync> {
    fn from(err: Error) -> Self {
        match err.kind {
            Kind::Internal(source) => source,
            _ => err.to_string().into(),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Status { status, message } => f
                .debug_struct("Error")
                .field("status", status)
                .field("message", message)
                .finish(),
            Kind::Redirect { status, location } => f
                .debug_struct("Error")
                .field("status", &status.status())
                .field("location", location)
                .finish(),
            Kind::Internal(source) => f.debug_tuple("Error").field(source).finish(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Status { status, message } => match message {
                Some(m) => write!(f, "{status}: {m}"),
                None => write!(f, "{status}"),
            },
            Kind::Redirect { status, location } => {
                write!(f, "{} to {location:?}", status.status())
            }
            Kind::Internal(source) => {
                write!(f, "{source}")?;
                let mut next = source.source();
                while let Some(cause) = next {
                    write!(f, ": {cause}")?;
                    next = cause.source();
                }
                Ok(())
            }
        }
    }
}

/// A JSON error body: `{"error": message}`.
pub(crate) fn json_error(status: StatusCode, message: &str) -> http::Response<Body> {
    let body = serde_json::json!({ "error": message }).to_string();
    let mut response = http::Response::new(Body::from(body));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

impl IntoResponse for Error {
    fn into_response(self) -> axum::response::Response {
        match self.kind {
            Kind::Status {
                status,
                message: Some(message),
            } => json_error(status, &message),
            Kind::Status {
                status,
                message: None,
            } => status.into_response(),
            Kind::Redirect { status, location } => {
                let mut response = status.status().into_response();
                response.headers_mut().insert(LOCATION, location);
                response
            }
            Kind::Internal(source) => {
                let error = Error {
                    kind: Kind::Internal(source),
                };
                tracing::error!(error = %error, "handler failed");
                let failure = crate::instrumentation::Failure::route(error.to_string(), false);
                failure.on(StatusCode::INTERNAL_SERVER_ERROR.into_response())
            }
        }
    }
}

/// What a panic said, for its log line.
pub(crate) fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "non-string panic payload".to_owned()
    }
}
