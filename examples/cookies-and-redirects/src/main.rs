//! `cargo run -p cookies-and-redirects`, then:
//!
//! ```text
//! curl -i localhost:3000/me                                  # 307 to /login
//! curl -i -c jar -d name=ada localhost:3000/login            # 303 to /me, sets the cookie
//! curl -i -b jar localhost:3000/me                           # {"user":"ada"}
//! curl -i -b jar -X POST localhost:3000/logout               # 307 to /login, deletes it
//! ```

#[tokio::main]
async fn main() -> std::io::Result<()> {
    arbor::serve(cookies_and_redirects::app::router()).await
}
