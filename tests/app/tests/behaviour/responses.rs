//! Path normalisation, errors, panics, control-flow helpers and the not-found answers
//! (`nextjs-semantics.md` §2.1, §4.3, §7).

use arbor_test_app::start;
use serde_json::json;

#[tokio::test]
async fn trailing_slash_redirects_with_the_query_for_every_method() {
    let server = start().await;
    for method in ["GET", "POST", "DELETE", "HEAD"] {
        let reply = server.send(method, "/echo/1/?query=first", &[], "").await;
        assert_eq!(reply.status, 308, "{method}");
        assert_eq!(reply.header("location"), "/echo/1?query=first");
        assert_eq!(reply.header("refresh"), "0;url=/echo/1?query=first");
        if method != "HEAD" {
            assert_eq!(reply.text(), "/echo/1?query=first");
        }
        assert!(!reply.headers.contains_key("content-type"));
    }
}

#[tokio::test]
async fn repeated_slashes_redirect() {
    let server = start().await;
    let reply = server.get("//only-get").await;
    assert_eq!(reply.status, 308);
    assert_eq!(reply.header("location"), "/only-get");
    let reply = server.get("/echo//1").await;
    assert_eq!(reply.header("location"), "/echo/1");
}

#[tokio::test]
async fn malformed_escape_is_400() {
    let server = start().await;
    let reply = server.get("/echo/%E0%A4%A").await;
    assert_eq!(reply.status, 400);
    let reply = server.get("/echo/%FF").await;
    assert_eq!(reply.status, 400);
}

#[tokio::test]
async fn handler_error_is_an_empty_500() {
    let server = start().await;
    let reply = server.get("/throws").await;
    assert_eq!(reply.status, 500);
    assert!(reply.body.is_empty());
    assert!(!reply.headers.contains_key("content-type"));
}

#[tokio::test]
async fn client_error_carries_a_json_message() {
    let server = start().await;
    let reply = server.send("POST", "/throws", &[], "").await;
    assert_eq!(reply.status, 409);
    assert_eq!(reply.header("content-type"), "application/json");
    assert_eq!(reply.json(), json!({ "error": "already there" }));
}

#[tokio::test]
async fn panic_is_500_and_the_server_lives_on() {
    let server = start().await;
    for _ in 0..3 {
        let reply = server.get("/panics").await;
        assert_eq!(reply.status, 500);
        assert!(reply.body.is_empty());
    }
    assert_eq!(server.get("/only-get").await.status, 200);
}

#[tokio::test]
async fn not_found_helper_is_an_empty_404() {
    let server = start().await;
    let reply = server.get("/not-found-route").await;
    assert_eq!(reply.status, 404);
    assert!(reply.body.is_empty());
}

#[tokio::test]
async fn redirect_helpers_keep_the_location_as_given() {
    let server = start().await;
    let reply = server.get("/redirects").await;
    assert_eq!(reply.status, 307);
    assert_eq!(reply.header("location"), "/only-get?from=redirect");
    assert!(reply.body.is_empty());
    let reply = server.get("/redirects?kind=permanent").await;
    assert_eq!(reply.status, 308);
    assert_eq!(reply.header("location"), "/only-get");
    let reply = server.send("POST", "/redirects", &[], "").await;
    assert_eq!(reply.status, 307);
    assert_eq!(reply.header("location"), "https://example.com/elsewhere");
}

#[tokio::test]
async fn unmatched_document_request_gets_the_html_page() {
    let server = start().await;
    let reply = server.get("/no/such/path").await;
    assert_eq!(reply.status, 404);
    assert_eq!(reply.header("content-type"), "text/html; charset=utf-8");
    assert_eq!(
        reply.header("cache-control"),
        "private, no-cache, no-store, max-age=0, must-revalidate"
    );
    assert_eq!(reply.header("x-nextjs-cache"), "HIT");
    assert!(reply.text().contains("404"));
    assert!(reply.text().contains("This page could not be found"));
    // Any method.
    assert_eq!(
        server.send("POST", "/no/such/path", &[], "").await.status,
        404
    );
}

#[tokio::test]
async fn unmatched_subresource_request_gets_plain_text() {
    let server = start().await;
    let reply = server
        .send("GET", "/logo.png", &[("sec-fetch-dest", "image")], "")
        .await;
    assert_eq!(reply.status, 404);
    assert_eq!(reply.header("content-type"), "text/plain; charset=utf-8");
    assert_eq!(reply.text(), "Not Found");
    assert!(!reply.headers.contains_key("x-nextjs-cache"));
    let reply = server.get("/_next/static/not-there.js").await;
    assert_eq!(reply.header("content-type"), "text/plain; charset=utf-8");
    assert_eq!(reply.text(), "Not Found");
}

#[tokio::test]
async fn head_on_unmatched_path_has_no_body() {
    let server = start().await;
    let reply = server.send("HEAD", "/no/such/path", &[], "").await;
    assert_eq!(reply.status, 404);
    assert!(reply.body.is_empty());
}
