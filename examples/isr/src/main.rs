//! `cargo run -p isr`, then `curl -i localhost:3000/time` (see `x-nextjs-cache`).

#[tokio::main]
async fn main() -> std::io::Result<()> {
    arbor::serve(isr::app::router()).await
}
