//! HEAD, OPTIONS, 405 with `Allow`, unknown methods (`nextjs-semantics.md` §3 and the deviations).

use arbor_test_app::start;

#[tokio::test]
async fn exported_method_runs() {
    let server = start().await;
    let reply = server.get("/only-get").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("x-handler"), "GET");
    assert_eq!(reply.header("x-seen-method"), "GET");
    assert_eq!(reply.header("content-type"), "application/json");
}

#[tokio::test]
async fn head_runs_get_and_drops_the_body() {
    let server = start().await;
    let get = server.get("/only-get").await;
    let head = server.send("HEAD", "/only-get", &[], "").await;
    assert_eq!(head.status, 200);
    assert_eq!(head.header("x-handler"), "GET");
    assert_eq!(head.header("x-seen-method"), "HEAD");
    assert_eq!(head.header("content-type"), "application/json");
    assert!(head.body.is_empty());
    // The GET handler wrote `"method":"HEAD"`, one byte longer than for a GET, and HEAD keeps
    // the length that body would have had.
    assert_eq!(
        head.header("content-length"),
        (get.body.len() + 1).to_string()
    );
}

#[tokio::test]
async fn explicit_head_and_options_are_used_verbatim() {
    let server = start().await;
    let head = server.send("HEAD", "/echo/42", &[], "").await;
    assert_eq!(head.status, 200);
    assert_eq!(head.header("x-handler"), "HEAD");
    let options = server.send("OPTIONS", "/echo/42", &[], "").await;
    assert_eq!(options.status, 200);
    assert_eq!(options.header("allow"), "custom");
}

#[tokio::test]
async fn options_is_automatic() {
    let server = start().await;
    let reply = server.send("OPTIONS", "/only-get", &[], "").await;
    assert_eq!(reply.status, 204);
    assert_eq!(reply.header("allow"), "GET, HEAD, OPTIONS");
    assert!(reply.body.is_empty());
    assert!(!reply.headers.contains_key("content-type"));

    let reply = server.send("OPTIONS", "/upload", &[], "").await;
    assert_eq!(reply.header("allow"), "OPTIONS, POST, PUT");
    let reply = server.send("OPTIONS", "/throws", &[], "").await;
    assert_eq!(reply.header("allow"), "GET, HEAD, OPTIONS, POST");
}

#[tokio::test]
async fn missing_method_is_405_with_allow() {
    let server = start().await;
    for method in ["POST", "PUT", "PATCH", "DELETE"] {
        let reply = server.send(method, "/only-get", &[], "").await;
        assert_eq!(reply.status, 405, "{method}");
        assert_eq!(reply.header("allow"), "GET, HEAD, OPTIONS", "{method}");
        assert!(reply.body.is_empty());
    }
    let reply = server.send("GET", "/upload", &[], "").await;
    assert_eq!(reply.status, 405);
    assert_eq!(reply.header("allow"), "OPTIONS, POST, PUT");
    // HEAD without GET is 405 too.
    let reply = server.send("HEAD", "/upload", &[], "").await;
    assert_eq!(reply.status, 405);
}

#[tokio::test]
async fn unknown_method_is_501() {
    let server = start().await;
    for method in ["PROPFIND", "PURGE"] {
        let reply = server.send(method, "/only-get", &[], "").await;
        assert_eq!(reply.status, 501, "{method}");
        assert!(reply.body.is_empty());
    }
}

#[tokio::test]
async fn trace_is_405_with_allow() {
    let server = start().await;
    let reply = server.send("TRACE", "/only-get", &[], "").await;
    assert_eq!(reply.status, 405);
    assert_eq!(reply.header("allow"), "GET, HEAD, OPTIONS");
}

#[tokio::test]
async fn every_exported_method_runs_with_its_body() {
    let server = start().await;
    let reply = server
        .send(
            "POST",
            "/echo/42",
            &[("content-type", "application/json")],
            r#"{"a":1}"#,
        )
        .await;
    assert_eq!(reply.status, 201);
    let body = reply.json();
    assert_eq!(body["method"], "POST");
    assert_eq!(body["body"], r#"{"a":1}"#);
    assert_eq!(body["contentType"], "application/json");
    for method in ["PATCH", "DELETE"] {
        let reply = server.send(method, "/echo/42", &[], "x=1").await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.json()["method"], method);
        assert_eq!(reply.json()["body"], "x=1");
    }
}
