//! `/instr/after-throws`: its `after()` work panics once the answer is out.

use arbor::prelude::*;

pub async fn GET() -> Response {
    arbor::after(async {
        panic!("instr: after() callback threw");
    });
    Response::json(&serde_json::json!({ "ok": true }))
}
