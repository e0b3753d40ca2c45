//! A small website: `cargo run -p site`, then open <http://localhost:3000>.
//!
//! - `/` and `/blog/{slug}`: pages inside `app/layout.rs`, the blog read from [`posts`];
//! - `/blog/{slug}/opengraph-image`: each post's Open Graph image, rendered from HTML;
//! - `/robots.txt` and `/sitemap.xml`, the sitemap built from the same posts;
//! - `/favicon.ico` and `/css/site.css` (from `public/`);
//! - any other URL: `app/not-found.rs`, inside the root layout.

pub mod posts;

arbor::app!(pub);

/// The site's app: its routes, with the address it is published at for the absolute URLs of
/// its Open Graph images.
pub fn router() -> arbor::App {
    app::router().metadata_base(posts::SITE)
}
