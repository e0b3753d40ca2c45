//! The app config, over HTTP: redirects, rewrites and headers as `next.config` applied them.

use arbor_test_support::TestServer;

async fn start() -> TestServer {
    TestServer::serve(migrate::app()).await
}

#[tokio::test]
async fn old_blog_urls_redirect_for_good() {
    let server = start().await;
    let moved = server.get("/blog/2?ref=feed").await;
    assert_eq!(moved.status, 308);
    assert_eq!(moved.header("location"), "/api/posts/2?ref=feed");
    assert_eq!(moved.header("refresh"), "0;url=/api/posts/2?ref=feed");
    // Sources match without regard to case, as in Next.js; `(\d+)` must match.
    assert_eq!(
        server.get("/BLOG/1").await.header("location"),
        "/api/posts/1"
    );
    assert_eq!(server.get("/blog/first").await.status, 404);
}

#[tokio::test]
async fn a_condition_picks_the_redirect() {
    let server = start().await;
    assert_eq!(server.get("/").await.status, 404);
    let preview = server
        .send("GET", "/", &[("cookie", "preview=1")], "")
        .await;
    assert_eq!(preview.status, 307);
    assert_eq!(preview.header("location"), "/api/posts?drafts=1");
}

#[tokio::test]
async fn the_old_prefix_is_served_by_todays_routes() {
    let server = start().await;
    let post = server.get("/v1/posts/1").await;
    assert_eq!(post.status, 200);
    assert_eq!(post.json()["title"], "Moving a Next.js API to Rust");
    // The headers follow the URL the client asked for, not where it was rewritten.
    assert_eq!(post.headers.get("x-content-type-options"), None);
}

#[tokio::test]
async fn api_answers_get_the_config_headers() {
    let server = start().await;
    for path in ["/api/posts", "/api/posts/2", "/api/posts/9"] {
        let answer = server.get(path).await;
        assert_eq!(answer.header("x-content-type-options"), "nosniff", "{path}");
    }
}

#[tokio::test]
async fn the_api_answers_preflights_and_streams_events() {
    let server = start().await;
    let preflight = server
        .send(
            "OPTIONS",
            "/api/posts",
            &[
                ("origin", "https://app.example"),
                ("access-control-request-method", "GET"),
            ],
            "",
        )
        .await;
    assert_eq!(preflight.status, 200);
    assert_eq!(preflight.header("access-control-allow-origin"), "*");
    let events = server.get("/api/events").await;
    assert_eq!(events.header("content-type"), "text/event-stream");
    assert!(
        events
            .text()
            .starts_with("event: post\nid: 1\ndata: {\"id\":1,"),
        "{}",
        events.text()
    );
}
