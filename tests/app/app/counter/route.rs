use arbor::prelude::*;

use crate::AppState;

/// Shared state through axum's `State` extractor.
pub async fn POST(State(state): State<AppState>) -> Response {
    let n = state.hits.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
    Response::json(&serde_json::json!({ "hits": n, "name": state.name }))
}
