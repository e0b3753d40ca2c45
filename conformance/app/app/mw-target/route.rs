use arbor::prelude::*;

/// The target of the proxy's rewrites: shows the path, query and headers it received.
pub async fn GET(req: Request) -> Response {
    let mut names: Vec<&str> = req
        .headers()
        .keys()
        .map(|k| k.as_str())
        .filter(|k| k.starts_with("x-middleware") || k.starts_with("x-from") || *k == "x-test")
        .collect();
    names.sort_unstable();
    let headers: serde_json::Map<String, serde_json::Value> = names
        .into_iter()
        .map(|k| (k.to_owned(), req.header(k).into()))
        .collect();
    let search = req.query().map(|q| format!("?{q}")).unwrap_or_default();
    Response::json(&serde_json::json!({
        "handler": "mw-target GET",
        "pathname": req.pathname(),
        "search": search,
        "url": format!("{}{search}", req.pathname()),
        "headers": headers,
    }))
}

pub async fn POST(mut req: Request) -> Result<Response> {
    let body = req.text().await?;
    Ok(Response::json(&serde_json::json!({
        "handler": "mw-target POST",
        "body": body,
        "pathname": req.pathname(),
    })))
}
