//! Every URL nothing else answers: a 404 page inside the root layout.

use arbor::prelude::*;

pub async fn not_found() -> Markup {
    html! {
        h1 { "Not found" }
        p { "Nothing lives here. " a href="/" { "Back to the posts" } "." }
    }
}
