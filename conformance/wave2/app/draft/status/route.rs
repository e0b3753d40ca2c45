//! `/draft/status`: whether this request is in draft mode.

use arbor::prelude::*;
use arbor::DraftMode;

pub async fn GET(draft: DraftMode) -> Response {
    Response::json(&serde_json::json!({ "isEnabled": draft.is_enabled() }))
}
