use arbor::cache::Dynamic;
use arbor::prelude::*;

pub const DYNAMIC: Dynamic = Dynamic::ForceStatic;

pub async fn GET() -> Response {
    Response::json(&crate::comments())
}
