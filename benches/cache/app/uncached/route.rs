use arbor::prelude::*;

pub async fn GET() -> Response {
    Response::json(&crate::comments())
}
