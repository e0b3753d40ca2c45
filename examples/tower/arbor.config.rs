//! The app config: the API documents itself (`arbor openapi` writes `openapi.json`).

use arbor::config::OpenApi;

pub const OPENAPI: OpenApi = OpenApi::new("Tower example", "0.1.0");
