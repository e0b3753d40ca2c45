//! `request.signal`: an abort signal a handler awaits or selects on to stop work its client no
//! longer waits for.

use tokio_util::sync::CancellationToken;

use crate::handler_scope::with_current;

/// Fires when the request's client goes away before its answer was sent whole: it closed the
/// connection while the handler ran, or while a streamed answer was still going out (Next.js's
/// `request.signal`). Get it with [`Request::signal`](crate::Request::signal).
///
/// Arbor drops the handler's future and its answer's body when the client goes away, which
/// stops the work inside them; the signal reaches the work outside, in tasks the handler
/// spawned. It never fires for a request that was answered whole.
///
/// ```
/// use arbor::prelude::*;
///
/// pub async fn POST(req: Request) -> Response {
///     let signal = req.signal();
///     tokio::spawn(async move {
///         tokio::select! {
///             () = signal.aborted() => tracing::info!("the client left; report dropped"),
///             () = build_report() => {}
///         }
///     });
///     Response::text("building")
/// }
/// # async fn build_report() {}
/// ```
#[derive(Debug, Clone)]
pub struct AbortSignal(CancellationToken);

impl AbortSignal {
    /// Whether the client has gone away (`signal.aborted`).
    pub fn is_aborted(&self) -> bool {
        self.0.is_cancelled()
    }

    /// Resolves when the client goes away; pending for ever for a request answered whole.
    pub async fn aborted(&self) {
        self.0.cancelled().await;
    }

    /// The signal of the request whose handler is running; one that never fires outside a
    /// handler (a static render has no client to lose).
    pub(crate) fn current() -> AbortSignal {
        let token = with_current(|held| {
            held.abort
                .get_or_insert_with(CancellationToken::new)
                .clone()
        });
        AbortSignal(token.unwrap_or_default())
    }
}
