//! `after(future)`: work that runs once the response has been sent, as Next.js's `after()`.
//! What a handler registers is held in its scope (`handler_scope`) and spawned when its
//! answer's body is dropped.

use std::future::Future;

use futures_util::future::BoxFuture;

use crate::handler_scope::{guarded, with_current};

/// Runs `future` once the response has been sent (Next.js's `after()`): logging, analytics,
/// cache warming, without delaying the answer. It also runs when the handler answered with an
/// error or a redirect, and graceful shutdown waits for it.
///
/// Call it from a route handler or the middleware, at any depth. Futures registered by one
/// request run one after the other, in the order they were registered; a panic in one is
/// logged and the next still runs. Registered in the middleware, they run after the whole
/// response, the route's included.
///
/// ```
/// use arbor::prelude::*;
///
/// pub async fn POST(req: Request) -> Response {
///     let path = req.pathname().to_owned();
///     arbor::after(async move {
///         tracing::info!(path, "comment posted"); // after the client has its answer
///     });
///     Response::json(&serde_json::json!({ "ok": true }))
/// }
/// ```
///
/// Outside a handler (in a task the handler spawned, say) there is no response to wait for:
/// the future is spawned at once, and a warning is logged.
pub fn after<F>(future: F)
where
    F: Future<Output = ()> + Send + 'static,
{
    let future: BoxFuture<'static, ()> = Box::pin(future);
    let mut outside = Some(future);
    with_current(|held| {
        if let Some(future) = outside.take() {
            held.after.push(future);
        }
    });
    if let Some(future) = outside {
        tracing::warn!("after() was called outside a handler or the middleware; running it now");
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => drop(runtime.spawn(guarded(future))),
            Err(_) => tracing::error!("after() was called outside a tokio runtime; dropped"),
        }
    }
}
