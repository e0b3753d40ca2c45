use arbor::prelude::*;

/// Every kind of response body and status line.
pub async fn GET(Query(q): Query<std::collections::HashMap<String, String>>) -> Response {
    match q.get("kind").map(String::as_str) {
        Some("teapot") => Response::text("teapot")
            .with_status(StatusCode::IM_A_TEAPOT)
            .with_status_text("I am a teapot"),
        Some("bytes") => Response::bytes(vec![0u8, 1, 2, 255]),
        Some("stream") => {
            let chunks = ["one\n", "two\n", "three\n"].map(|c| Ok::<_, std::io::Error>(c.as_bytes()));
            Response::stream(futures_util::stream::iter(chunks))
        }
        Some("empty") => Response::empty().with_status(StatusCode::NO_CONTENT),
        Some("cookies") => Response::text("two")
            .append_header("set-cookie", "a=1; Path=/")
            .append_header("set-cookie", "b=2; Path=/"),
        Some("redirect") => Response::redirect("/comments"),
        Some("redirect-303") => Response::redirect_with("/comments?x=1", RedirectStatus::SeeOther),
        Some("redirect-absolute") => {
            Response::redirect_with("http://localhost:3000/comments", RedirectStatus::MovedPermanently)
        }
        _ => Response::json(&serde_json::json!({ "kinds": "teapot bytes stream empty cookies redirect" })),
    }
}
