//! `/after/handler?mode=`: registers `after()` work, then answers, fails, redirects or 404s.

use std::time::Duration;

use arbor::prelude::*;
use serde_json::json;

use crate::store::after_event;

pub async fn GET(req: Request) -> Result<Response> {
    let mode = req
        .next_url()
        .search_params()
        .get("mode")
        .unwrap_or("ok")
        .to_owned();
    after_event(json!({ "event": "handler-start", "mode": mode }));
    let later = mode.clone();
    if mode == "slow" {
        arbor::after(async move {
            tokio::time::sleep(Duration::from_millis(400)).await;
            after_event(json!({ "event": "after-callback", "mode": later }));
        });
    } else {
        arbor::after(async move {
            after_event(json!({ "event": "after-callback", "mode": later }));
        });
    }
    match mode.as_str() {
        "throw" => return Err(Error::internal_message("handler threw after registering after()")),
        "redirect" => return Err(redirect("/dest?from=after")),
        "notfound" => return Err(not_found()),
        _ => {}
    }
    after_event(json!({ "event": "handler-return", "mode": mode }));
    Ok(Response::json(&json!({ "mode": mode })))
}
