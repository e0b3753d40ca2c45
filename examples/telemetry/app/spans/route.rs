//! `GET /spans`: the spans exported so far: name, kind, status, attributes and events.

use arbor::prelude::*;

pub async fn GET() -> Response {
    let spans: Vec<serde_json::Value> = crate::telemetry::finished()
        .iter()
        .map(|span| {
            let attributes: serde_json::Map<String, serde_json::Value> = span
                .attributes
                .iter()
                .map(|kv| (kv.key.to_string(), kv.value.to_string().into()))
                .collect();
            serde_json::json!({
                "name": span.name,
                "kind": format!("{:?}", span.span_kind),
                "status": format!("{:?}", span.status),
                "attributes": attributes,
                "events": span.events.iter().map(|e| e.name.to_string()).collect::<Vec<_>>(),
            })
        })
        .collect();
    Response::json(&spans)
}
