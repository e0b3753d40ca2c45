//! The mirror of `shared/conformance/wave2/nextapp`: `public/`, the static and generated
//! metadata files and the pages that link them, `arbor.config.rs` (the app's
//! `next.config.ts`: redirects, rewrites, headers) and `proxy.rs`. The groups still waiting
//! for a capability are listed in `PENDING.md`.

pub mod echo;
pub mod store;
pub mod stream;

arbor::app!(pub);
