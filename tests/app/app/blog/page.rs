//! `/blog`: a page whose folder has a static Open Graph image with its alt text.

use arbor::prelude::*;

pub async fn page() -> Markup {
    html! { h1 { "blog" } }
}
