//! `/abort/stream`: a stream that never ends; its spawned watcher records the client going
//! away mid-stream.

use std::sync::atomic::Ordering;
use std::time::Duration;

use arbor::prelude::*;

use crate::abort::ABORTED_STREAM;

pub async fn GET(req: Request) -> Response {
    let signal = req.signal();
    tokio::spawn(async move {
        signal.aborted().await;
        ABORTED_STREAM.store(true, Ordering::SeqCst);
    });
    let ticks = futures_util::stream::unfold(0u64, |n| async move {
        if n > 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Some((Ok::<_, std::io::Error>(format!("tick {n}\n")), n + 1))
    });
    Response::stream(ticks).with_header("content-type", "text/plain")
}
