//! The middleware over HTTP: matcher, continue, rewrite (internal and proxied), redirect,
//! direct answers, failures, body, cookies, header precedence, wait_until
//! (`nextjs-semantics.md` §2.1, §8).

use std::sync::atomic::Ordering;
use std::time::Duration;

use arbor_test_support::{Reply, TestServer};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use serde_json::json;

async fn start() -> TestServer {
    TestServer::serve(arbor_middleware_tests::app::router()).await
}

fn assert_no_internal_headers(reply: &Reply) {
    for name in reply.headers.keys() {
        assert!(
            !name.as_str().starts_with("x-middleware") && !name.as_str().starts_with("x-arbor"),
            "internal header {name} reached the client"
        );
    }
}

#[tokio::test]
async fn unmatched_paths_skip_the_middleware() {
    let server = start().await;
    let reply = server.get("/echo/a").await;
    assert_eq!(reply.text(), "echo");
    assert!(!reply.headers.contains_key("x-mw-ran"));
}

#[tokio::test]
async fn matcher_sources() {
    let server = start().await;
    for (path, runs) in [
        ("/num/123", true),
        ("/num/abc", false),
        ("/lookahead/go", true),
        ("/lookahead/skip", false),
        ("/flag?mw=on", true),
        ("/flag?mw=yes", true),
        ("/flag?mw=off", false),
        ("/flag?mw=no&mw=on", true),
        ("/flag", false),
        ("/header", false),
        ("/anon", true),
        ("/NUM/123", false),
        ("/num/123.json", true),
        ("/caf%C3%A9", true),
    ] {
        let reply = server.get(path).await;
        assert_eq!(reply.headers.contains_key("x-mw-ran"), runs, "{path}");
    }
    let reply = server.send("GET", "/header", &[("x-key", "1")], "").await;
    assert_eq!(reply.header("x-mw-ran"), "/header");
    let reply = server
        .send("GET", "/anon", &[("cookie", "session=1")], "")
        .await;
    assert!(!reply.headers.contains_key("x-mw-ran"));
    let reply = server
        .send("GET", "/host", &[("host", "localhost:1")], "")
        .await;
    assert_eq!(reply.header("x-mw-ran"), "/host");
    let reply = server
        .send("GET", "/host", &[("host", "example.com")], "")
        .await;
    assert!(!reply.headers.contains_key("x-mw-ran"));
}

#[tokio::test]
async fn redirects_run_before_the_middleware_so_a_trailing_slash_cannot_skip_it() {
    let server = start().await;
    let reply = server.get("/admin/").await;
    assert_eq!(reply.status, 308);
    assert_eq!(reply.header("location"), "/admin");
    let reply = server.get("/admin").await;
    assert_eq!(reply.status, 307);
    // Same origin: `Location` made relative, the body is the destination, no `Refresh`.
    assert_eq!(reply.header("location"), "/login?next=%2Fadmin");
    assert_eq!(reply.text(), "/login?next=%2Fadmin");
    assert!(!reply.headers.contains_key("refresh"));
    let reply = server.get("/admin/settings").await;
    assert_eq!(reply.status, 307);
    let admin = [("cookie", "session=1")];
    let reply = server.send("GET", "/admin/settings", &admin, "").await;
    assert_eq!(reply.text(), "settings");
    assert_eq!(reply.header("x-admin"), "yes");
}

#[tokio::test]
async fn direct_answer_and_replaced_request_headers() {
    let server = start().await;
    let reply = server.get("/api/data").await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.json(), json!({ "error": "authentication required" }));
    // A path without a route gets the middleware's answer too.
    assert_eq!(server.get("/api/nothing").await.status, 401);
    let reply = server
        .send("GET", "/api/data", &[("authorization", "Bearer ada")], "")
        .await;
    assert_eq!(
        reply.json(),
        json!({ "user": "ada", "authorization": null })
    );
    // Replaced request headers leave no trace in the answer (nextjs-tests-gap M4).
    assert_no_internal_headers(&reply);
}

#[tokio::test]
async fn internal_rewrite_keeps_method_body_and_adds_headers_and_cookies() {
    let server = start().await;
    let reply = server
        .send("POST", "/rewrite/abc?ignored=1", &[], "payload")
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.json(),
        json!({
            "method": "POST",
            "pathname": "/target",
            "search": "?from=abc",
            "body": "payload",
            "rewritten": "1",
            "cookie": "r",
        })
    );
    assert_eq!(reply.header("x-rewritten"), "1");
    assert_eq!(reply.header_all("set-cookie"), ["rewrite-cookie=r; Path=/"]);
    assert_no_internal_headers(&reply);
}

