use arbor::prelude::*;

/// Reads the body the middleware read too.
pub async fn POST(mut req: Request) -> Result<Response> {
    Ok(Response::text(req.text().await?))
}
