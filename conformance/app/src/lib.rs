//! The mirror of `shared/conformance/nextapp`: its routes in `app/`, its `lib/` here.

pub mod echo;
pub mod store;

arbor::app!(pub, state = store::Store);

/// Where the proxy's external rewrite goes: `UPSTREAM_URL`, default `http://127.0.0.1:4011`.
pub fn upstream_url() -> String {
    std::env::var("UPSTREAM_URL").unwrap_or_else(|_| "http://127.0.0.1:4011".to_owned())
}

/// The app with a fresh comment store.
pub fn app() -> arbor::App {
    app::router().with_state(store::Store::default())
}
