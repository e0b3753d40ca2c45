//! `cargo run -p telemetry`, then `curl localhost:3000/hello/ada`, `curl localhost:3000/boom`
//! and `curl localhost:3000/spans`: the spans OpenTelemetry exported.

#[tokio::main]
async fn main() -> std::io::Result<()> {
    // Not `arbor::serve`, which installs its own log subscriber: `register()` in
    // `instrumentation.rs` installs this app's.
    arbor::Server::from_env()
        .await?
        .serve(telemetry::app::router())
        .await
}
