//! The mirror of `shared/conformance/nextapp`: its routes in `app/`, its `lib/` here.

pub mod echo;
pub mod store;

arbor::app!(pub, state = store::Store);

/// The app with a fresh comment store.
pub fn app() -> arbor::App {
    app::router().with_state(store::Store::default())
}
