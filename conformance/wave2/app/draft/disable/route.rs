//! `/draft/disable`: turns draft mode off for this browser.

use arbor::prelude::*;
use arbor::DraftMode;

pub async fn GET(mut draft: DraftMode) -> Response {
    draft.disable();
    Response::json(&serde_json::json!({ "enabled": draft.is_enabled() }))
}
