use arbor::prelude::*;

/// `GET /dashboard`: only reached through the gate.
pub async fn GET(req: Request) -> Response {
    Response::text(format!("Welcome, {}", req.header("x-user").unwrap_or("?")))
}
