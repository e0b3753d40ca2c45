//! The proxy: runs before `/comments` and everything under it. Reading is open; writing
//! (POST, PATCH, DELETE) needs `x-api-key` equal to the `API_KEY` the server was started with,
//! when it was started with one.

use arbor::middleware::{Config, Matcher, Next, Outcome};
use arbor::prelude::*;

pub const CONFIG: Config = Config {
    matcher: &[Matcher::new("/comments/:path*")],
};

pub async fn proxy(req: Request) -> Outcome {
    let writes = !matches!(req.method().as_str(), "GET" | "HEAD" | "OPTIONS");
    let Ok(key) = std::env::var("API_KEY") else {
        return Next::new().into();
    };
    let sent = req.headers().get("x-api-key").and_then(|v| v.to_str().ok());
    if writes && sent != Some(key.as_str()) {
        return Response::json(&serde_json::json!({ "error": "a valid x-api-key is required to write" }))
            .with_status(StatusCode::UNAUTHORIZED)
            .into();
    }
    Next::new().into()
}
