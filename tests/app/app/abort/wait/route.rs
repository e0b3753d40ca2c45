//! `/abort/wait`: never answers; its spawned watcher records the client going away.

use std::sync::atomic::Ordering;

use arbor::prelude::*;

use crate::abort::{ABORTED_WAIT, STARTED_WAIT};

pub async fn GET(req: Request) -> Response {
    let signal = req.signal();
    tokio::spawn(async move {
        signal.aborted().await;
        ABORTED_WAIT.store(true, Ordering::SeqCst);
    });
    STARTED_WAIT.store(true, Ordering::SeqCst);
    std::future::pending::<()>().await;
    Response::text("never")
}
