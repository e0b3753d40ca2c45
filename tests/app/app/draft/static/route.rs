//! `/draft/static`: a static route that counts its renders.

use std::sync::atomic::{AtomicUsize, Ordering};

use arbor::cache::Dynamic;
use arbor::prelude::*;
use arbor::DraftMode;

pub const DYNAMIC: Dynamic = Dynamic::ForceStatic;

static RENDERS: AtomicUsize = AtomicUsize::new(0);

pub async fn GET(draft: DraftMode) -> Response {
    let render = RENDERS.fetch_add(1, Ordering::SeqCst) + 1;
    Response::json(&serde_json::json!({ "render": render, "draft": draft.is_enabled() }))
}
