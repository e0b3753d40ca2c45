//! The tower layers every app gets by default, outermost first: the request log, the body
//! limit, compression. Each is an ordinary tower layer, usable around any service, and each
//! can be turned off on the [`App`](crate::App) to put another in its place
//! (`app.compression(false).layer(tower_http::compression::CompressionLayer::new())`).
//!
//! ```text
//! RequestLog → BodyLimit → (your layers, `App::layer`) → Compression → the request path
//! ```

mod body_limit;
mod compression;
mod request_log;

pub use body_limit::{BodyLimit, BodyLimitLayer};
pub use compression::{Compression, CompressionLayer};
pub use request_log::{RequestLog, RequestLogLayer};

pub(crate) use request_log::record_route;
