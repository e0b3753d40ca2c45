//! Request bodies shared by both comment routes. `_lib` is a private folder: never routed,
//! reachable from any route as `crate::app::_lib::input`.

use arbor::prelude::*;
use schemars::JsonSchema;

/// The body of `POST /comments` and `PATCH /comments/{id}`.
#[derive(JsonSchema)]
#[allow(dead_code)] // read by hand in `comment_text`, described for the OpenAPI document
pub struct NewComment {
    /// What the comment says: not empty.
    #[schemars(length(min = 1))]
    pub text: String,
}

/// The `text` of a comment body: a non-empty string, else 400 `{"error": "text is required"}`
/// (whatever is wrong with the body, as the Next.js version answers).
pub async fn comment_text(req: &mut Request) -> Result<String> {
    let body: serde_json::Value = req.json().await?;
    match body.get("text") {
        Some(serde_json::Value::String(text)) if !text.is_empty() => Ok(text.clone()),
        _ => Err(Error::bad_request("text is required")),
    }
}
