use arbor::middleware::{Config, Matcher};
use arbor::prelude::*;

pub const CONFIG: Config = Config {
    matcher: &[Matcher::new("/about/:path*")],
};

pub async fn proxy() -> Response {
    Response::next().with_header("x-mw", "1")
}
