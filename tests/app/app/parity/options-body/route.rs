//! `OPTIONS /parity/options-body`: an exported OPTIONS handler that reads a JSON body.

use arbor::prelude::*;

#[derive(serde::Deserialize)]
pub struct Body {
    foo: String,
}

pub async fn OPTIONS(Json(body): Json<Body>) -> Response {
    Response::text(format!("options {}", body.foo))
}
