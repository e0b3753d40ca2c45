//! `POST /draft/toggle` turns draft mode on, `DELETE` off.

use arbor::prelude::*;
use arbor::DraftMode;

pub async fn POST(mut draft: DraftMode) -> Response {
    draft.enable();
    Response::json(&serde_json::json!({ "enabled": draft.is_enabled() }))
}

pub async fn DELETE(mut draft: DraftMode) -> Response {
    draft.disable();
    Response::json(&serde_json::json!({ "enabled": draft.is_enabled() }))
}
