//! Metadata files: `robots.rs`, `sitemap.rs` and `manifest.rs` at the root of `app/`.

use arbor_test_app::start;
use serde_json::json;

#[tokio::test]
async fn robots_txt() {
    let server = start().await;
    let reply = server.get("/robots.txt").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), "text/plain");
    assert_eq!(
        reply.header("cache-control"),
        "public, max-age=0, must-revalidate"
    );
    assert_eq!(reply.header("x-nextjs-cache"), "HIT");
    assert_eq!(
        reply.text(),
        "User-Agent: *\nAllow: /\nDisallow: /private/\n\nSitemap: https://example.com/sitemap.xml\n"
    );
}

#[tokio::test]
async fn sitemap_xml_escapes_what_it_writes() {
    let server = start().await;
    let reply = server.get("/sitemap.xml").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), "application/xml");
    let xml = reply.text();
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset"));
    assert!(
        xml.contains("<loc>https://example.com/comments</loc>\n<changefreq>weekly</changefreq>")
    );
    assert!(xml.contains("<loc>https://example.com/docs?page=1&amp;lang=en</loc>"));
}

#[tokio::test]
async fn manifest_webmanifest() {
    let server = start().await;
    let reply = server.get("/manifest.webmanifest").await;
    assert_eq!(reply.header("content-type"), "application/manifest+json");
    assert_eq!(
        reply.json(),
        json!({
            "name": "Arbor test app",
            "short_name": "Arbor",
            "start_url": "/",
            "display": "standalone",
            "icons": [{ "src": "/icon.png", "sizes": "192x192", "type": "image/png" }]
        })
    );
}

#[tokio::test]
async fn only_get_and_head() {
    let server = start().await;
    let head = server.send("HEAD", "/robots.txt", &[], "").await;
    assert_eq!(head.status, 200);
    assert_eq!(head.text(), "");
    let post = server.send("POST", "/robots.txt", &[], "x").await;
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow"), "GET, HEAD");
    assert_eq!(post.text(), "Method Not Allowed");
}

#[tokio::test]
async fn static_metadata_files_are_served_as_they_are() {
    let server = start().await;
    let icon = server.get("/icon.png").await;
    assert_eq!(icon.status, 200);
    assert_eq!(icon.header("content-type"), "image/png");
    assert_eq!(
        icon.header("cache-control"),
        "public, max-age=0, must-revalidate"
    );
    assert_eq!(icon.header("x-nextjs-cache"), "HIT");
    assert_eq!(
        icon.body.as_ref(),
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/app/icon.png")).unwrap()
    );
    let favicon = server.get("/favicon.ico").await;
    assert_eq!(favicon.header("content-type"), "image/x-icon");
    let og = server.get("/blog/opengraph-image.png").await;
    assert_eq!(og.status, 200);
    assert_eq!(og.header("content-type"), "image/png");
    assert!(og.body.starts_with(b"\x89PNG"));
    // Its alternative text is read by pages, not served.
    assert_eq!(
        server.get("/blog/opengraph-image.alt.txt").await.status,
        404
    );
    let post = server.send("POST", "/icon.png", &[], "x").await;
    assert_eq!(post.status, 405);
}

/// The width and height a PNG's IHDR chunk declares.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let word =
        |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    (word(16), word(20))
}

#[tokio::test]
async fn a_sitemap_below_the_root() {
    let server = start().await;
    let reply = server.get("/blog/sitemap.xml").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), "application/xml");
    assert_eq!(reply.header("x-nextjs-cache"), "HIT");
    assert!(reply
        .text()
        .contains("<loc>https://example.com/blog/hello</loc>"));
}

#[tokio::test]
async fn generate_sitemaps_serves_one_sitemap_per_id() {
    let server = start().await;
    for id in ["0", "1"] {
        let reply = server.get(&format!("/catalog/sitemap/{id}.xml")).await;
        assert_eq!(reply.status, 200, "{id}");
        assert_eq!(reply.header("x-nextjs-cache"), "HIT");
        assert!(reply
            .text()
            .contains(&format!("<loc>https://example.com/catalog/{id}/item</loc>")));
    }
    // No sitemap.xml of its own, an unknown id and an id without `.xml`: 404.
    for path in [
        "/catalog/sitemap.xml",
        "/catalog/sitemap/9.xml",
        "/catalog/sitemap/0",
    ] {
        let reply = server.get(path).await;
        assert_eq!(reply.status, 404, "{path}");
    }
    let unknown = server.get("/catalog/sitemap/9.xml").await;
    assert_eq!(unknown.header("content-type"), "text/plain; charset=utf-8");
    assert_eq!(unknown.text(), "Not Found");
    // Kept in the cache like the file's own answers, as Next.js keeps it.
    assert_eq!(unknown.header("cache-control"), "s-maxage=31536000");
    assert_eq!(unknown.header("x-nextjs-cache"), "HIT");
}

#[tokio::test]
async fn a_static_generated_icon_is_rendered_once_at_its_size() {
    let server = start().await;
    let reply = server.get("/apple-icon").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), "image/png");
    assert_eq!(reply.header("x-nextjs-cache"), "HIT");
    assert_eq!(
        reply.header("cache-control"),
        "public, max-age=0, must-revalidate"
    );
    assert_eq!(png_size(&reply.body), (180, 180));
}

#[tokio::test]
async fn an_open_graph_image_under_a_dynamic_segment() {
    let server = start().await;
    let reply = server.get("/pages/hello/opengraph-image").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), "image/png");
    assert_eq!(
        reply.header("cache-control"),
        "public, max-age=0, must-revalidate"
    );
    assert_eq!(reply.header("x-nextjs-cache"), "");
    assert_eq!(png_size(&reply.body), (1200, 630));
    let head = server
        .send("HEAD", "/pages/hello/opengraph-image", &[], "")
        .await;
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    // Next.js answers 405 without `Allow`, which RFC 9110 requires: Arbor sends it.
    let post = server
        .send("POST", "/pages/hello/opengraph-image", &[], "")
        .await;
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow"), "GET, HEAD, OPTIONS");
}

#[tokio::test]
async fn generate_image_metadata_serves_one_icon_per_id() {
    let server = start().await;
    let small = server.get("/gallery/icon/small").await;
    assert_eq!(small.status, 200);
    assert_eq!(png_size(&small.body), (48, 48));
    let large = server.get("/gallery/icon/large").await;
    assert_eq!(png_size(&large.body), (96, 96));
    assert_eq!(server.get("/gallery/icon/huge").await.status, 404);
    assert_eq!(server.get("/gallery/icon").await.status, 404);
}

#[tokio::test]
async fn a_form_post_to_a_prerendered_file_gets_the_file() {
    // Next.js takes a form POST for a server action and, having none, serves the file.
    let server = start().await;
    let form = server
        .send(
            "POST",
            "/icon.png",
            &[("content-type", "application/x-www-form-urlencoded")],
            "a=1",
        )
        .await;
    assert_eq!(form.status, 200);
    assert_eq!(form.header("content-type"), "image/png");
    assert_eq!(form.header("x-nextjs-cache"), "HIT");
    let text = server
        .send(
            "POST",
            "/robots.txt",
            &[("content-type", "text/plain")],
            "x",
        )
        .await;
    assert_eq!(text.status, 405);
    assert_eq!(text.header("allow"), "GET, HEAD");
    // A route handler is not a prerendered file: its POST is its own.
    let route = server
        .send(
            "POST",
            "/only-get",
            &[("content-type", "application/x-www-form-urlencoded")],
            "a=1",
        )
        .await;
    assert_eq!(route.status, 405);
}
