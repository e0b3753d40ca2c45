//! Extractors whose rejections are [`Error`]s: `{"error": message}` with the status that fits.

use axum::extract::{FromRequest, FromRequestParts, Request as AxumRequest};
use axum::response::IntoResponse;
use http::request::Parts;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::Error;
use crate::form::{parse_urlencoded, FormData};
use crate::request::{is_json, parse_json, read_all};
use crate::response::Response;

/// A JSON body in, or a JSON response out.
///
/// As an argument (last, since it reads the body): the content type must be
/// `application/json` (else 415), and the body must parse into `T` (else 400 naming the field
/// and the position). As a return value: `application/json`.
///
/// ```
/// use arbor::prelude::*;
///
/// #[derive(serde::Deserialize, serde::Serialize)]
/// pub struct Input {
///     text: String,
/// }
///
/// pub async fn POST(Json(input): Json<Input>) -> Json<Input> {
///     Json(input)
/// }
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request(req: AxumRequest, _state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(Error::unsupported_media_type(
                "expected a JSON body (content-type: application/json)",
            ));
        }
        let bytes = read_all(req.into_body()).await?;
        parse_json(&bytes).map(Json)
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> axum::response::Response {
        Response::json(&self.0).into_response()
    }
}

/// The query string, parsed into `T`: a field missing or of the wrong type is a 400 naming it.
///
/// ```
/// use arbor::prelude::*;
///
/// #[derive(serde::Deserialize)]
/// pub struct Search {
///     q: String,
///     page: Option<u32>,
/// }
///
/// pub async fn GET(Query(search): Query<Search>) -> String {
///     format!("{} (page {})", search.q, search.page.unwrap_or(1))
/// }
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        parse_urlencoded(query.as_bytes(), "query string").map(Query)
    }
}

/// A form body (urlencoded, or the text fields of a multipart form) parsed into `T`.
/// Another content type is a 415; a field missing or of the wrong type a 400 naming it.
///
/// ```
/// use arbor::prelude::*;
///
/// #[derive(serde::Deserialize)]
/// pub struct Login {
///     name: String,
/// }
///
/// pub async fn POST(Form(login): Form<Login>) -> Response {
///     Response::redirect_with(&format!("/users/{}", login.name), RedirectStatus::SeeOther)
/// }
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Form<T>(pub T);

impl<T, S> FromRequest<S> for Form<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request(req: AxumRequest, _state: &S) -> Result<Self, Self::Rejection> {
        let content_type = req
            .headers()
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let data = FormData::read(&content_type, req.into_body()).await?;
        data.deserialize().map(Form)
    }
}
