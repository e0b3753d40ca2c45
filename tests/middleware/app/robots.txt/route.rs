//! `/robots.txt` as a route handler (a folder named `robots.txt`): served as written.

use arbor::prelude::*;

pub async fn GET() -> Response {
    Response::text("User-agent: *\nDisallow: /admin\n").with_header("content-type", "text/plain")
}
