//! The request path in-process: an app built by hand, asked with `tower::ServiceExt::oneshot`,
//! no socket. The HTTP behaviour suite (`tests/app`, `tests/middleware`) asks over real
//! connections; these pin each stage on its own.

use std::sync::atomic::{AtomicUsize, Ordering};

use arbor::__codegen::{AppBuilder, Route, SegmentConfig};
use arbor::cache::{Dynamic, Revalidate};
use arbor::middleware::{Next, Outcome, Rewrite};
use arbor::prelude::*;
use arbor::routing::{Method, Param};
use bytes::Bytes;
use http::HeaderMap;
use http_body_util::BodyExt;
use tower::ServiceExt;

/// An answer, read whole.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Answer {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    fn text(&self) -> &str {
        std::str::from_utf8(&self.body).unwrap_or("")
    }
}

async fn ask(app: &arbor::App, method: &str, path: &str, headers: &[(&str, &str)]) -> Answer {
    let mut req = http::Request::builder().method(method).uri(path);
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let req = req.body(arbor::Body::empty()).expect("a valid request");
    let response = app.clone().oneshot(req).await.expect("infallible");
    let (parts, body) = response.into_parts();
    Answer {
        status: parts.status,
        headers: parts.headers,
        body: body.collect().await.expect("a body").to_bytes(),
    }
}

async fn get(app: &arbor::App, path: &str) -> Answer {
    ask(app, "GET", path, &[]).await
}

async fn hello() -> &'static str {
    "hello"
}

fn one<H, T>(pattern: &'static str, method: Method, route: H) -> arbor::App
where
    H: arbor::handler::Handler<T, ()>,
    T: 'static,
{
    arbor::App::new().route(Route::new(pattern, "app/route.rs").handler(method, route))
}

#[tokio::test]
async fn normalise_redirects_untidy_paths_and_refuses_bad_escapes() {
    let app = one("/a/b", Method::Get, hello);
    let untidy = get(&app, "/a//b/?x=1").await;
    assert_eq!(untidy.status, 308);
    assert_eq!(untidy.header("location"), "/a/b?x=1");
    assert_eq!(untidy.header("refresh"), "0;url=/a/b?x=1");
    assert_eq!(get(&app, "/a/%zz").await.status, 400);
    assert_eq!(get(&app, "/a/b").await.text(), "hello");
}

#[tokio::test]
async fn dispatch_answers_what_the_route_does_not_export() {
    let app = one("/only-get", Method::Get, hello);
    let put = ask(&app, "PUT", "/only-get", &[]).await;
    assert_eq!(put.status, 405);
    assert_eq!(put.header("allow"), "GET, HEAD, OPTIONS");
    let options = ask(&app, "OPTIONS", "/only-get", &[]).await;
    assert_eq!(options.status, 204);
    assert_eq!(options.header("allow"), "GET, HEAD, OPTIONS");
    assert_eq!(ask(&app, "PROPFIND", "/only-get", &[]).await.status, 501);
    let head = ask(&app, "HEAD", "/only-get", &[]).await;
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("content-length"), "5");
}

#[tokio::test]
async fn unmatched_paths_get_the_page_or_plain_text() {
    let app = one("/here", Method::Get, hello);
    let page = get(&app, "/there").await;
    assert_eq!(page.status, 404);
    assert_eq!(page.header("content-type"), "text/html; charset=utf-8");
    let image = ask(&app, "GET", "/there", &[("sec-fetch-dest", "image")]).await;
    assert_eq!(image.status, 404);
    assert_eq!(image.text(), "Not Found");
}

