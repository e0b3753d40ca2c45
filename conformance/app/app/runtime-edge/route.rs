use arbor::prelude::*;


/// An edge route handler in Next.js; Arbor has one runtime, so it is an ordinary route.
pub async fn GET(req: Request) -> Response {
    Response::json(&serde_json::json!({
        "runtime": "edge",
        "method": req.method().as_str(),
        "q": req.next_url().search_params().get("q"),
    }))
}
