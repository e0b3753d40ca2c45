use arbor::prelude::*;

/// A route group adds nothing to the URL: served at `/grouped`.
pub async fn GET(_req: Request, ctx: RouteContext) -> Response {
    Response::json(&serde_json::json!({
        "handler": "(marketing)/grouped GET",
        // The fields of `RouteContext`; `params` is a value, not a promise.
        "contextKeys": ["params"],
        "paramsIsPromise": false,
        "params": ctx.params,
    }))
}
