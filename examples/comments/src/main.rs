//! `cargo run -p comments`: the comments API on `PORT` (default 3000), stored in the SQLite
//! file `DATABASE_URL` names (default `comments.db`), created with three comments on first start.

use comments::db::Db;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    arbor::init_tracing();
    let path = std::env::var("DATABASE_URL").unwrap_or_else(|_| "comments.db".to_owned());
    let db = Db::open(&path)
        .map_err(|err| std::io::Error::other(format!("cannot open the database {path}: {err}")))?;
    arbor::serve(comments::app(db)).await
}
