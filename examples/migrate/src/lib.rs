//! A small Next.js API moved to Arbor: `app/api/posts/**/route.ts` became `route.rs` files,
//! and the routing half of its `next.config.ts` became `arbor.config.rs`:
//!
//! ```text
//! // next.config.ts                                // arbor.config.rs
//! redirects: [{ source: '/blog/:id',               Redirect::permanent("/blog/:id",
//!   destination: '/api/posts/:id',                   "/api/posts/:id"),
//!   permanent: true }]
//! rewrites: [{ source: '/v1/:path*',               Rewrites { after_files: &[Rewrite::new(
//!   destination: '/api/:path*' }]                    "/v1/:path*", "/api/:path*")], .. }
//! headers: [{ source: '/api/:path*', headers:      Headers::new("/api/:path*",
//!   [{ key: 'x-content-type-options',                &[("x-content-type-options", "nosniff")])
//!      value: 'nosniff' }] }]
//! ```

//!
//! Beside it: `/api/events` streams the posts as Server-Sent Events, and tower-http's
//! `CorsLayer` answers the browsers' preflights for `/api` only ([`app()`]).

pub mod posts;

arbor::app!(pub);

/// The app as served: the routes of `app/`, with CORS for any origin on `/api`.
pub fn app() -> arbor::App {
    let cors = tower_http::cors::CorsLayer::new()
        .allow_origin(tower_http::cors::Any)
        .allow_methods([arbor::http::Method::GET]);
    app::router().layer_at("/api", cors)
}
