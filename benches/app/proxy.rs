use arbor::middleware::{Config, Matcher, Next};

pub const CONFIG: Config = Config {
    matcher: &[Matcher::new("/about/:path*")],
};

pub async fn proxy() -> Next {
    Next::new().with_header("x-mw", "1")
}
