//! `lib/echo.ts`: describes what a handler saw, as JSON.

use arbor::prelude::*;
use serde::Serialize;

/// `{handler, method, url, pathname, search, query, params, body, json, contentType}`.
pub async fn describe(
    handler: &str,
    req: &mut Request,
    params: Option<impl Serialize>,
) -> Result<serde_json::Value> {
    let text = match req.method().as_str() {
        "GET" | "HEAD" => String::new(),
        _ => req.text().await?,
    };
    let json: serde_json::Value = serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
    Ok(serde_json::json!({
        "handler": handler,
        "method": req.method().as_str(),
        "url": req.url(),
        "pathname": req.next_url().pathname(),
        "search": req.next_url().search(),
        "query": req.next_url().search_params().entries(),
        "params": params,
        "body": text,
        "json": json,
        "contentType": req.header("content-type"),
    }))
}

/// `Date.now()`: milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or_default()
}
