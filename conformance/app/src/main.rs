//! `cargo run --release -p conformance-app`: serves the mirror of the Next.js reference app on
//! `HOSTNAME`:`PORT` (default `127.0.0.1:3000`). `UPSTREAM_URL` (default
//! `http://127.0.0.1:4011`) is where the proxy's external rewrite goes.

#[tokio::main]
async fn main() -> std::io::Result<()> {
    arbor::init_tracing();
    let upstream =
        std::env::var("UPSTREAM_URL").unwrap_or_else(|_| "http://127.0.0.1:4011".to_owned());
    eprintln!("conformance-app: external rewrites go to {upstream}");
    arbor::serve(conformance_app::app()).await
}
