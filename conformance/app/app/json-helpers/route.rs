use arbor::prelude::*;


pub async fn GET(req: Request) -> Response {
    match req.next_url().search_params().get("kind") {
        Some("next-json") => Response::json(&serde_json::json!({ "a": 1 }))
            .with_status(StatusCode::IM_A_TEAPOT)
            .with_header("x-extra", "1"),
        Some("response-json") => Response::json(&serde_json::json!({ "b": [1, 2] })),
        Some("text") => Response::text("plain text body"),
        Some("empty-204") => Response::empty().with_status(StatusCode::NO_CONTENT),
        Some("status-text") => Response::text("teapot")
            .with_status(StatusCode::IM_A_TEAPOT)
            .with_status_text("I am a teapot"),
        Some("custom-type") => Response::new("<x/>").with_header("content-type", "application/xml"),
        _ => Response::json(&serde_json::json!({
            "kinds": ["next-json", "response-json", "text", "empty-204", "custom-type", "status-text"]
        })),
    }
}
