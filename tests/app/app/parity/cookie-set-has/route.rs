//! `/parity/cookie-set-has`: cookies set and deleted in the handler are what it then reads,
//! as Next.js's `cookies()` in a route handler.

use arbor::prelude::*;

pub async fn GET(cookies: Cookies) -> Response {
    let before = cookies.has("a");
    cookies.set("a", "a");
    let after = cookies.has("a");
    let value = cookies.get("a").map(|c| c.value);
    cookies.delete("old");
    Response::json(&serde_json::json!({
        "before": before,
        "hasCookie": after,
        "value": value,
        "oldAfterDelete": cookies.has("old"),
    }))
}
