//! Route handlers: async functions whose arguments are extractors and whose return value
//! converts into a response.
//!
//! ```
//! use arbor::prelude::*;
//!
//! #[derive(serde::Deserialize)]
//! pub struct Input {
//!     text: String,
//! }
//!
//! // The Next.js shape: the request, then the route context.
//! pub async fn GET(req: Request, _ctx: RouteContext) -> Response {
//!     Response::text(req.pathname().to_owned())
//! }
//!
//! // Or any extractors, in any order.
//! pub async fn POST(Json(input): Json<Input>) -> Result<Response> {
//!     Ok(Response::json(&serde_json::json!({ "text": input.text })))
//! }
//!
//! fn check<H: arbor::handler::Handler<T, ()>, T>(_: H) {}
//! check(GET);
//! check(POST);
//! ```
//!
//! An argument is any [`Argument`]: Arbor's own ([`Request`](crate::Request),
//! [`RouteContext`](crate::RouteContext), [`Json`](crate::Json), [`Form`](crate::Form),
//! [`Cookies`](crate::cookies::Cookies), [`WaitUntil`](crate::middleware::WaitUntil)), and
//! every axum extractor (`State<S>`, `HeaderMap`, `axum::Json<T>`...). The return value is
//! anything axum's `IntoResponse` takes.
//!
//! A handler reads the request body through at most one argument, and the compiler checks
//! it: `Request` and `Json<T>` in one signature do not compile, since both would read it.
//!
//! ```compile_fail,E0277
//! use arbor::prelude::*;
//!
//! async fn both(req: Request, Json(body): Json<serde_json::Value>) -> Response {
//!     Response::empty()
//! }
//!
//! fn check<H: arbor::handler::Handler<T, ()>, T>(_: H) {}
//! check(both); // a handler reads the request body once
//! ```
//!
//! The values only a middleware returns (`Next`, `Rewrite`) are not responses, so a route
//! handler returning one does not compile either.
//!
//! ```compile_fail,E0277
//! use arbor::middleware::Next;
//!
//! async fn route() -> Next {
//!     Next::new()
//! }
//!
//! fn check<H: arbor::handler::Handler<T, ()>, T>(_: H) {}
//! check(route); // `Next` is not a response
//! ```

use std::future::Future;
use std::marker::PhantomData;
use std::sync::Arc;

use axum::response::IntoResponse;
use futures_util::future::BoxFuture;
use http::request::Parts;

use crate::body::Body;
pub use crate::context::Context;

type Response = http::Response<Body>;

/// How an argument is built: through Arbor's own [`Argument`] impl.
#[derive(Debug, Clone, Copy)]
pub enum ViaArbor {}

/// How an argument is built: through axum's `FromRequestParts`.
#[derive(Debug, Clone, Copy)]
pub enum ViaParts {}

/// How an argument is built: through axum's `FromRequest`, which reads the body.
#[derive(Debug, Clone, Copy)]
pub enum ViaRequest {}

/// An argument that leaves the request body alone.
#[derive(Debug, Clone, Copy)]
pub enum Leaves {}

/// An argument that reads the request body.
#[derive(Debug, Clone, Copy)]
pub enum Reads {}

/// Whether the arguments so far read the body, and then this one: reading it twice has no
/// impl, so such a handler does not compile.
#[diagnostic::on_unimplemented(
    message = "a handler reads the request body once, but two of its arguments read it",
    label = "the second argument that reads the body",
    note = "`Request`, `Json<T>`, `Form<T>` and axum's body extractors each read the body",
    note = "take `Request` alone and read the body with `req.json()`, `req.form()` or `req.bytes()`, or drop `Request` and keep the extractor"
)]
pub trait ThenBody<Next> {
    /// Whether the body has been read after both.
    type Out: BodyUse;
}

impl ThenBody<Leaves> for Leaves {
    type Out = Leaves;
}
impl ThenBody<Reads> for Leaves {
    type Out = Reads;
}
impl ThenBody<Leaves> for Reads {
    type Out = Reads;
}

/// [`Leaves`] or [`Reads`].
pub trait BodyUse {
    /// Whether the body is read.
    const READS: bool;
}

impl BodyUse for Leaves {
    const READS: bool = false;
}
impl BodyUse for Reads {
    const READS: bool = true;
}

/// What a handler argument is built from: the request's head, its body (taken by the one
/// argument that reads it), the request's [`Context`] and the app state.
///
/// Implemented for Arbor's extractors and, through `M`, for every axum extractor; write your
/// own extractors with axum's `FromRequestParts`, which this takes as is.
pub trait Argument<S, M>: Sized + Send {
    /// [`Reads`] when the argument reads the body, else [`Leaves`].
    type Body: BodyUse;

