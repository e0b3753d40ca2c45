//! The tracer: a `tracing` subscriber that logs to stderr and hands every span to
//! OpenTelemetry, whose exporter keeps them in memory.

use std::sync::OnceLock;

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider, SpanData};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::EnvFilter;

static EXPORTER: OnceLock<InMemorySpanExporter> = OnceLock::new();

/// Installs the subscriber, once per process (each server started calls `register()`).
pub fn install() -> Result<(), tracing_subscriber::util::TryInitError> {
    if EXPORTER.get().is_some() {
        return Ok(());
    }
    let exporter = InMemorySpanExporter::default();
    let provider = SdkTracerProvider::builder()
        .with_simple_exporter(exporter.clone())
        .build();
    let tracer = provider.tracer("telemetry-example");
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::registry()
        .with(filter)
        .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
        .with(tracing_opentelemetry::layer().with_tracer(tracer))
        .try_init()?;
    let _ = EXPORTER.set(exporter);
    Ok(())
}

/// Every span exported so far.
pub fn finished() -> Vec<SpanData> {
    EXPORTER
        .get()
        .and_then(|exporter| exporter.get_finished_spans().ok())
        .unwrap_or_default()
}
