use arbor::prelude::*;

use crate::echo::query_param;

pub async fn GET(req: Request) -> Response {
    match query_param(&req, "kind").as_deref() {
        Some("next-json") => Response::json(&serde_json::json!({ "a": 1 }))
            .with_status(StatusCode::IM_A_TEAPOT)
            .with_header("x-extra", "1"),
        Some("response-json") => Response::json(&serde_json::json!({ "b": [1, 2] })),
        Some("text") => Response::text("plain text body"),
        Some("empty-204") => Response::empty().with_status(StatusCode::NO_CONTENT),
        Some("custom-type") => Response::new("<x/>").with_header("content-type", "application/xml"),
        _ => Response::json(&serde_json::json!({
            "kinds": ["next-json", "response-json", "text", "empty-204", "custom-type", "status-text"]
        })),
    }
}
