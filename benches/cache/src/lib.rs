//! The cache benchmark's app and its payload.

arbor::app!(pub);

/// The seeds' three comments, as the routes and the hyper server answer them.
pub fn comments() -> serde_json::Value {
    serde_json::json!([
        { "id": 1, "text": "This is the first comment" },
        { "id": 2, "text": "This is the second comment" },
        { "id": 3, "text": "This is the third comment" },
    ])
}
