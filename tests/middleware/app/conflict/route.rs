use arbor::prelude::*;

/// Sets what the middleware sets too.
pub async fn GET(req: Request) -> Response {
    Response::text(format!("seen: {}", req.header("x-conflict").unwrap_or("-")))
        .with_header("x-conflict", "from-handler")
        .with_header("vary", "x-handler")
        .append_header("set-cookie", "handler=1; Path=/")
}