/// A loopback upstream answering as the conformance README describes.
async fn upstream(delay: Duration) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let service =
                    hyper::service::service_fn(move |req: hyper::Request<Incoming>| async move {
                        tokio::time::sleep(delay).await;
                        let (parts, body) = req.into_parts();
                        let body = body
                            .collect()
                            .await
                            .map(|b| b.to_bytes())
                            .unwrap_or_default();
                        let headers: serde_json::Map<String, serde_json::Value> = parts
                            .headers
                            .iter()
                            .filter(|(n, _)| n.as_str().starts_with("x-") || n.as_str() == "host")
                            .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or("").into()))
                            .collect();
                        let answer = json!({
                            "method": parts.method.as_str(),
                            "url": parts.uri.to_string(),
                            "headers": headers,
                            "body": String::from_utf8_lossy(&body),
                        });
                        hyper::Response::builder()
                            .status(201)
                            .header("content-type", "application/json")
                            .header("x-upstream", "yes")
                            .body(Full::new(Bytes::from(answer.to_string())))
                    });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    addr
}

#[tokio::test]
async fn external_rewrite_proxies_method_body_and_forwarded_headers() {
    let server = start().await;
    let up = upstream(Duration::ZERO).await;
    let up_text = up.to_string();
    let headers = [("x-test-upstream", up_text.as_str()), ("x-test", "hello")];
    let reply = server
        .send("POST", "/external/items?x=1", &headers, "sent")
        .await;
    assert_eq!(reply.status, 201);
    assert_eq!(reply.header("x-upstream"), "yes");
    let port = server.addr.port().to_string();
    let body = reply.json();
    assert_eq!(body["method"], "POST");
    assert_eq!(body["url"], "/items?via=proxy");
    assert_eq!(body["body"], "sent");
    assert_eq!(body["headers"]["host"], up_text);
    assert_eq!(body["headers"]["x-test"], "hello");
    assert_eq!(body["headers"]["x-forwarded-for"], "127.0.0.1");
    assert_eq!(
        body["headers"]["x-forwarded-host"],
        format!("127.0.0.1:{port}")
    );
    assert_eq!(body["headers"]["x-forwarded-port"], port);
    assert_eq!(body["headers"]["x-forwarded-proto"], "http");
    assert!(body["headers"].get("x-arbor-rewrite-hops").is_none());
    assert_no_internal_headers(&reply);
}

#[tokio::test]
async fn failing_upstreams_are_502_and_504() {
    let app = arbor_middleware_tests::app::router().proxy_timeout(Duration::from_millis(200));
    let server = TestServer::serve(app).await;
    // Nothing listens on the discard port of loopback.
    let reply = server
        .send(
            "GET",
            "/external/x",
            &[("x-test-upstream", "127.0.0.1:9")],
            "",
        )
        .await;
    assert_eq!(reply.status, 502);
    let slow = upstream(Duration::from_secs(5)).await.to_string();
    let reply = server
        .send(
            "GET",
            "/external/x",
            &[("x-test-upstream", slow.as_str())],
            "",
        )
        .await;
    assert_eq!(reply.status, 504);
}

#[tokio::test]
async fn a_rewrite_that_loops_back_is_cut_off() {
    let server = start().await;
    let reply = server.get("/loop").await;
    assert_eq!(reply.status, 500);
    assert_eq!(reply.text(), "Internal Server Error");
}

#[tokio::test]
async fn a_client_cannot_set_the_rewrite_hop_count() {
    let server = start().await;
    let up = upstream(Duration::ZERO).await.to_string();
    for forged in ["8", "99", "8.0123456789abcdef"] {
        let headers = [
            ("x-test-upstream", up.as_str()),
            ("x-arbor-rewrite-hops", forged),
        ];
        let reply = server.send("POST", "/external/items", &headers, "").await;
        assert_eq!(reply.status, 201, "hops {forged}");
        assert!(reply.json()["headers"]
            .get("x-arbor-rewrite-hops")
            .is_none());
    }
    let reply = server
        .send("GET", "/loop", &[("x-arbor-rewrite-hops", "0")], "")
        .await;
    assert_eq!(reply.status, 500, "a loop is still cut off");
}

