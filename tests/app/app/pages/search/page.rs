//! `/pages/search?q=`: a page that reads the request, so it is rendered for each one.

use arbor::prelude::*;

#[derive(serde::Deserialize)]
pub struct Search {
    q: String,
}

pub async fn page(Query(search): Query<Search>) -> Markup {
    html! { p { "you searched " (search.q) } }
}
