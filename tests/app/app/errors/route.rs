use arbor::prelude::*;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Kind {
    kind: String,
}

/// One error of each kind.
pub async fn GET(Query(Kind { kind }): Query<Kind>) -> Result<Response> {
    Err(match kind.as_str() {
        "400" => Error::bad_request("bad"),
        "401" => Error::unauthorized("who are you"),
        "403" => Error::forbidden("not you"),
        "404" => Error::not_found().with_message("no such thing"),
        "409" => Error::conflict("taken"),
        "413" => Error::payload_too_large("too big"),
        "415" => Error::unsupported_media_type("not that type"),
        "422" => Error::unprocessable("cannot process"),
        _ => Error::internal(std::io::Error::other("disk on fire")),
    })
}

#[derive(Deserialize)]
pub struct Typed {
    pub text: String,
    pub count: u32,
}

/// A type mismatch in a JSON body names the field.
pub async fn POST(mut req: Request) -> Result<Response> {
    let typed: Typed = req.json().await?;
    Ok(Response::text(format!("{} {}", typed.text, typed.count)))
}

/// The `Json` extractor's rejections.
pub async fn PUT(Json(typed): Json<Typed>) -> Json<serde_json::Value> {
    Json(serde_json::json!({ "text": typed.text, "count": typed.count }))
}
