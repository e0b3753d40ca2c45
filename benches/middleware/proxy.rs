use arbor::middleware::{Config, Matcher};
use arbor::prelude::*;

/// The seeds' benchmark middleware: `/about/:path*` gets `x-mw: 1` and continues.
pub const CONFIG: Config = Config {
    matcher: &[Matcher::new("/about/:path*")],
};

pub async fn proxy(_req: Request) -> Response {
    Response::next().with_header("x-mw", "1")
}
