use arbor::prelude::*;

pub async fn GET() -> Response {
    panic!("this handler always panics")
}
