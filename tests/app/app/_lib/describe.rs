//! Shared by several routes: describes what a handler saw, as JSON (Next's `lib/echo.ts`).

use arbor::prelude::*;
use serde::Serialize;

/// `{handler, method, url, pathname, search, params, body}`.
pub async fn describe(handler: &str, req: &mut Request, params: impl Serialize) -> Result<Response> {
    let body = match req.method().as_str() {
        "GET" | "HEAD" => String::new(),
        _ => req.text().await?,
    };
    Ok(Response::json(&serde_json::json!({
        "handler": handler,
        "method": req.method().as_str(),
        "url": req.url(),
        "pathname": req.pathname(),
        "search": req.query().map(|q| format!("?{q}")).unwrap_or_default(),
        "params": params,
        "body": body,
        "contentType": req.header("content-type"),
    }))
    .with_header("x-handler", handler))
}
