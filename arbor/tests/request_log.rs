//! The request log: a span per request with the method, the path, the route the router
//! matched and the status, as a `tracing` subscriber (an OpenTelemetry exporter, say) sees it.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use arbor::__codegen::{AppBuilder, Route};
use arbor::prelude::*;
use arbor::routing::Method;
use tower::ServiceExt;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::Layer;

/// The fields of every `request` span, when it closes.
#[derive(Clone, Default)]
struct Spans(Arc<Mutex<Vec<BTreeMap<String, String>>>>);

struct Fields(BTreeMap<String, String>);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl<S> Layer<S> for Spans
where
    S: tracing::Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, cx: Context<'_, S>) {
        let mut fields = Fields(BTreeMap::new());
        attrs.record(&mut fields);
        if let Some(span) = cx.span(id) {
            span.extensions_mut().insert(fields);
        }
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, cx: Context<'_, S>) {
        if let Some(span) = cx.span(id) {
            if let Some(fields) = span.extensions_mut().get_mut::<Fields>() {
                values.record(fields);
            }
        }
    }

    fn on_close(&self, id: Id, cx: Context<'_, S>) {
        if let Some(span) = cx.span(&id) {
            if span.name() == "request" {
                if let Some(fields) = span.extensions_mut().remove::<Fields>() {
                    self.0.lock().unwrap().push(fields.0);
                }
            }
        }
    }
}

async fn item() -> &'static str {
    "item"
}

#[tokio::test]
async fn each_request_has_a_span_with_its_route_and_status() {
    let spans = Spans::default();
    let subscriber = tracing_subscriber::registry().with(spans.clone());
    let _default = tracing::subscriber::set_default(subscriber);

    let app: arbor::App = arbor::App::new()
        .route(Route::new("/items/[id]", "app/items/[id]/route.rs").handler(Method::Get, item));
    for path in ["/items/7", "/nowhere"] {
        let req = http::Request::get(path).body(arbor::Body::empty()).unwrap();
        let _ = app.clone().oneshot(req).await.unwrap();
    }

    let spans = spans.0.lock().unwrap().clone();
    assert_eq!(spans.len(), 2, "{spans:?}");
    let field = |i: usize, name: &str| spans[i].get(name).cloned().unwrap_or_default();
    assert_eq!(field(0, "http.request.method"), "GET");
    assert_eq!(field(0, "url.path"), "/items/7");
    assert_eq!(field(0, "http.route"), "/items/[id]");
    assert_eq!(field(0, "http.response.status_code"), "200");
    assert!(!field(0, "latency_ms").is_empty(), "{spans:?}");
    assert_eq!(field(1, "http.response.status_code"), "404");
    assert_eq!(field(1, "http.route"), "", "no route matched");
}

#[tokio::test]
async fn the_request_log_can_be_turned_off() {
    let spans = Spans::default();
    let subscriber = tracing_subscriber::registry().with(spans.clone());
    let _default = tracing::subscriber::set_default(subscriber);
    let app: arbor::App = arbor::App::new()
        .route(Route::new("/item", "app/item/route.rs").handler(Method::Get, item))
        .request_log(false);
    let req = http::Request::get("/item")
        .body(arbor::Body::empty())
        .unwrap();
    assert_eq!(app.oneshot(req).await.unwrap().status(), StatusCode::OK);
    assert!(spans.0.lock().unwrap().is_empty());
}
