//! `cargo run -p middleware-auth`, then:
//!
//! ```text
//! curl -i localhost:3000/dashboard                         # 307 to /login?next=%2Fdashboard
//! curl -i localhost:3000/api/me                            # 401 {"error":"authentication required"}
//! curl -i -c jar -d name=ada localhost:3000/login          # 303 to /dashboard, sets the session
//! curl -i -b jar localhost:3000/dashboard                  # Welcome, ada
//! curl -i -b jar localhost:3000/api/me                     # {"user":"ada"}
//! ```

#[tokio::main]
async fn main() -> std::io::Result<()> {
    arbor::serve(middleware_auth::app::router()).await
}
