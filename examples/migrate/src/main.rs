//! `cargo run -p migrate`, then `curl -i localhost:3000/blog/1` (a config redirect),
//! `curl localhost:3000/v1/posts` (a config rewrite) and `curl -i localhost:3000/api/posts`
//! (config headers), `curl -N localhost:3000/api/events` (Server-Sent Events).

#[tokio::main]
async fn main() -> std::io::Result<()> {
    arbor::serve(migrate::app()).await
}