#[tokio::test]
async fn middleware_headers_win_except_those_that_add_up() {
    let server = start().await;
    let reply = server.get("/conflict").await;
    // The handler sees the middleware's header on its request.
    assert_eq!(reply.text(), "seen: from-middleware");
    assert_eq!(reply.header("x-conflict"), "from-middleware");
    assert_eq!(reply.header_all("vary"), ["x-mw", "x-handler"]);
    assert_eq!(
        reply.header_all("set-cookie"),
        ["mw=1; Path=/", "handler=1; Path=/"]
    );
}

#[tokio::test]
async fn body_is_read_by_both_and_limited() {
    let server = start().await;
    let reply = server.send("POST", "/body", &[], "hello").await;
    assert_eq!(reply.text(), "hello");
    assert_eq!(reply.header("x-mw-saw-body"), "hello");
    let small = TestServer::serve(arbor_middleware_tests::app::router().body_limit(8)).await;
    let reply = small
        .send("POST", "/body", &[], "far more than eight bytes")
        .await;
    assert_eq!(reply.status, 413);
}

#[tokio::test]
async fn failures_are_500_text_and_the_server_lives_on() {
    let server = start().await;
    for path in ["/fail", "/panic"] {
        let reply = server.get(path).await;
        assert_eq!(reply.status, 500, "{path}");
        assert_eq!(reply.header("content-type"), "text/plain");
        assert_eq!(
            reply.header("cache-control"),
            "private, no-cache, no-store, max-age=0, must-revalidate"
        );
        assert_eq!(reply.text(), "Internal Server Error");
    }
    assert_eq!(server.get("/echo/alive").await.status, 200);
}

#[tokio::test]
async fn shutdown_waits_for_wait_until_work() {
    let server = start().await;
    let before = arbor_middleware_tests::BACKGROUND_DONE.load(Ordering::SeqCst);
    let reply = server.get("/wait").await;
    assert_eq!(reply.text(), "answered before the work finished");
    assert_eq!(
        arbor_middleware_tests::BACKGROUND_DONE.load(Ordering::SeqCst),
        before
    );
    server.stop().await.expect("clean shutdown");
    assert_eq!(
        arbor_middleware_tests::BACKGROUND_DONE.load(Ordering::SeqCst),
        before + 1
    );
}

#[tokio::test]
async fn shutdown_waits_for_after_work() {
    let server = start().await;
    let done = || arbor_middleware_tests::AFTER_DONE.load(Ordering::SeqCst);
    let before = done();
    let reply = server.get("/after").await;
    assert_eq!(reply.text(), "answered before the after() work");
    assert_eq!(done(), before);
    server.stop().await.expect("clean shutdown");
    assert_eq!(done(), before + 1);
}

#[tokio::test]
async fn without_a_matcher_the_middleware_runs_for_every_request() {
    use arbor::__codegen::{AppBuilder, Route};
    use arbor::middleware::Next;
    use arbor::prelude::*;
    async fn everywhere(req: Request) -> Next {
        Next::new().with_header("x-seen", req.pathname())
    }
    async fn hello() -> &'static str {
        "hello"
    }
    let app = arbor::App::new()
        .route(
            Route::new("/hello", "app/hello/route.rs").handler(arbor::routing::Method::Get, hello),
        )
        .middleware(everywhere, None);
    let server = TestServer::serve(app).await;
    assert_eq!(server.get("/hello").await.header("x-seen"), "/hello");
    let missing = server.get("/_next/static/x.js").await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.header("x-seen"), "/_next/static/x.js");
}