#[tokio::test]
async fn an_error_keeps_the_status_it_was_given() {
    async fn unavailable() -> Result<Response> {
        Err(Error::new(StatusCode::SERVICE_UNAVAILABLE, "maintenance"))
    }
    let app = one("/down", Method::Get, unavailable);
    let answer = get(&app, "/down").await;
    assert_eq!(answer.status, 503);
    assert_eq!(answer.text(), r#"{"error":"maintenance"}"#);
}

#[tokio::test]
async fn every_redirect_writes_its_location_one_way() {
    async fn helper() -> Result<Response> {
        Err(redirect("/café?q=a b"))
    }
    async fn response() -> Response {
        Response::redirect("/café?q=a b")
    }
    let app = arbor::App::new()
        .route(Route::new("/helper", "a").handler(Method::Get, helper))
        .route(Route::new("/response", "b").handler(Method::Get, response));
    for path in ["/helper", "/response"] {
        let answer = get(&app, path).await;
        assert_eq!(answer.status, 307, "{path}");
        assert_eq!(answer.header("location"), "/caf%C3%A9?q=a%20b", "{path}");
    }
}

/// `Params` of `/items/[id]`, as `arbor-build` generates them.
#[derive(Debug, Clone, PartialEq, Eq)]
struct IdParams {
    id: Param,
}

impl arbor::__codegen::FromParams for IdParams {
    const PATTERN: &'static str = "/items/[id]";
    fn from_params(params: &arbor::__codegen::Params) -> Self {
        IdParams {
            id: Param::new("id", params.one(0)),
        }
    }
    fn to_path(&self) -> String {
        arbor::__codegen::build_path(&[
            arbor::__codegen::PathPart::Static("items"),
            arbor::__codegen::PathPart::One(&self.id),
        ])
    }
}

#[tokio::test]
async fn a_segment_that_does_not_parse_is_the_clients_mistake() {
    async fn item(ctx: RouteContext<IdParams>) -> Result<Response> {
        let id: u32 = ctx.params.id.parse()?;
        Ok(Response::json(&serde_json::json!({ "id": id })))
    }
    let app = one("/items/[id]", Method::Get, item);
    assert_eq!(get(&app, "/items/7").await.text(), r#"{"id":7}"#);
    let bad = get(&app, "/items/seven").await;
    assert_eq!(bad.status, 400);
    assert_eq!(
        bad.text(),
        r#"{"error":"invalid `id` in the URL (\"seven\"): invalid digit found in string"}"#
    );
}

#[tokio::test]
async fn a_revalidate_time_beyond_a_year_has_no_stale_time() {
    async fn page() -> &'static str {
        "cached"
    }
    let app = arbor::App::new().route(
        Route::new("/long", "a")
            .handler(Method::Get, page)
            .segment_config(SegmentConfig {
                dynamic: Dynamic::Auto,
                revalidate: Some(Revalidate::Seconds(40_000_000)),
                dynamic_params: true,
                generates_params: false,
            }),
    );
    let answer = get(&app, "/long").await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("cache-control"), "s-maxage=40000000");
}

#[tokio::test]
async fn every_spelling_of_a_path_is_one_cached_entry() {
    static RENDERS: AtomicUsize = AtomicUsize::new(0);
    async fn item(ctx: RouteContext<IdParams>) -> String {
        RENDERS.fetch_add(1, Ordering::SeqCst);
        format!("item {}", ctx.params.id)
    }
    async fn known() -> Vec<IdParams> {
        vec![IdParams { id: "a~".into() }, IdParams { id: "café".into() }]
    }
    let app = arbor::App::new().route(
        Route::new("/items/[id]", "a")
            .handler(Method::Get, item)
            .segment_config(SegmentConfig {
                dynamic: Dynamic::Auto,
                revalidate: None,
                dynamic_params: false,
                generates_params: true,
            })
            .static_params(known),
    );
    app.prerender().await.expect("prerendered");
    let rendered = RENDERS.load(Ordering::SeqCst);
    for path in ["/items/a~", "/items/a%7E", "/items/a%7e"] {
        let answer = get(&app, path).await;
        assert_eq!(answer.status, 200, "{path}");
        assert_eq!(answer.text(), "item a~", "{path}");
        assert_eq!(answer.header("x-nextjs-cache"), "HIT", "{path}");
    }
    for path in ["/items/caf%C3%A9", "/items/caf%c3%a9"] {
        let answer = get(&app, path).await;
        assert_eq!(answer.header("x-nextjs-cache"), "HIT", "{path}");
        assert_eq!(answer.text(), "item café", "{path}");
    }
    assert_eq!(
        RENDERS.load(Ordering::SeqCst),
        rendered,
        "no path rendered twice"
    );
    assert_eq!(get(&app, "/items/b").await.status, 404);
}

