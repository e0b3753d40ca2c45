//! `cargo run -p site`, then open <http://localhost:3000>.

#[tokio::main]
async fn main() -> std::io::Result<()> {
    arbor::serve(site::router()).await
}
