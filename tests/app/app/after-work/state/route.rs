//! `GET /after-work/state`: how many `after()` futures of `/after-work` have run.

use std::sync::atomic::Ordering;

use arbor::prelude::*;

pub async fn GET() -> Response {
    let done = crate::after_work::DONE.load(Ordering::SeqCst);
    Response::json(&serde_json::json!({ "done": done }))
}
