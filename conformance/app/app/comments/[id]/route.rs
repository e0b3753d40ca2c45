use arbor::prelude::*;

use super::Params;
use crate::store::Store;

fn not_found() -> Response {
    Response::json(&serde_json::json!({ "error": "Comment not found" }))
        .with_status(StatusCode::NOT_FOUND)
}

pub async fn GET(State(store): State<Store>, ctx: RouteContext<Params>) -> Response {
    let comments = store.lock();
    match comments.find(&ctx.params.id) {
        Some(i) => Response::json(&comments.all[i]),
        None => not_found(),
    }
}

pub async fn PATCH(
    State(store): State<Store>,
    mut req: Request,
    ctx: RouteContext<Params>,
) -> Response {
    if store.lock().find(&ctx.params.id).is_none() {
        return not_found();
    }
    let body = req.json::<serde_json::Value>().await.ok();
    let Some(text) = body.as_ref().and_then(|b| b.get("text")).and_then(|t| t.as_str()) else {
        return Response::json(&serde_json::json!({ "error": "text is required" }))
            .with_status(StatusCode::BAD_REQUEST);
    };
    let mut comments = store.lock();
    match comments.find(&ctx.params.id) {
        Some(i) => {
            comments.all[i].text = text.to_owned();
            Response::json(&comments.all[i])
        }
        None => not_found(),
    }
}

pub async fn DELETE(State(store): State<Store>, ctx: RouteContext<Params>) -> Response {
    let mut comments = store.lock();
    match comments.find(&ctx.params.id) {
        Some(i) => Response::json(&comments.all.remove(i)),
        None => not_found(),
    }
}
