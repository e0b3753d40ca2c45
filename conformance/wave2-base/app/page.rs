//! `/base/`: the root page.

use arbor::prelude::*;

pub async fn page() -> Markup {
    html! { main { "base home" } }
}
