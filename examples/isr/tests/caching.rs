//! The example's caching, over HTTP.

use std::sync::atomic::Ordering;

use arbor_test_support::TestServer;

async fn start() -> TestServer {
    TestServer::serve(isr::app::router()).await
}

#[tokio::test]
async fn static_pages_are_hits_until_revalidated() {
    let server = start().await;
    let first = server.get("/time").await;
    assert_eq!(first.header("x-nextjs-cache"), "HIT");
    assert_eq!(first.header("cache-control"), "s-maxage=31536000");
    assert_eq!(server.get("/time").await.json(), first.json());
    server.send("POST", "/revalidate?path=/time", &[], "").await;
    let after = server.get("/time").await;
    assert_eq!(after.header("x-nextjs-cache"), "MISS");
    assert_ne!(after.json(), first.json());
    let news = server.get("/news").await;
    assert_eq!(
        news.header("cache-control"),
        "s-maxage=10, stale-while-revalidate=31535990"
    );
}

#[tokio::test]
async fn products_are_prerendered_and_their_data_tagged() {
    let server = start().await;
    let one = server.get("/products/1").await;
    assert_eq!(one.header("x-nextjs-cache"), "HIT");
    assert_eq!(server.get("/products/9").await.status, 404);
    let lookups = isr::catalog::LOOKUPS.load(Ordering::SeqCst);
    server
        .send("POST", "/revalidate?tag=products", &[], "")
        .await;
    server
        .send("POST", "/revalidate?path=/products/1", &[], "")
        .await;
    let fresh = server.get("/products/1").await;
    assert_eq!(fresh.header("x-nextjs-cache"), "MISS");
    assert_ne!(fresh.json()["price"], one.json()["price"]);
    assert!(isr::catalog::LOOKUPS.load(Ordering::SeqCst) > lookups);
}
