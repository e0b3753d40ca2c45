//! The request spans as OpenTelemetry receives them through `tracing-opentelemetry`.

use arbor_test_support::TestServer;
use opentelemetry::trace::{SpanKind, Status};

fn span_named(name: &str) -> opentelemetry_sdk::trace::SpanData {
    telemetry::telemetry::finished()
        .into_iter()
        .find(|span| span.name == name)
        .unwrap_or_else(|| panic!("no span named {name}"))
}

fn attribute(span: &opentelemetry_sdk::trace::SpanData, key: &str) -> String {
    span.attributes
        .iter()
        .find(|kv| kv.key.as_str() == key)
        .map(|kv| kv.value.to_string())
        .unwrap_or_else(|| panic!("no attribute {key} on {}", span.name))
}

#[tokio::test]
async fn request_spans_reach_opentelemetry_as_server_spans() {
    let server = TestServer::serve(telemetry::app::router()).await;
    assert_eq!(server.get("/hello/ada").await.text(), "hello, ada");
    assert_eq!(server.get("/boom").await.status, 500);
    // Spans end when their request's answer is out: give the last one a moment.
    server.stop().await.expect("clean shutdown");

    let hello = span_named("GET /hello/[name]");
    assert_eq!(hello.span_kind, SpanKind::Server);
    assert_eq!(attribute(&hello, "http.route"), "/hello/[name]");
    assert_eq!(attribute(&hello, "url.path"), "/hello/ada");
    assert_eq!(attribute(&hello, "http.request.method"), "GET");
    assert_eq!(attribute(&hello, "http.response.status_code"), "200");
    assert_eq!(hello.status, Status::Unset);

    let boom = span_named("GET /boom");
    assert_eq!(attribute(&boom, "http.response.status_code"), "500");
    assert!(
        matches!(boom.status, Status::Error { .. }),
        "{:?}",
        boom.status
    );
    // `on_request_error()` logged inside the request's span: the event is exported with it.
    assert!(
        boom.events.iter().any(|e| e.name == "request failed"),
        "{:?}",
        boom.events
    );
}
