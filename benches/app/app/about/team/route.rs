use arbor::prelude::*;

pub async fn GET() -> Response {
    Response::new("team").with_header("content-type", "text/plain; charset=utf-8")
}
