//! The site over HTTP: every page, file and image it serves.

use arbor_test_support::TestServer;

async fn start() -> TestServer {
    TestServer::serve(site::router()).await
}

#[tokio::test]
async fn the_home_page_lists_the_posts_inside_the_layout() {
    let server = start().await;
    let home = server.get("/").await;
    assert_eq!(home.status, 200);
    assert_eq!(home.header("content-type"), "text/html; charset=utf-8");
    assert_eq!(home.header("x-nextjs-cache"), "HIT");
    let html = home.text();
    assert!(html.starts_with("<!DOCTYPE html><html lang=\"en\"><head>"));
    assert!(html.contains("<link rel=\"stylesheet\" href=\"/css/site.css\">"));
    assert!(html.contains("<a href=\"/blog/layouts\">Layouts &amp; pages</a>"));
    // A title with markup in it is printed as text.
    assert!(html.contains("Hello, &lt;world&gt;"));
}

#[tokio::test]
async fn a_post_and_its_open_graph_image() {
    let server = start().await;
    let post = server.get("/blog/hello").await;
    assert_eq!(post.status, 200);
    assert_eq!(post.header("x-nextjs-cache"), "HIT");
    assert!(post.text().contains("<h1>Hello, &lt;world&gt;</h1>"));
    assert!(post.text().contains("src=\"/blog/hello/opengraph-image\""));
    // Linked from the head at the address the site is published at.
    assert!(post.text().contains(
        "<meta property=\"og:image\" content=\"https://example.com/blog/hello/opengraph-image?"
    ));
    assert!(post
        .text()
        .contains("<meta property=\"og:image:alt\" content=\"The post's title on a dark card\"/>"));
    let image = server.get("/blog/hello/opengraph-image").await;
    assert_eq!(image.status, 200);
    assert_eq!(image.header("content-type"), "image/png");
    assert_eq!(&image.body[..8], b"\x89PNG\r\n\x1a\n");
    let width = u32::from_be_bytes([
        image.body[16],
        image.body[17],
        image.body[18],
        image.body[19],
    ]);
    assert_eq!(width, 1200);
    assert_eq!(server.get("/blog/nope/opengraph-image").await.status, 404);
}

#[tokio::test]
async fn an_unknown_url_gets_the_not_found_page_in_the_layout() {
    let server = start().await;
    for path in ["/blog/nope", "/no/such/page", "/no%20such%20page"] {
        let reply = server.get(path).await;
        assert_eq!(reply.status, 404, "{path}");
        assert_eq!(reply.header("content-type"), "text/html; charset=utf-8");
        let html = reply.text();
        assert!(html.contains("<title>Arbor site</title>"), "{path}: {html}");
        assert!(html.contains("<h1>Not found</h1>"), "{path}");
    }
}

#[tokio::test]
async fn robots_and_a_sitemap_from_the_posts() {
    let server = start().await;
    let robots = server.get("/robots.txt").await;
    assert_eq!(
        robots.text(),
        "User-Agent: *\nAllow: /\n\nSitemap: https://example.com/sitemap.xml\n"
    );
    let sitemap = server.get("/sitemap.xml").await.text();
    assert!(sitemap
        .contains("<loc>https://example.com/blog/layouts</loc>\n<lastmod>2026-11-20</lastmod>"));
    assert!(sitemap.contains("<loc>https://example.com/blog/hello</loc>"));
}

#[tokio::test]
async fn the_favicon_and_public_assets() {
    let server = start().await;
    let favicon = server.get("/favicon.ico").await;
    assert_eq!(favicon.status, 200);
    assert_eq!(favicon.header("content-type"), "image/x-icon");
    let css = server.get("/css/site.css").await;
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), "text/css; charset=UTF-8");
    assert!(css.text().contains("font-family"));
    let etag = css.header("etag").to_owned();
    let again = server
        .send(
            "GET",
            "/css/site.css",
            &[("if-none-match", etag.as_str())],
            "",
        )
        .await;
    assert_eq!(again.status, 304);
}
