//! `PORT=4022 cargo run -p conformance-wave2-base`: the mirror app on the recording's port.

#[tokio::main]
async fn main() -> std::io::Result<()> {
    arbor::serve(conformance_wave2_base::app::router()).await
}
