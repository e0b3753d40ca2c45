//! `/`, as `app/page.tsx` writes it: a static page linking the root's metadata images.

use arbor::prelude::*;

pub async fn page() -> Markup {
    html! { main { "oracle2 home" } }
}
