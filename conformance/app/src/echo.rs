//! `lib/echo.ts`: describes what a handler saw, as JSON.

use arbor::prelude::*;
use serde::Serialize;

/// The query string's entries, decoded as `URLSearchParams` decodes them.
pub fn query_entries(req: &Request) -> Vec<(String, String)> {
    form_urlencoded::parse(req.query().unwrap_or("").as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The first value of a query parameter.
pub fn query_param(req: &Request, name: &str) -> Option<String> {
    query_entries(req)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

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
        "pathname": req.pathname(),
        "search": req.query().filter(|q| !q.is_empty()).map(|q| format!("?{q}")).unwrap_or_default(),
        "query": query_entries(req),
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