#[tokio::test]
async fn the_body_limit_refuses_what_it_is_told_is_too_large() {
    async fn echo(mut req: Request) -> Result<Response> {
        Ok(Response::bytes(req.bytes().await?))
    }
    let app = one("/echo", Method::Post, echo).body_limit(4);
    let req = http::Request::post("/echo")
        .header("content-length", "10")
        .body(arbor::Body::from("0123456789"))
        .expect("a valid request");
    let response = app.clone().oneshot(req).await.expect("infallible");
    assert_eq!(response.status(), 413);
    let req = http::Request::post("/echo")
        .body(arbor::Body::from("0123456789"))
        .expect("a valid request");
    let response = app.clone().oneshot(req).await.expect("infallible");
    assert_eq!(response.status(), 413, "past the limit while reading");
}

#[tokio::test]
async fn the_middleware_continues_rewrites_or_answers() {
    async fn proxy(req: Request) -> Result<Outcome> {
        Ok(match req.pathname() {
            "/secret" => Error::unauthorized("who are you").into(),
            "/moved" => Rewrite::to("/target")
                .with_header("x-rewritten", "1")
                .into(),
            "/fail" => return Err(Error::internal_message("the middleware failed")),
            _ => Next::new().with_header("x-mw", "1").into(),
        })
    }
    async fn target(req: Request) -> String {
        format!(
            "{} saw x-mw={}",
            req.pathname(),
            req.header("x-mw").unwrap_or("-")
        )
    }
    let app = arbor::App::new()
        .route(Route::new("/target", "a").handler(Method::Get, target))
        .route(Route::new("/moved", "b").handler(Method::Get, hello))
        .middleware(proxy, None);
    let next = get(&app, "/target").await;
    assert_eq!(next.text(), "/target saw x-mw=1");
    assert_eq!(next.header("x-mw"), "1");
    // The matcher takes every path, so the middleware runs again for the one it rewrote to,
    // as in Next.js: both runs' headers arrive.
    let rewritten = get(&app, "/moved").await;
    assert_eq!(rewritten.text(), "/target saw x-mw=1");
    assert_eq!(rewritten.header("x-rewritten"), "1");
    assert_eq!(rewritten.header("x-mw"), "1");
    let secret = get(&app, "/secret").await;
    assert_eq!(secret.status, 401);
    assert_eq!(secret.text(), r#"{"error":"who are you"}"#);
    let failed = get(&app, "/fail").await;
    assert_eq!(failed.status, 500);
    assert_eq!(failed.text(), "Internal Server Error");
    // A 405 from the route still carries the middleware's header.
    let wrong = ask(&app, "DELETE", "/target", &[]).await;
    assert_eq!(wrong.status, 405);
    assert_eq!(wrong.header("x-mw"), "1");
}

#[tokio::test]
async fn a_panic_is_a_500_and_the_app_answers_on() {
    async fn boom() -> &'static str {
        panic!("the handler broke")
    }
    async fn proxy(req: Request) -> Next {
        assert_ne!(req.pathname(), "/mw-boom", "the middleware broke");
        Next::new()
    }
    let app = arbor::App::new()
        .route(Route::new("/boom", "a").handler(Method::Get, boom))
        .route(Route::new("/fine", "b").handler(Method::Get, hello))
        .middleware(proxy, None);
    let answer = get(&app, "/boom").await;
    assert_eq!(answer.status, 500);
    assert!(answer.body.is_empty());
    let answer = get(&app, "/mw-boom").await;
    assert_eq!(answer.status, 500);
    assert_eq!(answer.text(), "Internal Server Error");
    assert_eq!(get(&app, "/fine").await.text(), "hello");
}

#[tokio::test]
async fn the_fallback_service_gets_what_no_route_has_after_the_middleware() {
    async fn proxy() -> Next {
        Next::new().with_header("x-mw", "1")
    }
    let fallback = tower::service_fn(|req: http::Request<arbor::Body>| async move {
        let seen = req
            .headers()
            .get("x-mw")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("-")
            .to_owned();
        Ok::<_, std::convert::Infallible>(Response::text(format!("fallback saw x-mw={seen}")))
    });
    let app = one("/here", Method::Get, hello)
        .middleware(proxy, None)
        .fallback_service(fallback);
    let answer = get(&app, "/elsewhere").await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.text(), "fallback saw x-mw=1");
    assert_eq!(answer.header("x-mw"), "1");
    assert_eq!(get(&app, "/here").await.text(), "hello");
}

