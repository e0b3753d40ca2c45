use arbor::middleware::{Config, Matcher, Next};
use arbor::prelude::*;

/// The seeds' benchmark middleware: `/about/:path*` gets `x-mw: 1` and continues.
pub const CONFIG: Config = Config {
    matcher: &[Matcher::new("/about/:path*")],
};

pub async fn proxy(_req: Request) -> Next {
    Next::new().with_header("x-mw", "1")
}
