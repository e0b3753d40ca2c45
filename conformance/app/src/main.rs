//! `cargo run --release -p conformance-app`: serves the mirror of the Next.js reference app on
//! `HOSTNAME`:`PORT` (default `127.0.0.1:3000`). `UPSTREAM_URL` (default
//! `http://127.0.0.1:4011`) is where the proxy's external rewrite goes.

#[tokio::main]
async fn main() -> std::io::Result<()> {
    arbor::init_tracing();
    eprintln!(
        "conformance-app: external rewrites go to {}",
        conformance_app::upstream_url()
    );
    arbor::serve(conformance_app::app()).await
}
