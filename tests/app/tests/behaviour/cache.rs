//! Static and incremental caching of GET routes, on-demand revalidation, and `#[cache]`
//! (`nextjs-semantics.md` §3.4, §5, §6).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use arbor::__codegen::{
    build_path, AppBuilder, FromParams, Params, PathPart, Route, SegmentConfig,
};
use arbor::cache::{revalidate_path, revalidate_tag, Dynamic, Profile, Revalidate};
use arbor::prelude::*;
use arbor::routing::Method;
use arbor_test_support::TestServer;

fn config(dynamic: Dynamic, revalidate: Option<Revalidate>) -> SegmentConfig {
    SegmentConfig {
        dynamic,
        revalidate,
        dynamic_params: true,
        generates_params: false,
    }
}

fn one_route<H, T>(pattern: &'static str, handler: H, config: SegmentConfig) -> arbor::App
where
    H: arbor::handler::Handler<T, ()>,
    T: 'static,
{
    arbor::App::new().route(
        Route::new(pattern, "app/route.rs")
            .handler(Method::Get, handler)
            .segment_config(config),
    )
}

/// Polls until `check` holds, for at most three seconds.
async fn eventually(
    server: &TestServer,
    path: &str,
    check: impl Fn(&arbor_test_support::Reply) -> bool,
) -> arbor_test_support::Reply {
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let reply = server.get(path).await;
        if check(&reply) || Instant::now() > deadline {
            return reply;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn force_static_is_rendered_before_traffic_and_served_from_the_cache() {
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    async fn handler() -> Response {
        let n = CALLS.fetch_add(1, Ordering::SeqCst) + 1;
        Response::json(&serde_json::json!({ "render": n }))
    }
    let server = TestServer::serve(one_route(
        "/static",
        handler,
        config(Dynamic::ForceStatic, None),
    ))
    .await;
    // Requests wait until the start-up render is done.
    assert_eq!(server.get("/static").await.json()["render"], 1);
    assert_eq!(CALLS.load(Ordering::SeqCst), 1, "rendered once at start-up");
    for _ in 0..3 {
        let reply = server.get("/static").await;
        assert_eq!(reply.header("x-nextjs-cache"), "HIT");
        assert_eq!(reply.header("cache-control"), "s-maxage=31536000");
        assert_eq!(reply.json()["render"], 1);
    }
    let head = server.send("HEAD", "/static", &[], "").await;
    assert_eq!(head.header("x-nextjs-cache"), "HIT");
    assert!(head.body.is_empty());
    for method in ["POST", "OPTIONS", "DELETE"] {
        let reply = server.send(method, "/static", &[], "").await;
        assert_eq!(reply.status, 405, "{method}");
        assert_eq!(reply.header("allow"), "GET, HEAD");
        assert_eq!(reply.text(), "Method Not Allowed");
    }
    assert_eq!(CALLS.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn the_static_render_gets_an_empty_request() {
    async fn handler(req: Request) -> Response {
        Response::json(&serde_json::json!({
            "headers": req.headers().len(),
            "cookies": req.cookies().len(),
            "search": req.next_url().search(),
            "url": req.url(),
        }))
    }
    let server = TestServer::serve(one_route(
        "/scrubbed",
        handler,
        config(Dynamic::ForceStatic, None),
    ))
    .await;
    let reply = server
        .send(
            "GET",
            "/scrubbed?q=1",
            &[("x-test", "1"), ("cookie", "a=1")],
            "",
        )
        .await;
    assert_eq!(
        reply.json(),
        serde_json::json!({ "headers": 0, "cookies": 0, "search": "", "url": "http://localhost:3000/scrubbed" })
    );
}

#[tokio::test]
async fn a_handler_cache_control_is_kept() {
    async fn handler() -> Response {
        Response::text("x").with_header("cache-control", "public, max-age=5")
    }
    let server = TestServer::serve(one_route(
        "/own",
        handler,
        config(Dynamic::ForceStatic, None),
    ))
    .await;
    assert_eq!(
        server.get("/own").await.header("cache-control"),
        "public, max-age=5"
    );
}

#[tokio::test]
async fn revalidate_serves_stale_while_one_regeneration_runs() {
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    async fn handler() -> Response {
        let n = CALLS.fetch_add(1, Ordering::SeqCst) + 1;
        Response::json(&serde_json::json!({ "render": n }))
    }
    let server = TestServer::serve(one_route(
        "/isr",
        handler,
        config(Dynamic::Auto, Some(Revalidate::Seconds(1))),
    ))
    .await;
    let reply = server.get("/isr").await;
    assert_eq!(reply.header("x-nextjs-cache"), "HIT");
    assert_eq!(
        reply.header("cache-control"),
        "s-maxage=1, stale-while-revalidate=31535999"
    );
    assert_eq!(reply.json()["render"], 1);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let reply = server.get("/isr").await;
    assert_eq!(reply.header("x-nextjs-cache"), "STALE");
    assert_eq!(reply.json()["render"], 1);
    let reply = eventually(&server, "/isr", |r| r.json()["render"] == 2).await;
    assert_eq!(reply.header("x-nextjs-cache"), "HIT");
    assert_eq!(reply.json()["render"], 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_requests_at_a_stale_entry_regenerate_once() {
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    async fn handler() -> Response {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let n = CALLS.fetch_add(1, Ordering::SeqCst) + 1;
        Response::json(&serde_json::json!({ "render": n }))
    }
    let server = TestServer::serve(one_route(
        "/busy",
        handler,
        config(Dynamic::Auto, Some(Revalidate::Seconds(1))),
    ))
    .await;
    assert_eq!(server.get("/busy").await.json()["render"], 1);
    assert_eq!(CALLS.load(Ordering::SeqCst), 1);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let addr = server.addr;
    let requests: Vec<_> = (0..200)
        .map(|_| tokio::spawn(async move { TestServer::probe(addr).get("/busy").await }))
        .collect();
    let mut stale = 0;
    for request in requests {
        let reply = request.await.expect("request task");
        assert_eq!(reply.status, 200);
        // Stale while the regeneration runs; under load, late requests may already see it.
        match reply.header("x-nextjs-cache") {
            "STALE" => {
                assert_eq!(reply.json()["render"], 1);
                stale += 1;
            }
            state => {
                assert_eq!(state, "HIT");
                assert_eq!(reply.json()["render"], 2);
            }
        }
    }
    assert!(stale > 0, "the stale entry was served");
    let reply = eventually(&server, "/busy", |r| r.json()["render"] == 2).await;
    assert_eq!(reply.json()["render"], 2);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(CALLS.load(Ordering::SeqCst), 2, "exactly one regeneration");
}

#[tokio::test]
async fn a_failed_regeneration_keeps_the_stale_entry() {
    static FAIL: AtomicBool = AtomicBool::new(false);
    async fn handler() -> Result<Response> {
        if FAIL.load(Ordering::SeqCst) {
            return Err(Error::internal_message("the data source is down"));
        }
        Ok(Response::text("good"))
    }
    let server = TestServer::serve(one_route(
        "/fragile",
        handler,
        config(Dynamic::Auto, Some(Revalidate::Seconds(1))),
    ))
    .await;
    assert_eq!(server.get("/fragile").await.text(), "good");
    FAIL.store(true, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    for _ in 0..5 {
        let reply = server.get("/fragile").await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.text(), "good");
        assert_eq!(reply.header("x-nextjs-cache"), "STALE");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn an_error_status_is_not_cached_but_404_is() {
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    async fn unavailable() -> Response {
        CALLS.fetch_add(1, Ordering::SeqCst);
        Response::text("later").with_status(StatusCode::SERVICE_UNAVAILABLE)
    }
    async fn gone() -> Response {
        Response::text("gone").with_status(StatusCode::NOT_FOUND)
    }
    let app = arbor::App::new()
        .route(
            Route::new("/unavailable", "a")
                .handler(Method::Get, unavailable)
                .segment_config(config(Dynamic::ForceStatic, None)),
        )
        .route(
            Route::new("/gone", "b")
                .handler(Method::Get, gone)
                .segment_config(config(Dynamic::ForceStatic, None)),
        );
    let server = TestServer::serve(app).await;
    for _ in 0..2 {
        let reply = server.get("/unavailable").await;
        assert_eq!(reply.status, 503);
        assert_eq!(reply.header("x-nextjs-cache"), "MISS");
    }
    assert_eq!(
        CALLS.load(Ordering::SeqCst),
        3,
        "start-up, then once per request"
    );
    let reply = server.get("/gone").await;
    assert_eq!(reply.status, 404);
    assert_eq!(reply.header("x-nextjs-cache"), "HIT");
}

#[tokio::test]
async fn dynamic_error_fails_start_up_when_the_handler_reads_the_request() {
    async fn reads(req: Request) -> Response {
        Response::text(req.header("x-test").unwrap_or("-").to_owned())
    }
    let app = one_route("/strict", reads, config(Dynamic::Error, None));
    let server = arbor::Server::bind("127.0.0.1:0").await.unwrap();
    let err = server
        .serve_with_shutdown(app, std::future::pending())
        .await
        .expect_err("start-up fails");
    let message = err.to_string();
    assert!(message.contains("route `/strict`"), "{message}");
    assert!(message.contains("request.headers"), "{message}");

    async fn pure() -> Response {
        Response::text("pure")
    }
    let server = TestServer::serve(one_route("/pure", pure, config(Dynamic::Error, None))).await;
    assert_eq!(server.get("/pure").await.header("x-nextjs-cache"), "HIT");
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct IdParams {
    id: String,
}

impl FromParams for IdParams {
    const PATTERN: &'static str = "/items/[id]";
    fn from_params(params: &Params) -> Self {
        IdParams { id: params.one(0) }
    }
    fn to_path(&self) -> String {
        build_path(&[PathPart::Static("items"), PathPart::One(&self.id)])
    }
}

async fn item(ctx: RouteContext<IdParams>) -> Response {
    Response::text(format!("item {}", ctx.params.id))
}

async fn known() -> Vec<IdParams> {
    vec![IdParams { id: "a".into() }, IdParams { id: "b c".into() }]
}

fn items(dynamic_params: bool) -> arbor::App {
    arbor::App::new().route(
        Route::new("/items/[id]", "app/items/[id]/route.rs")
            .handler(Method::Get, item)
            .segment_config(SegmentConfig {
                dynamic: Dynamic::Auto,
                revalidate: None,
                dynamic_params,
                generates_params: true,
            })
            .static_params(known),
    )
}

#[tokio::test]
async fn generate_static_params_with_dynamic_params_false() {
    let server = TestServer::serve(items(false)).await;
    let reply = server.get("/items/a").await;
    assert_eq!(reply.text(), "item a");
    assert_eq!(reply.header("x-nextjs-cache"), "HIT");
    assert_eq!(
        server.get("/items/b%20c").await.header("x-nextjs-cache"),
        "HIT"
    );
    assert_eq!(server.get("/items/zzz").await.status, 404);
}

#[tokio::test]
async fn generate_static_params_with_dynamic_params_true() {
    let server = TestServer::serve(items(true)).await;
    let reply = server.get("/items/zzz").await;
    assert_eq!(reply.text(), "item zzz");
    assert_eq!(reply.header("x-nextjs-cache"), "MISS");
    assert_eq!(
        server.get("/items/zzz").await.header("x-nextjs-cache"),
        "HIT"
    );
}

static DATA_CALLS: AtomicUsize = AtomicUsize::new(0);

#[arbor::cache(tags = ["numbers"])]
async fn slow_number(base: u64) -> u64 {
    base + DATA_CALLS.fetch_add(1, Ordering::SeqCst) as u64
}

#[arbor::cache(revalidate = 1)]
async fn short_lived() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or_default()
}

#[tokio::test]
async fn revalidation_on_demand_and_the_data_cache() {
    static RENDERS: AtomicUsize = AtomicUsize::new(0);
    async fn page() -> Response {
        Response::json(&serde_json::json!({ "render": RENDERS.fetch_add(1, Ordering::SeqCst) + 1 }))
    }
    async fn data() -> Response {
        Response::json(
            &serde_json::json!({ "value": slow_number(100).await, "other": slow_number(1000).await }),
        )
    }
    async fn short() -> Response {
        Response::json(&serde_json::json!({ "value": short_lived().await }))
    }
    async fn revalidate(mut req: Request) -> Result<Response> {
        let body: serde_json::Value = req.json().await?;
        if let Some(path) = body["path"].as_str() {
            revalidate_path(path).await;
        }
        if let Some(tag) = body["tag"].as_str() {
            let profile = if body["expire"] == true {
                Profile::Expire
            } else {
                Profile::Max
            };
            revalidate_tag(tag, profile).await;
        }
        Ok(Response::text("ok"))
    }
    let app = arbor::App::new()
        .route(
            Route::new("/page", "a")
                .handler(Method::Get, page)
                .segment_config(config(Dynamic::ForceStatic, None)),
        )
        .route(Route::new("/data", "b").handler(Method::Get, data))
        .route(Route::new("/short", "c").handler(Method::Get, short))
        .route(Route::new("/revalidate", "d").handler(Method::Post, revalidate));
    let server = TestServer::serve(app).await;

    assert_eq!(server.get("/page").await.json()["render"], 1);
    server
        .send("POST", "/revalidate", &[], r#"{"path":"/page"}"#)
        .await;
    let reply = server.get("/page").await;
    assert_eq!(reply.header("x-nextjs-cache"), "MISS");
    assert_eq!(reply.json()["render"], 2);
    assert_eq!(server.get("/page").await.header("x-nextjs-cache"), "HIT");

    // Keyed by arguments, reused until revalidated.
    let first = server.get("/data").await.json();
    let again = server.get("/data").await.json();
    assert_eq!(first, again);
    assert_ne!(first["value"], first["other"]);
    // `Max`: the next read is stale, the one after fresh.
    server
        .send("POST", "/revalidate", &[], r#"{"tag":"numbers"}"#)
        .await;
    assert_eq!(server.get("/data").await.json(), first);
    let fresh = eventually(&server, "/data", |r| r.json() != first)
        .await
        .json();
    assert_ne!(fresh["value"], first["value"]);
    // `Expire`: the very next read is fresh.
    server
        .send(
            "POST",
            "/revalidate",
            &[],
            r#"{"tag":"numbers","expire":true}"#,
        )
        .await;
    let newest = server.get("/data").await.json();
    assert_ne!(newest["value"], fresh["value"]);

    // A lifetime: stale after a second, then refreshed.
    let value = server.get("/short").await.json();
    assert_eq!(server.get("/short").await.json(), value);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let later = eventually(&server, "/short", |r| r.json() != value)
        .await
        .json();
    assert_ne!(later, value);
}

#[tokio::test]
async fn other_methods_beside_a_cached_get_run_with_the_real_request() {
    async fn get() -> Response {
        Response::text("cached")
    }
    async fn post(req: Request) -> Response {
        Response::text(req.header("x-test").unwrap_or("-").to_owned())
    }
    let app = arbor::App::new().route(
        Route::new("/both", "app/both/route.rs")
            .handler(Method::Get, get)
            .handler(Method::Post, post)
            .segment_config(config(Dynamic::ForceStatic, None)),
    );
    let server = TestServer::serve(app).await;
    assert_eq!(server.get("/both").await.header("x-nextjs-cache"), "HIT");
    let reply = server
        .send("POST", "/both", &[("x-test", "real")], "")
        .await;
    assert_eq!(reply.text(), "real");
    assert!(!reply.headers.contains_key("x-nextjs-cache"));
}

#[tokio::test]
async fn revalidate_zero_and_force_dynamic_are_never_cached() {
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    async fn handler() -> Response {
        Response::text(format!("{}", CALLS.fetch_add(1, Ordering::SeqCst)))
    }
    let app = arbor::App::new()
        .route(
            Route::new("/zero", "a")
                .handler(Method::Get, handler)
                .segment_config(config(Dynamic::Auto, Some(Revalidate::Seconds(0)))),
        )
        .route(
            Route::new("/dynamic", "b")
                .handler(Method::Get, handler)
                .segment_config(config(Dynamic::ForceDynamic, None)),
        );
    let server = TestServer::serve(app).await;
    for path in ["/zero", "/dynamic"] {
        let a = server.get(path).await;
        let b = server.get(path).await;
        assert_ne!(a.text(), b.text(), "{path}");
        assert!(!a.headers.contains_key("x-nextjs-cache"));
    }
}
