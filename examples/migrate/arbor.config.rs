//! The routing half of the app's `next.config.ts`, checked and compiled at build time.

use arbor::config::{Has, Headers, OpenApi, Redirect, Rewrite, Rewrites};

/// Old blog URLs point at the API for good; the preview cookie sends `/` to the drafts.
pub const REDIRECTS: &[Redirect] = &[
    Redirect::permanent("/blog/:id(\\d+)", "/api/posts/:id"),
    Redirect::temporary("/", "/api/posts?drafts=1").has(&[Has::cookie("preview")]),
];

/// `/v1/...`, the API's old prefix, is served by today's routes.
pub const REWRITES: Rewrites = Rewrites {
    before_files: &[],
    after_files: &[Rewrite::new("/v1/:path*", "/api/:path*")],
    fallback: &[],
};

/// Every API answer says what it is. (CORS is `CorsLayer` on `/api`: see `src/lib.rs`.)
pub const HEADERS: &[Headers] = &[Headers::new(
    "/api/:path*",
    &[("x-content-type-options", "nosniff")],
)];

/// The API documents itself (`arbor openapi` writes `openapi.json`).
pub const OPENAPI: OpenApi = OpenApi::new("Migrate example", "0.1.0");
