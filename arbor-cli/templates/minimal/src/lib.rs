//! The app: `app/` holds its routes, `build.rs` turns them into `app::router()`.

arbor::app!(pub);