    /// Builds the argument, or answers the request with the rejection.
    fn from_request(
        parts: &mut Parts,
        body: &mut Option<Body>,
        cx: &Context,
        state: &S,
    ) -> impl Future<Output = Result<Self, Response>> + Send;
}

impl<S, T> Argument<S, ViaParts> for T
where
    T: axum::extract::FromRequestParts<S> + Send,
    S: Send + Sync,
{
    type Body = Leaves;

    async fn from_request(
        parts: &mut Parts,
        _body: &mut Option<Body>,
        _cx: &Context,
        state: &S,
    ) -> Result<Self, Response> {
        T::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)
    }
}

impl<S, T> Argument<S, ViaRequest> for T
where
    T: axum::extract::FromRequest<S> + Send,
    S: Send + Sync,
{
    type Body = Reads;

    async fn from_request(
        parts: &mut Parts,
        body: &mut Option<Body>,
        _cx: &Context,
        state: &S,
    ) -> Result<Self, Response> {
        let mut req = http::Request::new(body.take().unwrap_or_default());
        *req.method_mut() = parts.method.clone();
        *req.uri_mut() = parts.uri.clone();
        *req.version_mut() = parts.version;
        *req.headers_mut() = parts.headers.clone();
        *req.extensions_mut() = parts.extensions.clone();
        T::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)
    }
}

/// A route handler: an async function of [`Argument`]s returning something that converts into
/// a response. Implemented for every such function of up to 12 arguments.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a route handler",
    note = "a route handler is an `async fn` whose arguments are extractors (`Request`, `RouteContext<Params>`, `Json<T>`, `State<S>`...) and whose return value converts into a response (`Response`, `Result<Response>`, `Json<T>`, `&str`...)",
    note = "at most one argument may read the request body: `Request`, `Json<T>` and `Form<T>` each do; take `Request` alone and call `req.json()`, or drop `Request`",
    note = "`Next` and `Rewrite` are what a middleware returns, not responses: a route handler cannot return them"
)]
pub trait Handler<T, S>: Clone + Send + Sync + Sized + 'static {
    /// Runs the handler on a request.
    fn call(self, req: http::Request<Body>, cx: Context, state: S) -> BoxFuture<'static, Response>;
}

/// The body use of each argument, in order, folded with [`ThenBody`]: implemented when at
/// most one of them reads the body.
pub trait Bodies {
    /// Whether the body is read by one of them.
    type Out: BodyUse;
}

impl Bodies for () {
    type Out = Leaves;
}

/// `(B1, ..., Bn)` is `(B1, ..., Bn-1)` then `Bn`.
macro_rules! impl_bodies {
    ($($prefix:ident),* ; $last:ident) => {
        impl<$($prefix,)* $last> Bodies for ($($prefix,)* $last,)
        where
            ($($prefix,)*): Bodies,
            <($($prefix,)*) as Bodies>::Out: ThenBody<$last>,
        {
            type Out = <<($($prefix,)*) as Bodies>::Out as ThenBody<$last>>::Out;
        }
    };
}

impl_bodies!(; B1);
impl_bodies!(B1; B2);
impl_bodies!(B1, B2; B3);
impl_bodies!(B1, B2, B3; B4);
impl_bodies!(B1, B2, B3, B4; B5);
impl_bodies!(B1, B2, B3, B4, B5; B6);
impl_bodies!(B1, B2, B3, B4, B5, B6; B7);
impl_bodies!(B1, B2, B3, B4, B5, B6, B7; B8);
impl_bodies!(B1, B2, B3, B4, B5, B6, B7, B8; B9);
impl_bodies!(B1, B2, B3, B4, B5, B6, B7, B8, B9; B10);
impl_bodies!(B1, B2, B3, B4, B5, B6, B7, B8, B9, B10; B11);
impl_bodies!(B1, B2, B3, B4, B5, B6, B7, B8, B9, B10, B11; B12);

