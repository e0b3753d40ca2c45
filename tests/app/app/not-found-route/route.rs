use arbor::prelude::*;

fn find(id: u32) -> Option<&'static str> {
    (id == 1).then_some("one")
}

/// `not_found()` from any depth through `?`.
pub async fn GET() -> Result<Response> {
    let found = find(2).ok_or_else(not_found)?;
    Ok(Response::text(found))
}
