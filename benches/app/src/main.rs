//! `cargo run --release -p bench-app`: the benchmark workload on `PORT`.

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let app = bench_app::app::router().with_state(bench_app::Store::default());
    arbor::Server::from_env().await?.serve(app).await
}
