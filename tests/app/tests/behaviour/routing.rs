//! Folder conventions, precedence and parameter decoding (`nextjs-semantics.md` §1.2, §2.2, §2.3).

use arbor_test_app::start;
use serde_json::json;

#[tokio::test]
async fn root_route_serves_slash() {
    let server = start().await;
    let reply = server.get("/").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.text(), "root");
}

#[tokio::test]
async fn dynamic_segment_is_a_decoded_param() {
    let server = start().await;
    let reply = server.get("/echo/42?a=1&a=2&b=x%20y").await;
    assert_eq!(reply.status, 200);
    let body = reply.json();
    assert_eq!(body["params"], json!({ "id": "42" }));
    assert_eq!(body["pathname"], "/echo/42");
    assert_eq!(body["search"], "?a=1&a=2&b=x%20y");
    // `url` writes the query back as `URLSearchParams` does, as Next.js's `request.url`.
    assert_eq!(
        body["url"],
        format!(
            "http://localhost:{}/echo/42?a=1&a=2&b=x+y",
            server.addr.port()
        )
    );
}

#[tokio::test]
async fn params_are_decoded_per_segment_after_matching() {
    let server = start().await;
    for (path, id) in [
        ("/echo/a%20b", "a b"),
        ("/echo/a%2Fb", "a/b"),
        ("/echo/a+b", "a+b"),
        ("/echo/%C3%A9", "é"),
        ("/echo/%25", "%"),
    ] {
        let reply = server.get(path).await;
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.json()["params"]["id"], id, "{path}");
    }
    // The pathname a handler sees stays encoded.
    assert_eq!(
        server.get("/echo/a%20b").await.json()["pathname"],
        "/echo/a%20b"
    );
}

#[tokio::test]
async fn param_with_symbol_in_its_name() {
    let server = start().await;
    let reply = server.get("/echo-params/x/y%20z").await;
    assert_eq!(
        reply.json(),
        json!({ "a": "x", "b_c": "y z", "params": { "a": "x", "b-c": "y z" } })
    );
}

#[tokio::test]
async fn extra_segment_is_404() {
    let server = start().await;
    assert_eq!(server.get("/echo/1/2").await.status, 404);
}

#[tokio::test]
async fn catch_all_needs_a_segment_and_splits_before_decoding() {
    let server = start().await;
    assert_eq!(server.get("/docs").await.status, 404);
    let reply = server.get("/docs/a/b/c").await;
    assert_eq!(reply.json()["params"], json!({ "slug": ["a", "b", "c"] }));
    let reply = server.get("/docs/a%2Fb/c").await;
    assert_eq!(reply.json()["params"], json!({ "slug": ["a/b", "c"] }));
}

#[tokio::test]
async fn optional_catch_all_key_is_absent_without_segments() {
    let server = start().await;
    let reply = server.get("/files").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json()["params"], json!({}));
    let reply = server.get("/files/x").await;
    assert_eq!(reply.json()["params"], json!({ "path": ["x"] }));
    let reply = server.get("/files/x/y").await;
    assert_eq!(reply.json()["params"], json!({ "path": ["x", "y"] }));
}

#[tokio::test]
async fn static_beats_param_beats_catch_all() {
    let server = start().await;
    assert_eq!(
        server.get("/shop/new").await.json()["handler"],
        "shop/new GET"
    );
    let reply = server.get("/shop/old").await.json();
    assert_eq!(reply["handler"], "shop/[item] GET");
    assert_eq!(reply["params"], json!({ "item": "old" }));
    let reply = server.get("/shop/a/b").await.json();
    assert_eq!(reply["handler"], "shop/[...all] GET");
    assert_eq!(reply["params"], json!({ "all": ["a", "b"] }));
    // No static shop/new/x: falls back to the catch-all.
    let reply = server.get("/shop/new/x").await.json();
    assert_eq!(reply["handler"], "shop/[...all] GET");
    assert_eq!(reply["params"], json!({ "all": ["new", "x"] }));
}

#[tokio::test]
async fn group_folder_adds_nothing_to_the_url() {
    let server = start().await;
    let reply = server.get("/grouped").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json()["params"], json!(null));
    assert_eq!(server.get("/(marketing)/grouped").await.status, 404);
    assert_eq!(server.get("/marketing/grouped").await.status, 404);
}

#[tokio::test]
async fn private_folder_is_not_routed_and_escaped_underscore_is() {
    let server = start().await;
    assert_eq!(server.get("/_private").await.status, 404);
    assert_eq!(server.get("/_lib/describe").await.status, 404);
    let reply = server.get("/_escaped").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json()["handler"], "%5Fescaped GET");
    // The request path is not decoded before matching static segments.
    assert_eq!(server.get("/%5Fescaped").await.status, 404);
}

#[tokio::test]
async fn matching_is_case_sensitive() {
    let server = start().await;
    assert_eq!(server.get("/ONLY-GET").await.status, 404);
    assert_eq!(server.get("/only-get").await.status, 200);
}

#[tokio::test]
async fn manifest_lists_every_route() {
    let patterns: Vec<&str> = arbor_test_app::app::ROUTES
        .iter()
        .map(|r| r.pattern)
        .collect();
    for expected in [
        "/",
        "/docs/[...slug]",
        "/echo/[id]",
        "/files/[[...path]]",
        "/grouped",
        "/shop/[item]",
        "/_escaped",
    ] {
        assert!(
            patterns.contains(&expected),
            "{expected} missing from {patterns:?}"
        );
    }
    assert!(!patterns.iter().any(|p| p.contains("private")));
}

#[tokio::test]
async fn an_unmatched_percent_encoded_path_gets_the_same_not_found() {
    let server = start().await;
    let plain = server.get("/no-such-page").await;
    assert_eq!(plain.status, 404);
    for path in ["/no%20such%20page", "/%E2%9C%93/x", "/a%2Fb", "/%7Euser"] {
        let encoded = server.get(path).await;
        assert_eq!(encoded.status, 404, "{path}");
        assert_eq!(encoded.body, plain.body, "{path}");
        for name in ["content-type", "cache-control", "x-nextjs-cache"] {
            assert_eq!(encoded.header(name), plain.header(name), "{path}: {name}");
        }
    }
}
