//! `/draft/static`: a static route, rendered afresh in draft mode.

use arbor::cache::Dynamic;
use arbor::prelude::*;
use arbor::DraftMode;

pub const DYNAMIC: Dynamic = Dynamic::ForceStatic;

pub async fn GET(draft: DraftMode) -> Response {
    let time = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    Response::json(&serde_json::json!({ "time": time, "isEnabled": draft.is_enabled() }))
}
