use arbor::prelude::*;

pub async fn GET(req: Request) -> Result<Response> {
    // `new URL('/comments', request.url)`
    let mut target = req.next_url().clone();
    target.set_pathname("/comments");
    target.set_search("");
    let target = target.href();
    match req.next_url().search_params().get("kind") {
        Some("next-default") => Ok(Response::redirect(&target)),
        Some("next-301") => Ok(Response::redirect_with(&target, RedirectStatus::MovedPermanently)),
        Some("next-init") => {
            Ok(Response::redirect_with(&target, RedirectStatus::SeeOther).with_header("x-extra", "yes"))
        }
        // `Response.redirect(url)` defaults to 302.
        Some("response-redirect") => Ok(Response::redirect_with(&target, RedirectStatus::Found)),
        Some("nav") => Err(redirect("/comments")),
        Some("nav-permanent") => Err(permanent_redirect("/comments?x=1")),
        Some("nav-external") => Err(redirect("https://example.com/somewhere")),
        // A relative target is sent as given (a deviation: Next.js throws).
        Some("relative") => Ok(Response::redirect("/comments")),
        _ => Ok(
            Response::json(&serde_json::json!({ "error": "unknown kind" }))
                .with_status(StatusCode::BAD_REQUEST),
        ),
    }
}

pub async fn POST() -> Result<Response> {
    Err(redirect("/comments"))
}
