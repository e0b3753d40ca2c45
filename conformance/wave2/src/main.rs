//! `PORT=4020 cargo run -p conformance-wave2`: the mirror app on the recording's port.

#[tokio::main]
async fn main() -> std::io::Result<()> {
    arbor::serve(conformance_wave2::app::router()).await
}