#[tokio::test]
async fn instrumentation_registers_once_and_hears_of_every_failure() {
    use arbor_middleware_tests::{Reported, REGISTERED, REPORTS};
    let before = REGISTERED.load(Ordering::SeqCst);
    let server = start().await;
    let test = "instrumentation-test";
    for (method, path) in [
        ("GET", "/broken?x=1"),
        ("POST", "/broken"),
        ("GET", "/fail"),
        ("GET", "/panic"),
    ] {
        let reply = server.send(method, path, &[("x-test", test)], "").await;
        assert_eq!(reply.status, 500, "{method} {path}");
    }
    // Answers that are not failures are not reported.
    assert_eq!(
        server
            .send("GET", "/echo/x", &[("x-test", test)], "")
            .await
            .status,
        200
    );
    let reports: Vec<Reported> = REPORTS
        .lock()
        .expect("reports")
        .iter()
        .filter(|r| r.test == test)
        .cloned()
        .collect();
    let seen: Vec<(&str, bool, &str, &str, &str)> = reports
        .iter()
        .map(|r| {
            (
                r.message.as_str(),
                r.panicked,
                r.path.as_str(),
                r.route_path.as_str(),
                r.route_type,
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (
                "the handler failed",
                false,
                "/broken?x=1",
                "/broken",
                "route"
            ),
            ("the handler panicked", true, "/broken", "/broken", "route"),
            ("the middleware failed", false, "/fail", "/fail", "proxy"),
            ("the middleware panicked", true, "/panic", "/panic", "proxy"),
        ]
    );
    // The server answered, so it had started: its register() ran (other tests start servers
    // at the same time, so the count says at least that).
    assert!(
        REGISTERED.load(Ordering::SeqCst) > before,
        "register() ran at start-up"
    );
}

/// Behaviours Next.js's own proxy tests assert (`shared/reference/nextjs-tests-gap.md`).
mod parity {
    use super::*;
    use arbor_middleware_tests::STREAMS_DROPPED;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// S3: a redirect keeps its `#fragment`.
    #[tokio::test]
    async fn a_redirect_keeps_its_fragment() {
        let server = start().await;
        let reply = server.get("/parity/fragment").await;
        assert_eq!(reply.status, 307);
        assert_eq!(reply.header("location"), "/target#section");
    }

    /// S2 and M11: a hand-made redirect with a relative Location, and a 200 with a Location,
    /// go out as they are.
    #[tokio::test]
    async fn hand_made_locations_go_out_as_they_are() {
        let server = start().await;
        let relative = server.get("/parity/relative-location").await;
        assert_eq!(relative.status, 307);
        assert_eq!(relative.header("location"), "/new-home");
        let ok = server.get("/parity/location-200").await;
        assert_eq!(ok.status, 200);
        assert_eq!(ok.header("location"), "/elsewhere");
        assert_eq!(ok.json(), json!({ "ok": true }));
    }

    /// N1: a direct answer's two cookies are both sent.
    #[tokio::test]
    async fn a_direct_answer_sends_both_its_cookies() {
        let server = start().await;
        let reply = server.get("/parity/two-cookies").await;
        assert_eq!(
            reply.header_all("set-cookie"),
            ["a=1; Path=/", "b=2; Path=/"]
        );
    }

    /// N2 and E2: a streamed direct answer streams, and its stream is dropped when the
    /// client goes away.
    #[tokio::test]
    async fn a_streamed_direct_answer_stops_when_its_client_leaves() {
        let server = start().await;
        let before = STREAMS_DROPPED.load(Ordering::SeqCst);
        let mut stream = tokio::net::TcpStream::connect(server.addr)
            .await
            .expect("connects");
        stream
            .write_all(b"GET /parity/stream HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .expect("writes");
        let mut seen = String::new();
        let mut buf = [0u8; 1024];
        tokio::time::timeout(Duration::from_secs(20), async {
            while !seen.contains("tick 2") {
                let n = stream.read(&mut buf).await.expect("reads");
                assert!(n > 0, "closed early: {seen}");
                seen.push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        })
        .await
        .expect("ticks arrive");
        assert!(seen.starts_with("HTTP/1.1 200"), "{seen}");
        drop(stream);
        let mut dropped = false;
        for _ in 0..200 {
            if STREAMS_DROPPED.load(Ordering::SeqCst) > before {
                dropped = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        assert!(dropped, "the stream was dropped");
    }

    /// L2: the middleware sees `x-forwarded-host`, `-port` and `-proto`.
    #[tokio::test]
    async fn the_middleware_sees_the_forwarded_headers() {
        let server = start().await;
        let seen = server.get("/parity/forwarded").await.json();
        assert_eq!(seen["host"], format!("127.0.0.1:{}", server.addr.port()));
        assert_eq!(seen["port"], server.addr.port().to_string());
        assert_eq!(seen["proto"], "http");
    }

    /// M5: draft mode switched on in the proxy sets its cookie.
    #[tokio::test]
    async fn draft_mode_in_the_proxy() {
        let server = start().await;
        let reply = server.get("/parity/draft").await;
        assert_eq!(reply.header("x-draft"), "on");
        let cookies = reply.header_all("set-cookie");
        assert_eq!(cookies.len(), 1, "{cookies:?}");
        assert!(cookies[0].starts_with("__prerender_bypass="), "{cookies:?}");
        assert!(cookies[0].ends_with("; Path=/; Secure; HttpOnly; SameSite=none"));
    }

    /// M8: a proxy cookie keeps `Secure` and `HttpOnly` on the route's answer.
    #[tokio::test]
    async fn proxy_cookie_attributes_survive() {
        let server = start().await;
        let reply = server.get("/parity/cookie-options").await;
        assert_eq!(
            reply.header_all("set-cookie"),
            ["sid=1; Path=/; Secure; HttpOnly"]
        );
    }

    /// R3: a rewrite's cookie with a max-age is one Set-Cookie line.
    #[tokio::test]
    async fn a_rewrite_cookie_with_a_max_age_is_one_line() {
        let server = start().await;
        let reply = server.get("/parity/rewrite-max-age").await;
        assert_eq!(reply.json()["pathname"], "/target");
        let cookies = reply.header_all("set-cookie");
        assert_eq!(cookies.len(), 1, "{cookies:?}");
        assert!(
            cookies[0].starts_with("ab=b; Path=/; Expires="),
            "{cookies:?}"
        );
        assert!(cookies[0].ends_with("; Max-Age=60"), "{cookies:?}");
    }

    /// R4: paths with a colon, asked for and rewritten to.
    #[tokio::test]
    async fn paths_with_a_colon() {
        let server = start().await;
        assert_eq!(server.get("/colon/c:d").await.json()["name"], "c:d");
        let rewritten = server.get("/parity/colon").await.json();
        assert_eq!(rewritten["name"], "a:b");
        assert_eq!(rewritten["path"], "/colon/a:b");
    }

    /// Q4: a relative rewrite is a path of this app (Next.js refuses it).
    #[tokio::test]
    async fn a_relative_rewrite_is_a_path_of_this_app() {
        let server = start().await;
        let reply = server.get("/parity/relative-rewrite").await.json();
        assert_eq!(reply["pathname"], "/target");
        assert_eq!(reply["search"], "?relative=1");
    }

    /// P2, P3 and P5: `missing` on a query key; `has` on a header value and a cookie value,
    /// each both ways (a path with no route: the 404 carries the middleware's header when it
    /// ran).
    #[tokio::test]
    async fn conditions_on_query_header_and_cookie_values() {
        let server = start().await;
        let ran = |reply: &Reply| reply.headers.contains_key("x-mw-ran");
        assert!(ran(&server.get("/missing-query").await));
        assert!(!ran(&server.get("/missing-query?skip=1").await));
        for (path, header, value, runs) in [
            ("/header-value", "x-role", "owner", true),
            ("/header-value", "x-role", "guest", false),
            ("/logged-in", "cookie", "loggedIn=true", true),
            ("/logged-in", "cookie", "loggedIn=false", false),
        ] {
            let reply = server.send("GET", path, &[(header, value)], "").await;
            assert_eq!(ran(&reply), runs, "{path} {header}: {value}");
        }
    }
}

/// A35: a route handler in a folder named `robots.txt` serves its text as written.
#[tokio::test]
async fn a_route_folder_named_like_a_metadata_file() {
    let server = start().await;
    let reply = server.get("/robots.txt").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), "text/plain");
    assert_eq!(reply.text(), "User-agent: *\nDisallow: /admin\n");
}

/// A cached route whose background regeneration fails is reported, with `Stale` as the
/// reason and its path as the request; the stale entry is still served.
#[tokio::test]
async fn a_failed_regeneration_is_reported() {
    use arbor_middleware_tests::REPORTS;
    let server = start().await;
    let first = server.get("/isr-fail/reported").await;
    assert_eq!(first.text(), "first render");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let stale = server.get("/isr-fail/reported").await;
    assert_eq!(stale.header("x-nextjs-cache"), "STALE");
    assert_eq!(stale.text(), "first render");
    for _ in 0..200 {
        let found = REPORTS
            .lock()
            .expect("reports")
            .iter()
            .find(|r| r.test == "background")
            .cloned();
        if let Some(report) = found {
            assert_eq!(report.message, "the regeneration failed");
            assert_eq!(report.path, "/isr-fail/reported");
            assert_eq!(report.route_path, "/isr-fail/[key]");
            assert_eq!(report.route_type, "route");
            assert_eq!(report.revalidate.as_deref(), Some("Stale"));
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the failed regeneration was not reported");
}
