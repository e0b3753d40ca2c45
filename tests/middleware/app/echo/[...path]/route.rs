use arbor::prelude::*;

pub async fn GET() -> Response {
    Response::text("echo")
}
