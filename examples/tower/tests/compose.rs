//! The app composed with tower and axum, over real HTTP.

use std::sync::atomic::Ordering;
use std::time::Duration;

use arbor_test_support::TestServer;
use tower_http::set_header::SetResponseHeaderLayer;

/// Serves an axum router on a free loopback port, stopped when the test ends.
async fn serve_axum(router: axum::Router) -> TestServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a loopback port");
    let addr = listener.local_addr().expect("local address");
    tokio::spawn(async move { axum::serve(listener, router).await });
    TestServer::probe(addr)
}

#[tokio::test]
async fn cors_preflights_are_answered_and_slow_routes_time_out() {
    let server = TestServer::serve(tower_compose::layered(Duration::from_millis(200))).await;
    let preflight = [
        ("origin", "https://example.com"),
        ("access-control-request-method", "GET"),
    ];
    let reply = server.send("OPTIONS", "/hello", &preflight, "").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("access-control-allow-origin"), "*");

    let reply = server
        .send("GET", "/hello", &[("origin", "https://example.com")], "")
        .await;
    assert_eq!(reply.text(), "hello from arbor");
    assert_eq!(reply.header("access-control-allow-origin"), "*");

    let reply = server.get("/slow?ms=5000").await;
    assert_eq!(reply.status, 408);
    assert_eq!(server.get("/slow?ms=1").await.text(), "done");
}

#[tokio::test]
async fn an_axum_router_serves_the_app_beside_its_own_routes() {
    let server = serve_axum(tower_compose::arbor_inside_axum()).await;
    assert_eq!(server.get("/legacy").await.text(), "hello from axum");
    assert_eq!(server.get("/hello").await.text(), "hello from arbor");
    let item = server.get("/items/7").await;
    assert_eq!(item.json(), serde_json::json!({ "id": 7 }));
    // What neither has: the app's not-found answer.
    let missing = server.get("/nowhere").await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.header("content-type"), "text/html; charset=utf-8");
}

#[tokio::test]
async fn a_nested_app_redirects_within_its_prefix() {
    let server = serve_axum(tower_compose::arbor_inside_axum()).await;
    assert_eq!(server.get("/api/hello").await.text(), "hello from arbor");
    let reply = server.get("/api/items/x").await;
    assert_eq!(reply.status, 400);
    let reply = server.get("/api/hello/").await;
    assert_eq!(reply.status, 308);
    assert_eq!(reply.header("location"), "/api/hello");
}

#[tokio::test]
async fn the_app_passes_what_it_does_not_have_to_an_axum_router() {
    let server = TestServer::serve(tower_compose::axum_behind_arbor()).await;
    assert_eq!(server.get("/hello").await.text(), "hello from arbor");
    assert_eq!(server.get("/old").await.text(), "an old axum route");
    // The middleware still runs first, and its redirects are the app's.
    let moved = server.get("/old-hello").await;
    assert_eq!(moved.status, 307);
    assert_eq!(moved.header("location"), "/hello");
    // Neither has it: axum's own 404, empty.
    let missing = server.get("/nowhere").await;
    assert_eq!(missing.status, 404);
    assert!(missing.body.is_empty());
}

#[tokio::test]
async fn layers_see_every_answer_the_middleware_and_the_404s_included() {
    let app = tower_compose::app::router().layer(SetResponseHeaderLayer::overriding(
        arbor::http::HeaderName::from_static("x-layer"),
        arbor::http::HeaderValue::from_static("seen"),
    ));
    let server = TestServer::serve(app).await;
    assert_eq!(server.get("/hello").await.header("x-layer"), "seen");
    assert_eq!(server.get("/old-hello").await.header("x-layer"), "seen");
    let missing = server.get("/nowhere").await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.header("x-layer"), "seen");
    let trailing = server.get("/hello/").await;
    assert_eq!(trailing.status, 308);
    assert_eq!(trailing.header("x-layer"), "seen");
}

#[tokio::test]
async fn a_concurrency_limit_is_waited_for() {
    let app = tower_compose::app::router().layer(tower::limit::ConcurrencyLimitLayer::new(1));
    let server = TestServer::serve(app).await;
    let addr = server.addr;
    let requests: Vec<_> = (0..4)
        .map(|_| tokio::spawn(async move { TestServer::probe(addr).get("/inflight").await }))
        .collect();
    for request in requests {
        let reply = request.await.expect("request task");
        assert_eq!(reply.status, 200);
        assert_eq!(reply.text(), "1");
    }
    assert_eq!(tower_compose::MOST_IN_FLIGHT.load(Ordering::SeqCst), 1);
}
