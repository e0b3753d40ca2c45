//! An authentication gate: `proxy.rs` lets a request with a `session` cookie through to
//! `/dashboard` and `/api`, telling the route who the user is; without one, pages redirect
//! to `/login` and API paths answer 401 JSON.

arbor::app!(pub);
