use std::sync::atomic::Ordering;
use std::time::Duration;

/// Counts the requests running at once, for the concurrency-limit test.
pub async fn GET() -> String {
    let now = crate::IN_FLIGHT.fetch_add(1, Ordering::SeqCst) + 1;
    crate::MOST_IN_FLIGHT.fetch_max(now, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(50)).await;
    crate::IN_FLIGHT.fetch_sub(1, Ordering::SeqCst);
    now.to_string()
}
