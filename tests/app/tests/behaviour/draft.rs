//! Draft mode: a secret cookie renders static routes afresh for one browser.

use arbor_test_app::start;

#[tokio::test]
async fn draft_mode_renders_static_routes_afresh_without_touching_the_cache() {
    let server = start().await;
    let cached = server.get("/draft/static").await;
    assert_eq!(cached.header("x-nextjs-cache"), "HIT");
    assert_eq!(cached.json()["draft"], false);
    let first = cached.json()["render"].clone();

    let enabled = server.send("POST", "/draft/toggle", &[], "").await;
    let cookie = enabled.header_all("set-cookie");
    assert_eq!(cookie.len(), 1);
    assert!(
        cookie[0].starts_with("__prerender_bypass=")
            && cookie[0].ends_with("; Path=/; Secure; HttpOnly; SameSite=none"),
        "{cookie:?}"
    );
    let pair = cookie[0].split(';').next().expect("name=value").to_owned();

    let draft = server
        .send("GET", "/draft/static", &[("cookie", &pair)], "")
        .await;
    assert_eq!(draft.json()["draft"], true);
    assert_ne!(draft.json()["render"], first, "rendered for this request");
    assert_eq!(
        draft.header("cache-control"),
        "private, no-cache, no-store, max-age=0, must-revalidate"
    );
    // Everyone else still gets the cached render.
    assert_eq!(server.get("/draft/static").await.json()["render"], first);

    // A cookie of another build, or a forged one: the cache, and the cookie cleared.
    let forged = server
        .send(
            "GET",
            "/draft/static",
            &[("cookie", "__prerender_bypass=forged")],
            "",
        )
        .await;
    assert_eq!(forged.json()["render"], first);
    assert_eq!(forged.header_all("set-cookie").len(), 2);

    let disabled = server
        .send("DELETE", "/draft/toggle", &[("cookie", &pair)], "")
        .await;
    assert_eq!(disabled.json()["enabled"], false);
    assert!(disabled.header_all("set-cookie")[0].contains("Expires=Thu, 01 Jan 1970"));
}

/// K3: draft mode switched on, then a redirect: the 307 keeps the cookie.
#[tokio::test]
async fn enable_then_redirect_keeps_the_cookie() {
    let server = start().await;
    let reply = server.get("/draft/toggle").await;
    assert_eq!(reply.status, 307);
    assert_eq!(reply.header("location"), "/");
    assert!(reply.header_all("set-cookie")[0].starts_with("__prerender_bypass="));
}

/// J4: `enable()` in an `after()` future, once the answer has gone, changes nothing.
#[tokio::test]
async fn draft_mode_cannot_change_after_the_answer() {
    use std::sync::atomic::Ordering;
    let server = start().await;
    let reply = server.send("PUT", "/draft/toggle", &[], "").await;
    assert_eq!(reply.text(), "answered");
    assert!(reply.header_all("set-cookie").is_empty());
    let flag = &arbor_test_app::app::draft::toggle::route::ENABLED_IN_AFTER;
    for _ in 0..200 {
        if !flag.load(Ordering::SeqCst) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("enable() in after() turned draft mode on");
}
