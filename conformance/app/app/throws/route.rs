use arbor::prelude::*;

pub async fn GET() -> Result<Response> {
    Err(Error::internal_message("boom from GET"))
}

pub async fn POST(mut req: Request) -> Result<Response> {
    req.text().await?;
    Err(Error::internal_message("boom from POST"))
}
