//! Arbor's extractors: the route context, the body as JSON or a form, the query, the cookies.
//! Their rejections are [`Error`]s: `{"error": message}` with the status that fits.

use axum::extract::FromRequestParts;
use axum::response::IntoResponse;
use http::request::Parts;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::body::{self, is_json, parse_json, Body};
use crate::context::Context;
use crate::cookie::{Cookie, RequestCookies, ResponseCookie};
use crate::error::Error;
use crate::form::{parse_urlencoded, FormData};
use crate::handler::{Argument, Leaves, Reads, ViaArbor};
use crate::response::Response;
use crate::routing::params::FromParams;
use crate::routing::NoParams;

type Rejection = http::Response<Body>;

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

impl<T, S> Argument<S, ViaArbor> for Json<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Body = Reads;

    async fn from_request(
        parts: &mut Parts,
        body: &mut Option<Body>,
        _cx: &Context,
        _state: &S,
    ) -> Result<Self, Rejection> {
        let parsed = async {
            if !is_json(&parts.headers) {
                return Err(Error::unsupported_media_type(
                    "expected a JSON body (content-type: application/json)",
                ));
            }
            let bytes = body::read_all(body.take().unwrap_or_default()).await?;
            parse_json(&bytes).map(Json)
        };
        parsed.await.map_err(IntoResponse::into_response)
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

impl<T, S> Argument<S, ViaArbor> for Form<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Body = Reads;

    async fn from_request(
        parts: &mut Parts,
        body: &mut Option<Body>,
        _cx: &Context,
        _state: &S,
    ) -> Result<Self, Rejection> {
        let content_type = parts
            .headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let parsed = async {
            let data = FormData::read(&content_type, body.take().unwrap_or_default()).await?;
            data.deserialize().map(Form)
        };
        parsed.await.map_err(IntoResponse::into_response)
    }
}

/// The second argument of a Next.js route handler: `context.params`, typed.
///
/// `P` is the `Params` struct `arbor-build` generates beside each route from its folder
/// names: `[id]` is a [`Param`](crate::routing::Param) (a decoded segment that parses into
/// any type, answering 400 when it does not), `[...slug]` a `Vec<String>`, `[[...slug]]` an
/// `Option<Vec<String>>` (`None` when the URL stops before it).
///
/// ```ignore
/// // app/comments/[id]/route.rs
/// use arbor::prelude::*;
/// use super::Params;
///
/// pub async fn GET(_req: Request, ctx: RouteContext<Params>) -> Result<Response> {
///     let id: i64 = ctx.params.id.parse()?; // "abc": 400 naming `id`
///     Ok(Response::json(&serde_json::json!({ "id": id })))
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteContext<P = NoParams> {
    /// The route's parameters.
    pub params: P,
}

impl<P, S> Argument<S, ViaArbor> for RouteContext<P>
where
    P: FromParams + Send,
    S: Send + Sync,
{
    type Body = Leaves;

    async fn from_request(
        _parts: &mut Parts,
        _body: &mut Option<Body>,
        cx: &Context,
        _state: &S,
    ) -> Result<Self, Rejection> {
        let params = match &cx.matched {
            Some(matched) => matched.to_params(),
            None => Err(Error::internal_message(
                "RouteContext used outside a route matched by the arbor router",
            )),
        };
        params
            .map(|params| RouteContext { params })
            .map_err(IntoResponse::into_response)
    }
}

/// The `cookies()` of `next/headers`: the request's cookies to read, and cookies to set or
/// delete that are added to whatever response the handler returns (after its own
/// `Set-Cookie` lines), redirects and errors included.
///
/// ```
/// use arbor::prelude::*;
/// use arbor::cookies::{Cookies, ResponseCookie};
///
/// pub async fn POST(cookies: Cookies) -> Response {
///     let returning = cookies.has("session");
///     cookies.set("viaHeaders", "1");
///     cookies.set_cookie(ResponseCookie::new("another", "two").http_only(true));
///     Response::text(if returning { "welcome back" } else { "hello" })
/// }
/// ```
#[derive(Debug, Clone)]
pub struct Cookies {
    request: RequestCookies,
    jar: std::sync::Arc<std::sync::Mutex<Vec<ResponseCookie>>>,
}

impl Cookies {
    /// The cookie `name` as the handler sees it now: what the request sent, changed by the
    /// cookies this handler set or deleted since (as Next.js's `cookies()` in a route handler).
    pub fn get(&self, name: &str) -> Option<Cookie> {
        self.get_all().into_iter().find(|c| c.name == name)
    }

    /// Every cookie, as [`get`](Cookies::get) sees them: the request's, in order, then those
    /// this handler added.
    pub fn get_all(&self) -> Vec<Cookie> {
        let mut all = self.request.get_all().to_vec();
        let jar = self.jar.lock().unwrap_or_else(|p| p.into_inner());
        for set in jar.iter() {
            let at = all.iter().position(|c| c.name == set.name());
            match (at, set.removes()) {
                (Some(at), true) => {
                    all.remove(at);
                }
                (Some(at), false) => all[at].value = set.value().to_owned(),
                (None, false) => all.push(Cookie {
                    name: set.name().to_owned(),
                    value: set.value().to_owned(),
                }),
                (None, true) => {}
            }
        }
        all
    }

    /// Whether there is a cookie `name`, as [`get`](Cookies::get) sees it.
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Sets `name=value; Path=/` on the response.
    pub fn set(&self, name: impl Into<String>, value: impl Into<String>) {
        self.set_cookie(ResponseCookie::new(name, value));
    }

    /// Sets a cookie with its attributes on the response.
    pub fn set_cookie(&self, cookie: ResponseCookie) {
        self.jar
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(cookie);
    }

    /// Deletes a cookie in the browser.
    pub fn delete(&self, name: impl Into<String>) {
        self.set_cookie(ResponseCookie::expired(name));
    }
}

impl<S: Send + Sync> Argument<S, ViaArbor> for Cookies {
    type Body = Leaves;

    async fn from_request(
        parts: &mut Parts,
        _body: &mut Option<Body>,
        cx: &Context,
        _state: &S,
    ) -> Result<Self, Rejection> {
        Ok(Cookies {
            request: RequestCookies::for_handler(&parts.headers, cx.proxy_cookies.as_ref()),
            jar: cx.jar(),
        })
    }
}
