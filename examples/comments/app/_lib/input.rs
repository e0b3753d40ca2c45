//! Request bodies shared by both comment routes. `_lib` is a private folder: never routed,
//! reachable from any route as `crate::app::_lib::input`.

use arbor::prelude::*;

/// The `text` of a comment body: a non-empty string, else 400 `{"error": "text is required"}`.
pub async fn comment_text(req: &mut Request) -> Result<String> {
    let body: serde_json::Value = req.json().await?;
    match body.get("text") {
        Some(serde_json::Value::String(text)) if !text.is_empty() => Ok(text.clone()),
        _ => Err(Error::bad_request("text is required")),
    }
}
