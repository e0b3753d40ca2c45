use arbor::prelude::*;

use super::Params;

// `generateStaticParams` and `dynamicParams` in Next.js (see `nextapp/`): written here once
// Arbor caches.
pub async fn GET(_req: Request, ctx: RouteContext<Params>) -> Response {
    Response::json(&serde_json::json!({ "id": ctx.params.id, "time": crate::echo::now_ms() }))
}
