//! `/gallery`, as `app/gallery/page.tsx` writes it.

use arbor::prelude::*;

pub async fn page() -> Markup {
    html! { main { "gallery" } }
}
