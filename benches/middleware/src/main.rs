//! `bench-middleware with|without`: serves the benchmark app on `PORT`, with its `proxy.rs`
//! or with the same routes and no middleware. `benches/middleware/run.sh` drives it.

use arbor::__codegen::{AppBuilder, Route};
use arbor::routing::Method;

arbor::app!();

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let app = match std::env::args().nth(1).as_deref() {
        // The same routes, by hand, without the middleware.
        Some("without") => arbor::App::new()
            .route(
                Route::new("/hello", "app/hello/route.rs")
                    .handler(Method::Get, app::hello::route::GET),
            )
            .route(
                Route::new("/about/team", "app/about/team/route.rs")
                    .handler(Method::Get, app::about::team::route::GET),
            ),
        _ => app::router(),
    };
    arbor::Server::from_env().await?.serve(app).await
}
