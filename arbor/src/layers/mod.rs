//! The tower layers every app gets by default, outermost first: the request log,
//! compression, the body limit. Each is an ordinary tower layer, usable around any service,
//! and each can be turned off on the [`App`](crate::App) to put another in its place
//! (`app.compression(false).layer(tower_http::compression::CompressionLayer::new())`).
//!
//! ```text
//! RequestLog → Compression → BodyLimit → (your layers, `App::layer`) → the request path
//! ```

pub(crate) mod body_limit;
mod compression;
pub(crate) use compression::ServesRanges;
mod defaults;
mod request_log;

pub use body_limit::{BodyLimit, BodyLimitFuture, BodyLimitLayer};
pub use compression::{Compressed, Compression, CompressionFuture, CompressionLayer};
pub use request_log::{RequestLog, RequestLogFuture, RequestLogLayer};

pub(crate) use defaults::Defaults;
pub(crate) use request_log::record_route;
