//! `/`: the list of posts. Static: rendered once, before traffic.

use arbor::prelude::*;

use crate::posts::POSTS;

pub async fn page() -> Markup {
    html! {
        h1 { "Posts" }
        ul {
            @for post in POSTS {
                li { a href={ "/blog/" (post.slug) } { (post.title) } " (" (post.published) ")" }
            }
        }
    }
}
