use arbor::prelude::*;

use crate::echo::query_param;

/// `new URL(path, request.url)`: `path` on the server's own origin.
fn absolute(req: &Request, path: &str) -> String {
    let url = req.url();
    let origin_end = url.find("://").map(|i| i + 3).unwrap_or(0);
    let origin = match url[origin_end..].find('/') {
        Some(i) => &url[..origin_end + i],
        None => url.as_str(),
    };
    format!("{origin}{path}")
}

fn to(status: StatusCode, location: &str) -> Response {
    Response::empty()
        .with_status(status)
        .with_header("location", location)
}

pub async fn GET(req: Request) -> Result<Response> {
    let target = absolute(&req, "/comments");
    match query_param(&req, "kind").as_deref() {
        Some("next-default") => Ok(to(StatusCode::TEMPORARY_REDIRECT, &target)),
        Some("next-301") => Ok(to(StatusCode::MOVED_PERMANENTLY, &target)),
        Some("next-init") => Ok(to(StatusCode::SEE_OTHER, &target).with_header("x-extra", "yes")),
        Some("response-redirect") => Ok(to(StatusCode::FOUND, &target)),
        Some("nav") => Err(redirect("/comments")),
        Some("nav-permanent") => Err(permanent_redirect("/comments?x=1")),
        Some("nav-external") => Err(redirect("https://example.com/somewhere")),
        _ => Ok(
            Response::json(&serde_json::json!({ "error": "unknown kind" }))
                .with_status(StatusCode::BAD_REQUEST),
        ),
    }
}

pub async fn POST() -> Result<Response> {
    Err(redirect("/comments"))
}
