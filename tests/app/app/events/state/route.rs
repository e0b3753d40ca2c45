//! `GET /events/state`: how many events the producer made, and whether it stopped.

use std::sync::atomic::Ordering;

use arbor::prelude::*;

use crate::events::{PRODUCED, STOPPED};

pub async fn GET() -> Response {
    Response::json(&serde_json::json!({
        "produced": PRODUCED.load(Ordering::SeqCst),
        "stopped": STOPPED.load(Ordering::SeqCst),
    }))
}
