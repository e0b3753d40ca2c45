//! `POST /draft/toggle` turns draft mode on, `DELETE` off; `GET` turns it on and redirects
//! home; `PUT` tries to from an `after()` future, too late.

use std::sync::atomic::{AtomicBool, Ordering};

use arbor::prelude::*;
use arbor::DraftMode;

/// What `PUT`'s `after()` future saw: whether `enable()` there turned draft mode on.
pub static ENABLED_IN_AFTER: AtomicBool = AtomicBool::new(true);

pub async fn GET(mut draft: DraftMode) -> Result<Response> {
    draft.enable();
    Err(redirect("/"))
}

pub async fn PUT(mut draft: DraftMode) -> Response {
    arbor::after(async move {
        draft.enable();
        ENABLED_IN_AFTER.store(draft.is_enabled(), Ordering::SeqCst);
    });
    Response::text("answered")
}

pub async fn POST(mut draft: DraftMode) -> Response {
    draft.enable();
    Response::json(&serde_json::json!({ "enabled": draft.is_enabled() }))
}

pub async fn DELETE(mut draft: DraftMode) -> Response {
    draft.disable();
    Response::json(&serde_json::json!({ "enabled": draft.is_enabled() }))
}
