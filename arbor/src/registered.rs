//! What a handler (or the middleware) registers while it runs, for after its answer: the
//! futures it gave `after()` and the abort signal it asked its request for. Plain data, held
//! in the handler's scope (`cache::scope`) and handled by `handler_scope`.

use futures_util::future::BoxFuture;
use tokio_util::sync::CancellationToken;

/// What one request's handler registered: nothing (no allocation) until it registers
/// something.
#[derive(Default)]
pub(crate) struct Held(pub(crate) Option<Box<Registered>>);

/// What a handler registered.
#[derive(Default)]
pub(crate) struct Registered {
    /// The futures given `after()`, in order.
    pub(crate) after: Vec<BoxFuture<'static, ()>>,
    /// The request's abort signal, once the handler asked for it.
    pub(crate) abort: Option<CancellationToken>,
}
