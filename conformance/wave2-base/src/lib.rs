//! The mirror of `shared/conformance/wave2/nextapp-base`: an app served under `BASE_PATH`
//! with `TRAILING_SLASH`, its config redirects and rewrite, routes, a page and `public/`.

pub mod echo;

arbor::app!(pub);
