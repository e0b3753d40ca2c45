//! Server-Sent Events for [`Response::sse`](crate::Response::sse): axum's [`Event`] (`data`,
//! `json_data`, `event`, `id`, `retry`, `comment`) and [`KeepAlive`], which Arbor sends as
//! they are produced, uncompressed.

pub use axum::response::sse::{Event, KeepAlive};
