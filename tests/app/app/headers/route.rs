use arbor::prelude::*;

/// The request headers the handler sees, by name.
pub async fn GET(req: Request) -> Response {
    let headers: serde_json::Map<String, serde_json::Value> = req
        .headers()
        .iter()
        .map(|(name, value)| {
            let value = value.to_str().unwrap_or_default().to_owned();
            (name.as_str().to_owned(), value.into())
        })
        .collect();
    Response::json(&headers)
}