#[tokio::test]
async fn a_compressed_stream_ends_whole() {
    use http_body_util::BodyExt;
    // `unfold` panics if polled after its end, as compression does to look for trailers.
    async fn streamed() -> Response {
        let parts = futures_util::stream::unfold(0, |i| async move {
            (i < 3).then(|| (Ok::<_, std::io::Error>(format!("part{i}\n")), i + 1))
        });
        Response::stream(parts).with_header("content-type", "text/plain")
    }
    let app = one("/s", Method::Get, streamed);
    let req = http::Request::get("/s")
        .header("accept-encoding", "gzip")
        .body(arbor::Body::empty())
        .expect("a valid request");
    let response = app.clone().oneshot(req).await.expect("infallible");
    assert_eq!(response.headers()["content-encoding"], "gzip");
    let gzipped = response
        .into_body()
        .collect()
        .await
        .expect("a whole body")
        .to_bytes();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gzipped[..]), &mut text)
        .expect("a whole gzip stream");
    assert_eq!(text, "part0\npart1\npart2\n");
}

#[tokio::test]
async fn a_failing_register_stops_start_up_with_its_message() {
    let app = one("/hello", Method::Get, hello)
        .register(|| async { Err::<(), _>("the exporter is unreachable") });
    let err = app.prerender().await.expect_err("start-up stops");
    assert_eq!(
        err.to_string(),
        "instrumentation.rs: register() failed, so the server does not start: the exporter is unreachable"
    );
    let ran = std::sync::Arc::new(AtomicUsize::new(0));
    let counted = ran.clone();
    let app = one("/hello", Method::Get, hello).register(move || {
        counted.fetch_add(1, Ordering::SeqCst);
        async {}
    });
    app.prerender().await.expect("starts");
    assert_eq!(ran.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_layer_at_a_prefix_sees_only_the_paths_under_it() {
    use tower_http::cors::{Any, CorsLayer};
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([http::Method::POST]);
    let app = arbor::App::new()
        .route(Route::new("/api/items", "a").handler(Method::Post, hello))
        .route(Route::new("/apix", "b").handler(Method::Post, hello))
        .layer_at("/api", cors);
    let preflight = [
        ("origin", "https://app.example"),
        ("access-control-request-method", "POST"),
    ];
    let under = ask(&app, "OPTIONS", "/api/items", &preflight).await;
    assert_eq!(under.status, 200, "CorsLayer answers the preflight");
    assert_eq!(under.header("access-control-allow-origin"), "*");
    assert_eq!(under.header("access-control-allow-methods"), "POST");
    let beside = ask(&app, "OPTIONS", "/apix", &preflight).await;
    assert_eq!(beside.status, 204, "Arbor's own OPTIONS");
    assert_eq!(beside.header("access-control-allow-origin"), "");
    assert_eq!(beside.header("allow"), "OPTIONS, POST");
    let posted = ask(
        &app,
        "POST",
        "/api/items",
        &[("origin", "https://app.example")],
    )
    .await;
    assert_eq!(posted.text(), "hello");
    assert_eq!(posted.header("access-control-allow-origin"), "*");
}

/// A route that exports no method (a build warning says so) answers 405 to every method but
/// OPTIONS, as Next.js does (nextjs-tests-gap A36).
#[tokio::test]
async fn a_route_without_methods_answers_405() {
    let app = arbor::App::new().route(Route::new("/empty", "app/empty/route.rs"));
    for method in ["GET", "POST", "DELETE"] {
        let answer = ask(&app, method, "/empty", &[]).await;
        assert_eq!(answer.status, 405, "{method}");
        assert_eq!(answer.header("allow"), "OPTIONS");
    }
    assert_eq!(ask(&app, "OPTIONS", "/empty", &[]).await.status, 204);
}
