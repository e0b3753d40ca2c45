//! `/pages`: a static page, rendered once before traffic. The counter shows it.

use std::sync::atomic::{AtomicU64, Ordering};

use arbor::prelude::*;

static RENDERS: AtomicU64 = AtomicU64::new(0);

pub async fn page() -> Markup {
    let n = RENDERS.fetch_add(1, Ordering::Relaxed) + 1;
    html! { h1 { "pages index" } p id="renders" { (n) } }
}
