use arbor::prelude::*;

pub async fn GET() -> Response {
    Response::new("Hello world!").with_header("content-type", "text/plain; charset=utf-8")
}
