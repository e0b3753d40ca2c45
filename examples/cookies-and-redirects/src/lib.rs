//! A tiny login: `POST /login` sets a session cookie, `GET /me` needs it, `POST /logout`
//! deletes it, and `GET /items/{id}` ends with a 404 from deep inside a helper.

arbor::app!(pub);

/// The cookie that says who is logged in.
pub const SESSION: &str = "session";
