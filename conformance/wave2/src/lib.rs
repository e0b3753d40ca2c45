//! The mirror of `shared/conformance/wave2/nextapp`: what its `public:` and `metadata:`
//! groups exercise (`public/`, the static and generated metadata files, the pages that link
//! them). The other groups (config redirects, rewrites and headers, `after()`,
//! instrumentation, draft mode, streaming, CORS) wait in `PENDING.md` for the capabilities
//! they need.

pub mod echo;

arbor::app!(pub);
