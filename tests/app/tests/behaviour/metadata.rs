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
