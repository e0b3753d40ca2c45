use arbor::cache::{revalidate_path, revalidate_tag, Profile};
use arbor::prelude::*;
use serde::Deserialize;

/// `?path=/time` or `?tag=products`.
#[derive(Deserialize, schemars::JsonSchema)]
pub struct Target {
    path: Option<String>,
    tag: Option<String>,
}

/// `POST /revalidate?path=...` or `?tag=...`.
pub async fn POST(Query(target): Query<Target>) -> Response {
    if let Some(path) = &target.path {
        revalidate_path(path).await;
    }
    if let Some(tag) = &target.tag {
        revalidate_tag(tag, Profile::Expire).await;
    }
    Response::json(&serde_json::json!({ "path": target.path, "tag": target.tag }))
}
