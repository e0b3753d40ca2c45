//! Behaviour tests: the test app served on a free loopback port, requested over real HTTP.

mod cache;
mod draft;
mod helpers;
mod metadata;
mod methods;
mod pages;
mod parity;
mod public;
mod requests;
mod responses;
mod routing;
mod server;
mod streaming;
