//! `/pages/fresh`: segment config makes a page dynamic, as it does a route.

use std::sync::atomic::{AtomicU64, Ordering};

use arbor::cache::Dynamic;
use arbor::prelude::*;

pub const DYNAMIC: Dynamic = Dynamic::ForceDynamic;

static RENDERS: AtomicU64 = AtomicU64::new(0);

pub async fn page() -> Markup {
    html! { p { (RENDERS.fetch_add(1, Ordering::Relaxed) + 1) } }
}
