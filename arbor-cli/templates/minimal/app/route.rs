//! `/`: a static route, rendered once before the server takes traffic.

use arbor::cache::Dynamic;
use arbor::prelude::*;

pub const DYNAMIC: Dynamic = Dynamic::ForceStatic;

pub async fn GET() -> Response {
    Response::text("Hello from Arbor")
}
