//! Pages and layouts: `page.rs` answers GET and HEAD with HTML inside the layouts above it.

use arbor_test_app::start;

#[tokio::test]
async fn a_page_inside_every_layout_above_it() {
    let server = start().await;
    let reply = server.get("/pages/hello").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), "text/html; charset=utf-8");
    let html = reply.text();
    assert!(html.starts_with(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Arbor test app</title>"
    ));
    assert!(html
        .ends_with("</head><body><main class=\"pages\"><h1>page hello</h1></main></body></html>"));
}

#[tokio::test]
async fn the_head_links_the_metadata_images_of_the_page_and_above() {
    let server = start().await;
    let html = server.get("/pages/hello").await.text();
    // The root's static favicon and icon (sizes read from the files), its generated apple
    // icon, and the Open Graph image of the page's own folder, at an absolute URL.
    for tag in [
        "<link rel=\"manifest\" href=\"/manifest.webmanifest\" crossorigin=\"use-credentials\"/>",
        "<link rel=\"icon\" href=\"/favicon.ico?favicon.",
        "\" sizes=\"16x16\" type=\"image/x-icon\"/>",
        "<link rel=\"icon\" href=\"/icon.png?icon.",
        "\" sizes=\"32x32\" type=\"image/png\"/>",
        "<link rel=\"apple-touch-icon\" href=\"/apple-icon?",
        "\" sizes=\"180x180\" type=\"image/png\"/>",
        "/pages/hello/opengraph-image?",
        "<meta property=\"og:image:width\" content=\"1200\"/>",
    ] {
        assert!(html.contains(tag), "{tag} in {html}");
    }
    // The blog's static Open Graph image is not above /pages: not linked.
    assert!(!html.contains("/blog/opengraph-image.png"));
    let search = server.get("/pages/search?q=x").await.text();
    assert!(
        !search.contains("og:image"),
        "no Open Graph image above /pages/search"
    );
    // Under /blog, it is, with its size and its alt text (`opengraph-image.alt.txt`).
    let blog = server.get("/blog").await.text();
    for tag in [
        "<meta property=\"og:image\" content=\"http://localhost:3000/blog/opengraph-image.png?opengraph-image.",
        "<meta property=\"og:image:alt\" content=\"The blog, in orange\"/>",
        "<meta property=\"og:image:type\" content=\"image/png\"/>",
    ] {
        assert!(blog.contains(tag), "{tag} in {blog}");
    }
}

#[tokio::test]
async fn what_a_page_prints_is_escaped() {
    let server = start().await;
    let reply = server
        .get("/pages/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
        .await;
    assert_eq!(reply.status, 200);
    assert!(reply
        .text()
        .contains("<h1>page &lt;script&gt;alert(1)&lt;/script&gt;</h1>"));
    assert!(!reply.text().contains("<script>"));
    let search = server
        .get("/pages/search?q=%22%3E%3Cimg%20src%3Dx%3E")
        .await;
    assert!(search
        .text()
        .contains("<p>you searched &quot;&gt;&lt;img src=x&gt;</p>"));
}

#[tokio::test]
async fn a_page_is_static_by_default() {
    let server = start().await;
    let first = server.get("/pages").await;
    let second = server.get("/pages").await;
    // With a parameter and no generate_static_params, a page is rendered for each request.
    let param = server.get("/pages/hello").await;
    assert_eq!(param.header("x-nextjs-cache"), "");
    assert_eq!(
        param.header("cache-control"),
        "private, no-cache, no-store, max-age=0, must-revalidate"
    );
    assert_eq!(first.header("x-nextjs-cache"), "HIT");
    assert_eq!(first.header("cache-control"), "s-maxage=31536000");
    // Rendered once for this server: the render counter does not move between requests.
    assert!(first.text().contains("<p id=\"renders\">"));
    assert_eq!(first.text(), second.text());
}

#[tokio::test]
async fn a_page_that_reads_the_request_or_says_so_is_dynamic() {
    let server = start().await;
    let search = server.get("/pages/search?q=one").await;
    assert_eq!(search.header("x-nextjs-cache"), "");
    assert!(search.text().contains("you searched one"));
    assert!(server
        .get("/pages/search?q=two")
        .await
        .text()
        .contains("you searched two"));
    let first = server.get("/pages/fresh").await.text();
    let second = server.get("/pages/fresh").await.text();
    assert_ne!(first, second);
}

#[tokio::test]
async fn a_page_answers_get_and_head_only() {
    let server = start().await;
    let head = server.send("HEAD", "/pages", &[], "").await;
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-type"), "text/html; charset=utf-8");
    assert_eq!(head.text(), "");
    let post = server
        .send("POST", "/pages", &[("content-type", "text/plain")], "x")
        .await;
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow"), "GET, HEAD");
    assert_eq!(post.text(), "Method Not Allowed");
}

#[tokio::test]
async fn a_page_that_errors_is_answered_like_a_route() {
    let server = start().await;
    let reply = server.get("/pages/missing").await;
    assert_eq!(reply.status, 404);
}
