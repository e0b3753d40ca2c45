//! Caching in one small app:
//! - `/time`: `Dynamic::ForceStatic`, rendered once at start-up;
//! - `/news`: `Revalidate::Seconds(10)`, regenerated in the background when stale;
//! - `/products/{id}`: `generate_static_params` (1, 2, 3 only), reading a `#[cache]` function
//!   tagged `products`;
//! - `POST /revalidate?path=/time` or `?tag=products`: on-demand revalidation.

pub mod catalog;

arbor::app!(pub);

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or_default()
}
