//! `/draft/enable`: turns draft mode on for this browser.

use arbor::prelude::*;
use arbor::DraftMode;

pub async fn GET(mut draft: DraftMode) -> Response {
    draft.enable();
    Response::json(&serde_json::json!({ "enabled": draft.is_enabled() }))
}
