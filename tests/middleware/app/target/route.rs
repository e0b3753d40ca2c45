use arbor::prelude::*;

/// Shows what the route received.
async fn describe(mut req: Request, cookies: Cookies) -> Result<Response> {
    let body = req.text().await?;
    Ok(Response::json(&serde_json::json!({
        "method": req.method().as_str(),
        "pathname": req.next_url().pathname(),
        "search": req.next_url().search(),
        "body": body,
        "rewritten": req.header("x-rewritten"),
        "cookie": cookies.get("rewrite-cookie").map(|c| c.value),
    })))
}

pub async fn GET(req: Request, cookies: Cookies) -> Result<Response> {
    describe(req, cookies).await
}

pub async fn POST(req: Request, cookies: Cookies) -> Result<Response> {
    describe(req, cookies).await
}
