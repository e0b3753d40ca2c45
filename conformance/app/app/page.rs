//! `/`, as `app/page.tsx` writes it.

use arbor::prelude::*;

pub async fn page() -> Markup {
    html! { h1 { "oracle home" } }
}
