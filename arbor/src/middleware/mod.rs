//! The root middleware (`proxy.rs` exporting `proxy`, or `middleware.rs` exporting
//! `middleware`): runs before the routes for the requests its matcher selects, and can
//! continue, rewrite, redirect or answer.
//!
//! ```
//! // proxy.rs, beside app/
//! use arbor::middleware::{Config, Has, Matcher, Next, Outcome};
//! use arbor::prelude::*;
//!
//! pub const CONFIG: Config = Config {
//!     matcher: &[
//!         Matcher::new("/api/:path*"),
//!         Matcher::new("/flag").has(&[Has::query("mw").value("on")]),
//!     ],
//! };
//!
//! pub async fn proxy(req: Request) -> Outcome {
//!     if req.header("authorization") != Some("Bearer good") {
//!         return Response::json(&serde_json::json!({ "message": "authentication failed" }))
//!             .with_status(StatusCode::UNAUTHORIZED)
//!             .into();
//!     }
//!     Next::new().with_header("x-checked", "1").into()
//! }
//! ```
//!
//! The middleware returns an [`Outcome`]: go on to the route ([`Next`]), serve another URL
//! ([`Rewrite`]), or answer ([`Response`](crate::Response), a redirect included). It may also return `Next`,
//! `Rewrite` or `Response` directly, a `Result` of one (an internal error answers 500), or
//! nothing, which goes on like `Next::new()`. `Next` and `Rewrite` are not responses: a route
//! handler cannot return them.
//!
//! `CONFIG` is read and compiled by `arbor-build`: a source that is not a valid
//! path-to-regexp pattern fails the build. Sources are anchored at both ends and
//! case-sensitive; `:name` is one segment, `:name*` zero or more (so `/api/:path*` also matches
//! `/api`), `:name+` one or more, `:name?` optional, `(regex)` a group, and a negative
//! lookahead such as `/((?!api|_next/static).*)` excludes paths. Without `CONFIG` the
//! middleware runs for every request.

mod config;
pub(crate) mod matcher;
mod outcome;

use std::future::Future;

use std::sync::Arc;

use http::request::Parts;
use http::HeaderValue;
use tokio_util::task::TaskTracker;

use crate::body::Body;
use crate::context::{Context, Site};
use crate::handler::{for_each_arity, Argument, Bodies, BodyUse, Leaves, ViaArbor};

pub use config::{Config, Has, HasKind, Matcher};
pub(crate) use matcher::CompiledMatcher;
pub(crate) use matcher::Matchers;
pub(crate) use outcome::Changes;
pub use outcome::{IntoOutcome, Next, Outcome, Rewrite};

/// The root middleware function: an async function of [`Argument`]s (`Request`,
/// [`WaitUntil`], `State<S>`...) returning an [`Outcome`] or anything [`IntoOutcome`] takes.
/// Implemented for every such function of up to 12 arguments.
///
/// The request it sees is the client's; the body is read (within the app's body limit) only
/// when it takes `Request`, and the route reads it again afterwards.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a middleware function",
    note = "a middleware is an `async fn` whose arguments are extractors (`Request`, `WaitUntil`, `State<S>`...) and which returns an `Outcome`, `Next`, `Rewrite`, `Response`, or a `Result` of one"
)]
pub trait Middleware<T, S>: Clone + Send + Sync + Sized + 'static {
    /// Whether an argument reads the request body.
    const READS_BODY: bool;

    /// Runs the middleware on the request's head (and a copy of its body, when it reads it),
    /// sent to `site` by `peer`, then `then` on the head and the outcome. The request path
    /// calls it.
    #[doc(hidden)]
    fn call<C, Then>(
        self,
        parts: Parts,
        body: Option<Body>,
        site: Arc<Site>,
        peer: Option<HeaderValue>,
        state: S,
        then: C,
    ) -> impl Future<Output = Then> + Send + 'static
    where
        C: FnOnce(Parts, Outcome) -> Then + Send + 'static,
        Then: 'static;
}

macro_rules! impl_middleware {
    ($(($t:ident, $m:ident)),*) => {
        #[allow(non_snake_case, unused_mut, unused_variables)]
        impl<F, Fut, R, S, $($t, $m,)*> Middleware<($($m,)* $($t,)*), S> for F
        where
            F: FnOnce($($t),*) -> Fut + Clone + Send + Sync + 'static,
            Fut: Future<Output = R> + Send,
            R: IntoOutcome,
            S: Send + Sync + 'static,
            $($t: Argument<S, $m>,)*
            ($(<$t as Argument<S, $m>>::Body,)*): Bodies,
        {
            const READS_BODY: bool =
                <<($(<$t as Argument<S, $m>>::Body,)*) as Bodies>::Out as BodyUse>::READS;

            fn call<C, Then>(
                self,
                mut parts: Parts,
                mut body: Option<Body>,
                site: Arc<Site>,
                peer: Option<HeaderValue>,
                state: S,
                then: C,
            ) -> impl Future<Output = Then> + Send + 'static
            where
                C: FnOnce(Parts, Outcome) -> Then + Send + 'static,
                Then: 'static,
            {
                // A function of no arguments needs no context.
                const ARGUMENTS: bool = false $(|| { let _ = stringify!($t); true })*;
                async move {
                    let cx = ARGUMENTS.then(|| Context::new(site, None, peer));
                    $(
                        let Some(head) = cx.as_ref() else {
                            let failed = Outcome::Respond(crate::answers::internal_error().into());
                            return then(parts, failed);
                        };
                        let $t = match <$t as Argument<S, $m>>::from_request(&mut parts, &mut body, head, &state).await {
                            Ok(value) => value,
                            Err(rejection) => return then(parts, Outcome::Respond(rejection.into())),
                        };
                    )*
                    let mut outcome = self($($t),*).await.into_outcome();
                    if let Some(cx) = &cx {
                        cx.set_cookies_on(outcome.cookie_lines());
                    }
                    then(parts, outcome)
                }
            }
        }
    };
}

for_each_arity!(impl_middleware);

/// `event.waitUntil(promise)`: runs work after the response is sent, and graceful shutdown
/// waits for it.
///
/// ```
/// use arbor::middleware::{Next, WaitUntil};
/// use arbor::prelude::*;
///
/// pub async fn proxy(req: Request, event: WaitUntil) -> Next {
///     let path = req.pathname().to_owned();
///     event.wait_until(async move {
///         // e.g. send an analytics event without delaying the response
///         let _ = path;
///     });
///     Next::new()
/// }
/// ```
#[derive(Clone)]
pub struct WaitUntil {
    tracker: TaskTracker,
}

impl WaitUntil {
    /// Spawns `work`; the response does not wait for it, shutdown does.
    pub fn wait_until<F>(&self, work: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        self.tracker.spawn(work);
    }
}

impl<S: Send + Sync> Argument<S, ViaArbor> for WaitUntil {
    type Body = Leaves;

    async fn from_request(
        _parts: &mut Parts,
        _body: &mut Option<Body>,
        cx: &Context,
        _state: &S,
    ) -> Result<Self, http::Response<Body>> {
        Ok(WaitUntil {
            tracker: cx.site.background.clone(),
        })
    }
}
