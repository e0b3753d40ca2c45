//! Telemetry the Next.js way: `instrumentation.rs` sets OpenTelemetry up in `register()`, and
//! `on_request_error()` hears of every failed request. Arbor's request spans (one per
//! request, target `arbor::request`) reach OpenTelemetry through `tracing-opentelemetry`
//! as they are: `GET /hello/[name]`, kind server, with `http.route`, `http.response.status_code`
//! and an error status for a 5xx.
//!
//! The exporter here keeps the spans in memory, so that `/spans` can show them and the tests
//! can read them; a real app puts an OTLP exporter (`opentelemetry-otlp`) in its place.

pub mod telemetry;

arbor::app!(pub);
