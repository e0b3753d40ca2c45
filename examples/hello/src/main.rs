//! The smallest Arbor app. `cargo run -p hello`, then `curl localhost:3000/hello`.

arbor::app!();

#[tokio::main]
async fn main() -> std::io::Result<()> {
    arbor::serve(app::router()).await
}
