//! `cargo run -p tower-compose`: the Arbor app with CORS and a 10 s timeout, and the axum
//! router behind it. Then:
//!
//! ```text
//! curl -i localhost:3000/hello                       # Arbor, with access-control-allow-origin
//! curl -i localhost:3000/old                         # the axum router behind it
//! curl -i 'localhost:3000/slow?ms=20000'             # 408 after 10 s
//! ```
//!
//! `cargo run -p tower-compose -- axum` serves the other way round: an axum router with the
//! Arbor app inside (`/legacy` is axum's, `/hello` and `/api/hello` Arbor's).

use std::time::Duration;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    if std::env::args().nth(1).as_deref() == Some("axum") {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
        println!("axum, with the Arbor app inside, on http://127.0.0.1:3000");
        return axum::serve(listener, tower_compose::arbor_inside_axum()).await;
    }
    let app = tower_compose::axum_behind_arbor().layer(tower_http::cors::CorsLayer::permissive());
    let app = app.layer(tower_http::timeout::TimeoutLayer::with_status_code(
        arbor::http::StatusCode::REQUEST_TIMEOUT,
        Duration::from_secs(10),
    ));
    arbor::serve(app).await
}
