use arbor::prelude::*;

/// Never reached: `public/hello.txt` is served at this URL first, as in Next.js.
pub async fn GET() -> Response {
    Response::text("from the route")
}
