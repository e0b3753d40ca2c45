//! `/profile`, as `app/profile/page.tsx` writes it: a static page beside a nested route.

use arbor::prelude::*;

pub async fn page() -> Markup {
    html! { h1 { "profile page" } }
}
