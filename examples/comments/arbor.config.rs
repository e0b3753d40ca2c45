//! The app config: the API documents itself (`arbor openapi`), and serves the document.

use arbor::config::OpenApi;

pub const OPENAPI: OpenApi = OpenApi::new("Comments API", "1.0.0")
    .description("The comments of the Next.js route handler docs, on SQLite.")
    .serve("/openapi.json");
