use arbor::cache::Revalidate;
use arbor::prelude::*;

pub const REVALIDATE: Revalidate = Revalidate::Never;

pub async fn GET() -> Response {
    Response::json(&serde_json::json!({ "time": crate::echo::now_ms() }))
}
