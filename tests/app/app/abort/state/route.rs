//! `GET /abort/state`: what the abort watchers saw.

use std::sync::atomic::Ordering;

use arbor::prelude::*;

use crate::abort::{ABORTED_STREAM, ABORTED_WAIT, STARTED_WAIT};

pub async fn GET() -> Response {
    Response::json(&serde_json::json!({
        "startedWait": STARTED_WAIT.load(Ordering::SeqCst),
        "abortedWait": ABORTED_WAIT.load(Ordering::SeqCst),
        "abortedStream": ABORTED_STREAM.load(Ordering::SeqCst),
    }))
}
