//! Typed answers: return values whose type says the status and the body's shape, so the
//! OpenAPI document and the TypeScript client know them ([`Json<T>`](crate::Json) is 200).
//! Each is written exactly as [`Response::json`] writes it: the type costs nothing at run time.

use axum::response::IntoResponse;
use http::StatusCode;
use serde::Serialize;

use crate::response::Response;

/// 201 Created, with `T` as JSON and, if given, the new resource's `Location`.
///
/// ```
/// use arbor::prelude::*;
///
/// #[derive(serde::Serialize, schemars::JsonSchema)]
/// pub struct Comment {
///     id: i64,
/// }
///
/// pub async fn POST() -> Created<Comment> {
///     Created::new(Comment { id: 4 }).location("/comments/4")
/// }
/// ```
#[derive(Debug, Clone)]
pub struct Created<T> {
    /// The body.
    pub body: T,
    location: Option<String>,
}

impl<T> Created<T> {
    /// 201 with `body`.
    pub fn new(body: T) -> Self {
        Created {
            body,
            location: None,
        }
    }

    /// Also sends `Location: location`.
    pub fn location(mut self, location: impl Into<String>) -> Self {
        self.location = Some(location.into());
        self
    }
}

impl<T: Serialize> IntoResponse for Created<T> {
    fn into_response(self) -> axum::response::Response {
        let mut response = Response::json(&self.body);
        if response.status() == StatusCode::OK {
            response = response.with_status(StatusCode::CREATED);
            if let Some(location) = &self.location {
                response = response.with_header("location", location);
            }
        }
        response.into_response()
    }
}

/// 204 No Content.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoContent;

impl IntoResponse for NoContent {
    fn into_response(self) -> axum::response::Response {
        StatusCode::NO_CONTENT.into_response()
    }
}
