use arbor::prelude::*;

/// `GET /public`: the gate does not run here.
pub async fn GET() -> Response {
    Response::text("anyone can see this")
}
