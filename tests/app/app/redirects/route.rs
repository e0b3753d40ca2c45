use arbor::prelude::*;

pub async fn GET(req: Request) -> Result<Response> {
    match req.query() {
        Some("kind=permanent") => Err(permanent_redirect("/only-get")),
        _ => Err(redirect("/only-get?from=redirect")),
    }
}

pub async fn POST() -> Result<Response> {
    Err(redirect("https://example.com/elsewhere"))
}
