//! `instrumentation.ts` of the reference app: `register()` and `on_request_error()` write
//! into the store that `/instr/log` returns.

use arbor::instrumentation::{ErrorContext, ErrorRequest, RequestError, RouteType};
use serde_json::json;

pub async fn register() {
    crate::store::registered();
}

pub async fn on_request_error(error: RequestError, request: ErrorRequest, context: ErrorContext) {
    // Arbor also reports the proxy's failures, which Next.js does not: the reference app's
    // log never holds them, so neither does this one.
    if context.route_type == RouteType::Proxy {
        return;
    }
    crate::store::request_error(json!({
        "message": error.message,
        "digestType": if error.digest.is_some() { "string" } else { "undefined" },
        "path": request.path,
        "method": request.method.as_str(),
        "xTest": request.headers.get("x-test").and_then(|v| v.to_str().ok()),
        "routerKind": context.router_kind,
        "routePath": context.route_path,
        "routeType": context.route_type.as_str(),
        "renderSource": context.render_source,
        "revalidateReason": null,
    }));
}
