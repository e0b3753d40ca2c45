//! An async layout inside the root one: it wraps the pages under `/pages`.

use arbor::prelude::*;

pub async fn layout(children: Markup) -> Markup {
    tokio::task::yield_now().await;
    html! { main class="pages" { (children) } }
}
