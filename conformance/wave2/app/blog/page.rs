//! `/blog`, as `app/blog/page.tsx` writes it.

use arbor::prelude::*;

pub async fn page() -> Markup {
    html! { main { "blog index" } }
}
