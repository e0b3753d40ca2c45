use arbor::prelude::*;

/// `notFound()` from `next/navigation`.
pub async fn GET() -> Result<Response> {
    Err(not_found())
}
