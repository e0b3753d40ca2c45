//! `/parity/static-cookies`: a static route that sets two cookies, kept in its cached entry.

use arbor::cache::Dynamic;
use arbor::prelude::*;

pub const DYNAMIC: Dynamic = Dynamic::ForceStatic;

pub async fn GET(cookies: Cookies) -> Response {
    cookies.set("theme", "dark");
    cookies.set("lang", "en");
    Response::text("static with cookies")
}
