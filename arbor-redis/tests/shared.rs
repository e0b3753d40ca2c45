//! Two app instances on one real Redis: what one caches the other serves, what one
//! revalidates the other sees; without Redis, requests are served uncached.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use arbor::__codegen::{AppBuilder, Route};
use arbor::cache::{revalidate_tag, Dynamic, Profile, SegmentConfig};
use arbor::prelude::*;
use arbor::routing::Method;
use arbor_redis::RedisStore;
use arbor_test_support::TestServer;

static VALUES: AtomicU64 = AtomicU64::new(0);
static RENDERS: AtomicU64 = AtomicU64::new(0);

#[arbor::cache(tags = ["shared"])]
async fn shared_value() -> u64 {
    VALUES.fetch_add(1, Ordering::SeqCst) + 1
}

async fn data() -> Response {
    Response::json(&serde_json::json!({ "value": shared_value().await }))
}

async fn page() -> Response {
    Response::json(&serde_json::json!({ "render": RENDERS.fetch_add(1, Ordering::SeqCst) + 1 }))
}

async fn revalidate() -> Response {
    revalidate_tag("shared", Profile::Expire).await;
    Response::text("ok")
}

fn app() -> arbor::App {
    arbor::App::new()
        .route(Route::new("/data", "a").handler(Method::Get, data))
        .route(Route::new("/revalidate", "b").handler(Method::Post, revalidate))
        .route(
            Route::new("/page", "c")
                .handler(Method::Get, page)
                .segment_config(SegmentConfig {
                    dynamic: Dynamic::ForceStatic,
                    revalidate: None,
                    dynamic_params: true,
                    generates_params: false,
                }),
        )
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

/// A `redis-server` of this test's own, on a free loopback port, stopped by its PID.
struct Redis {
    child: Child,
    port: u16,
}

impl Redis {
    fn start() -> Redis {
        let port = free_port();
        let child = Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server is installed (.ci/run installs it)");
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "redis-server did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        Redis { child, port }
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn instance(url: &str) -> TestServer {
    let store = RedisStore::new(url).expect("valid URL");
    TestServer::serve(app().cache_store(store)).await
}

#[tokio::test]
async fn instances_share_entries_and_revalidations() {
    let redis = Redis::start();
    let a = instance(&redis.url()).await;
    let b = instance(&redis.url()).await;

    let first = a.get("/data").await.json();
    assert_eq!(b.get("/data").await.json(), first, "b serves what a cached");
    assert_eq!(a.send("POST", "/revalidate", &[], "").await.text(), "ok");
    let fresh = b.get("/data").await.json();
    assert_ne!(fresh, first, "b sees a's revalidation");
    assert_eq!(a.get("/data").await.json(), fresh);

    let page_a = a.get("/page").await;
    let page_b = b.get("/page").await;
    assert_eq!(page_a.header("x-nextjs-cache"), "HIT");
    assert_eq!(page_a.json(), page_b.json(), "one cached page for both");
}

#[tokio::test]
async fn without_redis_requests_are_served_uncached() {
    let url = format!("redis://127.0.0.1:{}/", free_port());
    let server = instance(&url).await;
    let first = server.get("/data").await;
    let second = server.get("/data").await;
    assert_eq!(first.status, 200);
    assert_ne!(first.json(), second.json(), "computed each time");
    let page = server.get("/page").await;
    assert_eq!(page.status, 200);
    assert!(!page.headers.contains_key("x-nextjs-cache"));
}
