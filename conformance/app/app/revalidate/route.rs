use arbor::cache::{revalidate_path, revalidate_tag, Profile};
use arbor::prelude::*;

/// `{path}` revalidates a route path; `{tag, expire0}` a tag, stale-while-revalidate or expired.
pub async fn POST(mut req: Request) -> Response {
    let body: serde_json::Value = req.json().await.unwrap_or_default();
    let path = body.get("path").and_then(|p| p.as_str());
    let tag = body.get("tag").and_then(|t| t.as_str());
    if let Some(path) = path {
        revalidate_path(path).await;
    }
    if let Some(tag) = tag {
        let expire = body.get("expire0").and_then(|e| e.as_bool()).unwrap_or(false);
        revalidate_tag(tag, if expire { Profile::Expire } else { Profile::Max }).await;
    }
    Response::json(&serde_json::json!({ "revalidated": true, "path": path, "tag": tag }))
}
