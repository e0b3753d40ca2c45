//! The comments API: `app/comments/route.rs` and `app/comments/[id]/route.rs` on SQLite.

pub mod db;

arbor::app!(pub, state = db::Db);

/// The app with its database.
pub fn app(db: db::Db) -> arbor::App {
    app::router().with_state(db)
}
