//! A slow data source, cached with `#[cache]`.

use std::sync::atomic::{AtomicU64, Ordering};

/// How many times the slow source was asked.
pub static LOOKUPS: AtomicU64 = AtomicU64::new(0);

/// A product's price, as the slow source says; cached by id, tagged `products`.
#[arbor::cache(tags = ["products"], revalidate = 3600)]
pub async fn price(id: u32) -> u64 {
    let lookup = LOOKUPS.fetch_add(1, Ordering::SeqCst) + 1;
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    u64::from(id) * 100 + lookup
}
