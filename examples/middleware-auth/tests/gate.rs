//! The gate over HTTP.

use arbor_test_support::TestServer;
use serde_json::json;

async fn start() -> TestServer {
    TestServer::serve(middleware_auth::app::router()).await
}

#[tokio::test]
async fn pages_redirect_and_api_paths_answer_401() {
    let server = start().await;
    let reply = server.get("/dashboard").await;
    assert_eq!(reply.status, 307);
    assert_eq!(reply.header("location"), "/login?next=%2Fdashboard");
    // The trailing slash is redirected before the gate runs, so it cannot bypass it.
    assert_eq!(server.get("/dashboard/").await.status, 308);
    let reply = server.get("/api/me").await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.json(), json!({ "error": "authentication required" }));
    assert_eq!(server.get("/public").await.text(), "anyone can see this");
}

#[tokio::test]
async fn a_forged_user_header_is_replaced() {
    let server = start().await;
    let reply = server
        .send(
            "GET",
            "/api/me",
            &[("cookie", "session=ada"), ("x-user", "admin")],
            "",
        )
        .await;
    assert_eq!(reply.json(), json!({ "user": "ada" }));
}

#[tokio::test]
async fn login_then_through_the_gate() {
    let server = start().await;
    let form = [("content-type", "application/x-www-form-urlencoded")];
    let reply = server
        .send("POST", "/login?next=/api/me", &form, "name=ada")
        .await;
    assert_eq!(reply.status, 303);
    assert_eq!(reply.header("location"), "/api/me");
    assert_eq!(
        reply.header_all("set-cookie"),
        ["session=ada; Path=/; HttpOnly; SameSite=lax"]
    );
    let session = [("cookie", "session=ada")];
    assert_eq!(
        server.send("GET", "/dashboard", &session, "").await.text(),
        "Welcome, ada"
    );
    assert_eq!(
        server.send("GET", "/api/me", &session, "").await.json(),
        json!({ "user": "ada" })
    );
    let reply = server
        .send("POST", "/login?next=//evil.example", &form, "name=ada")
        .await;
    assert_eq!(reply.header("location"), "/dashboard");
}

#[tokio::test]
async fn next_never_leaves_the_site() {
    let server = start().await;
    let form = [("content-type", "application/x-www-form-urlencoded")];
    for next in [
        "/%5Cevil.com",
        "//evil.com",
        "https:evil.com",
        "/%5C/evil.com",
    ] {
        let reply = server
            .send("POST", &format!("/login?next={next}"), &form, "name=ada")
            .await;
        assert_eq!(reply.status, 303, "{next}");
        assert_eq!(reply.header("location"), "/dashboard", "{next}");
    }
}

#[tokio::test]
async fn an_unusable_session_cookie_is_no_session() {
    let server = start().await;
    for cookie in ["session=%01", "session=", "session=%ZZ"] {
        let reply = server
            .send("GET", "/api/me", &[("cookie", cookie)], "")
            .await;
        assert_eq!(reply.status, 401, "{cookie}");
        let reply = server
            .send("GET", "/dashboard", &[("cookie", cookie)], "")
            .await;
        assert_eq!(reply.status, 307, "{cookie}");
    }
}
