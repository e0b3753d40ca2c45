//! The login flow over HTTP.

use arbor_test_support::TestServer;

async fn start() -> TestServer {
    TestServer::serve(cookies_and_redirects::app::router()).await
}

#[tokio::test]
async fn login_me_logout() {
    let server = start().await;
    let reply = server.get("/me").await;
    assert_eq!(reply.status, 307);
    assert_eq!(reply.header("location"), "/login");

    let form = [("content-type", "application/x-www-form-urlencoded")];
    let reply = server.send("POST", "/login", &form, "name=ada").await;
    assert_eq!(reply.status, 303);
    assert_eq!(reply.header("location"), "/me");
    let session = &reply.header_all("set-cookie")[0];
    assert!(
        session.starts_with("session=ada; Path=/; Expires="),
        "{session}"
    );
    assert!(
        session.ends_with("; Max-Age=3600; HttpOnly; SameSite=lax"),
        "{session}"
    );

    let reply = server
        .send("GET", "/me", &[("cookie", "session=ada")], "")
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json(), serde_json::json!({ "user": "ada" }));
    assert_eq!(reply.header_all("set-cookie"), ["last-seen=me; Path=/"]);

    let reply = server
        .send("POST", "/logout", &[("cookie", "session=ada")], "")
        .await;
    assert_eq!(reply.status, 307);
    assert_eq!(reply.header("location"), "/login");
    assert_eq!(
        reply.header_all("set-cookie"),
        ["session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT"]
    );
}

#[tokio::test]
async fn bad_login_is_a_json_4xx() {
    let server = start().await;
    let form = [("content-type", "application/x-www-form-urlencoded")];
    let reply = server.send("POST", "/login", &form, "name=+").await;
    assert_eq!(reply.status, 422);
    assert_eq!(
        reply.json(),
        serde_json::json!({ "error": "name must not be empty" })
    );
    let reply = server.send("POST", "/login", &form, "nom=ada").await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.json(),
        serde_json::json!({ "error": "invalid form: missing field `name`" })
    );
}

#[tokio::test]
async fn not_found_and_permanent_redirect_from_a_helper() {
    let server = start().await;
    assert_eq!(server.get("/items/2").await.text(), "a teapot");
    let reply = server.get("/items/9").await;
    assert_eq!(reply.status, 404);
    assert!(reply.body.is_empty());
    let reply = server.get("/items/old").await;
    assert_eq!(reply.status, 308);
    assert_eq!(reply.header("location"), "/items/1");
}
