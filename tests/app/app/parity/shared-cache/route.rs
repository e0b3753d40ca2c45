//! `/parity/shared-cache`: two concurrent calls of one `#[cache]` function with the same
//! arguments share one computation.

use std::sync::atomic::{AtomicUsize, Ordering};

use arbor::prelude::*;

static COMPUTED: AtomicUsize = AtomicUsize::new(0);

#[arbor::cache(tags = ["shared"])]
async fn slow_double(n: u32) -> u32 {
    COMPUTED.fetch_add(1, Ordering::SeqCst);
    // Long enough that the second call starts while the first computes.
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    n * 2
}

pub async fn GET() -> Response {
    let (a, b) = tokio::join!(slow_double(21), slow_double(21));
    Response::json(&serde_json::json!({
        "a": a,
        "b": b,
        "computed": COMPUTED.load(Ordering::SeqCst),
    }))
}