/// Calls `$mac!` once for each number of arguments a handler or a middleware may take (0 to
/// 12), with the argument and marker type names of that many.
macro_rules! for_each_arity {
    ($mac:ident) => {
        $mac!();
        $mac!((T1, M1));
        $mac!((T1, M1), (T2, M2));
        $mac!((T1, M1), (T2, M2), (T3, M3));
        $mac!((T1, M1), (T2, M2), (T3, M3), (T4, M4));
        $mac!((T1, M1), (T2, M2), (T3, M3), (T4, M4), (T5, M5));
        $mac!((T1, M1), (T2, M2), (T3, M3), (T4, M4), (T5, M5), (T6, M6));
        $mac!(
            (T1, M1),
            (T2, M2),
            (T3, M3),
            (T4, M4),
            (T5, M5),
            (T6, M6),
            (T7, M7)
        );
        $mac!(
            (T1, M1),
            (T2, M2),
            (T3, M3),
            (T4, M4),
            (T5, M5),
            (T6, M6),
            (T7, M7),
            (T8, M8)
        );
        $mac!(
            (T1, M1),
            (T2, M2),
            (T3, M3),
            (T4, M4),
            (T5, M5),
            (T6, M6),
            (T7, M7),
            (T8, M8),
            (T9, M9)
        );
        $mac!(
            (T1, M1),
            (T2, M2),
            (T3, M3),
            (T4, M4),
            (T5, M5),
            (T6, M6),
            (T7, M7),
            (T8, M8),
            (T9, M9),
            (T10, M10)
        );
        $mac!(
            (T1, M1),
            (T2, M2),
            (T3, M3),
            (T4, M4),
            (T5, M5),
            (T6, M6),
            (T7, M7),
            (T8, M8),
            (T9, M9),
            (T10, M10),
            (T11, M11)
        );
        $mac!(
            (T1, M1),
            (T2, M2),
            (T3, M3),
            (T4, M4),
            (T5, M5),
            (T6, M6),
            (T7, M7),
            (T8, M8),
            (T9, M9),
            (T10, M10),
            (T11, M11),
            (T12, M12)
        );
    };
}

pub(crate) use for_each_arity;

macro_rules! impl_handler {
    ($(($t:ident, $m:ident)),*) => {
        #[allow(non_snake_case, unused_mut, unused_variables)]
        impl<F, Fut, R, S, $($t, $m,)*> Handler<($($m,)* $($t,)*), S> for F
        where
            F: FnOnce($($t),*) -> Fut + Clone + Send + Sync + 'static,
            Fut: Future<Output = R> + Send,
            R: IntoResponse,
            S: Send + Sync + 'static,
            $($t: Argument<S, $m>,)*
            ($(<$t as Argument<S, $m>>::Body,)*): Bodies,
        {
            fn call(self, req: http::Request<Body>, cx: Context, state: S) -> BoxFuture<'static, Response> {
                // Split before the block, whose captures are used in place: moving them into
                // locals inside would store them twice in the future.
                let (mut parts, body) = req.into_parts();
                let mut body = Some(body);
                let mut cx = cx;
                Box::pin(async move {
                    let reads_request = false $(|| { let _ = stringify!($t); true })*;
                    if reads_request {
                        cx.prepare(&mut parts.headers);
                    }
                    $(
                        let $t = match <$t as Argument<S, $m>>::from_request(&mut parts, &mut body, &cx, &state).await {
                            Ok(value) => value,
                            Err(mut rejection) => {
                                cx.finish(rejection.headers_mut());
                                return rejection;
                            }
                        };
                    )*
                    let mut response = self($($t),*).await.into_response();
                    cx.finish(response.headers_mut());
                    response
                })
            }
        }
    };
}

for_each_arity!(impl_handler);

/// A handler with its state, ready to run: what the router stores.
pub(crate) type BoxHandler =
    Arc<dyn Fn(http::Request<Body>, Context) -> BoxFuture<'static, Response> + Send + Sync>;

/// A handler that may still wait for the app state.
pub(crate) enum Slot<S> {
    Pending(Arc<dyn PendingHandler<S>>),
    Ready(BoxHandler),
}

impl<S> Clone for Slot<S> {
    fn clone(&self) -> Self {
        match self {
            Slot::Pending(p) => Slot::Pending(p.clone()),
            Slot::Ready(h) => Slot::Ready(h.clone()),
        }
    }
}

pub(crate) trait PendingHandler<S>: Send + Sync {
    fn with_state(&self, state: S) -> BoxHandler;
}

struct Pending<H, T> {
    handler: H,
    _args: PhantomData<fn() -> T>,
}

impl<H, T, S> PendingHandler<S> for Pending<H, T>
where
    H: Handler<T, S>,
    S: Clone + Send + Sync + 'static,
    T: 'static,
{
    fn with_state(&self, state: S) -> BoxHandler {
        let handler = self.handler.clone();
        Arc::new(move |req, cx| handler.clone().call(req, cx, state.clone()))
    }
}

impl<S: Clone + Send + Sync + 'static> Slot<S> {
    pub(crate) fn new<H, T>(handler: H) -> Self
    where
        H: Handler<T, S>,
        T: 'static,
    {
        Slot::Pending(Arc::new(Pending {
            handler,
            _args: PhantomData,
        }))
    }

    /// The handler, given its state.
    pub(crate) fn with_state<S2>(&self, state: &S) -> Slot<S2> {
        Slot::Ready(self.ready(state))
    }

    pub(crate) fn ready(&self, state: &S) -> BoxHandler {
        match self {
            Slot::Pending(p) => p.with_state(state.clone()),
            Slot::Ready(h) => h.clone(),
        }
    }
}
