//! `cargo run`, then `curl localhost:3000/hello/you`. `arbor dev` rebuilds on save.

#[tokio::main]
async fn main() -> std::io::Result<()> {
    arbor::serve({{crate}}::app::router()).await
}
