use arbor::prelude::*;
use arbor::FormValue;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Signup {
    name: String,
    age: u8,
}

/// A form into a type, urlencoded or multipart.
pub async fn POST(mut req: Request) -> Result<Response> {
    let signup: Signup = req.form().await?;
    Ok(Response::json(&serde_json::json!({ "name": signup.name, "age": signup.age })))
}

/// A multipart form with files.
pub async fn PUT(mut req: Request) -> Result<Response> {
    let form = req.form_data().await?;
    let entries: Vec<serde_json::Value> = form
        .entries()
        .iter()
        .map(|(name, value)| match value {
            FormValue::Text(text) => serde_json::json!({ "name": name, "text": text }),
            FormValue::File(file) => serde_json::json!({
                "name": name,
                "filename": file.filename,
                "contentType": file.content_type,
                "size": file.bytes.len(),
            }),
        })
        .collect();
    Ok(Response::json(&entries))
}

/// The `Form` extractor.
pub async fn PATCH(Form(signup): Form<Signup>) -> Response {
    Response::text(format!("{} is {}", signup.name, signup.age))
}
