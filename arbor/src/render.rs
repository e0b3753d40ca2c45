//! The functions of pages and metadata files: handler arguments in, a typed value out (the
//! page's [`Markup`], a [`Sitemap`](crate::metadata::Sitemap), an `ImageResponse` (feature
//! `image`)...),
//! which Arbor turns into the response with the headers Next.js gives it.

use std::future::Future;

use futures_util::future::BoxFuture;
use maud::Markup;

use crate::body::Body;
use crate::handler::{Argument, Bodies, Context};

type Response = http::Response<Body>;

/// What such a function may return: the value, or a `Result` of it whose error converts into
/// a response (Arbor's [`Error`](crate::Error) does).
// The error is the response sent as it is: boxing it would only add an allocation.
#[allow(clippy::result_large_err)]
pub trait Outcome<O> {
    /// The value, or the answer that replaces it.
    fn into_outcome(self) -> Result<O, Response>;
}

/// `Outcome` for a type and for `Result`s of it.
macro_rules! outcome {
    ($($ty:ty),*) => {$(
        impl $crate::render::Outcome<$ty> for $ty {
            fn into_outcome(self) -> Result<$ty, http::Response<$crate::Body>> {
                Ok(self)
            }
        }

        impl<E: axum::response::IntoResponse> $crate::render::Outcome<$ty> for Result<$ty, E> {
            fn into_outcome(self) -> Result<$ty, http::Response<$crate::Body>> {
                self.map_err(axum::response::IntoResponse::into_response)
            }
        }
    )*};
}

pub(crate) use outcome;

outcome!(Markup);

/// A function of handler arguments returning an [`Outcome<O>`]: a page (`O` = [`Markup`]), a
/// metadata file. Implemented for every such async function of up to 12 arguments.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot render this file",
    note = "a page is `pub async fn page(...) -> Markup` (or `Result<Markup>`); a metadata file's function returns its type (`Robots`, `Sitemap`, `Manifest`, `ImageResponse`) or a `Result` of it",
    note = "its arguments are those of a route handler (`RouteContext<Params>`, `State<S>`, `Request`...)"
)]
pub trait Render<T, S, O>: Clone + Send + Sync + Sized + 'static {
    /// Runs the function: its value, or the answer that replaces it (a rejected argument, an
    /// error), with the request's context for the answer's headers.
    fn render(
        self,
        req: http::Request<Body>,
        cx: Context,
        state: S,
    ) -> BoxFuture<'static, (Result<O, Response>, Context)>;
}

macro_rules! impl_render {
    ($(($t:ident, $m:ident)),*) => {
        #[allow(non_snake_case, unused_mut, unused_variables)]
        impl<F, Fut, R, O, S, $($t, $m,)*> Render<($($m,)* $($t,)*), S, O> for F
        where
            F: FnOnce($($t),*) -> Fut + Clone + Send + Sync + 'static,
            Fut: Future<Output = R> + Send,
            R: Outcome<O>,
            S: Send + Sync + 'static,
            $($t: Argument<S, $m>,)*
            ($(<$t as Argument<S, $m>>::Body,)*): Bodies,
        {
            fn render(self, req: http::Request<Body>, cx: Context, state: S) -> BoxFuture<'static, (Result<O, Response>, Context)> {
                let (mut parts, body) = req.into_parts();
                let mut body = Some(body);
                Box::pin(async move {
                    cx.prepare(&mut parts.headers);
                    $(
                        let $t = match <$t as Argument<S, $m>>::from_request(&mut parts, &mut body, &cx, &state).await {
                            Ok(value) => value,
                            Err(rejection) => return (Err(rejection), cx),
                        };
                    )*
                    (self($($t),*).await.into_outcome(), cx)
                })
            }
        }
    };
}

crate::handler::for_each_arity!(impl_render);
