//! The streams of `app/stream/*`: parts sent 250 ms apart, as the reference app's
//! `ReadableStream`s enqueue them.

use std::time::Duration;

use futures_util::Stream;

/// `parts`, the first at once and each next one 250 ms later.
pub fn paced(parts: Vec<String>) -> impl Stream<Item = Result<String, std::io::Error>> {
    futures_util::stream::unfold((parts.into_iter(), true), |(mut parts, first)| async move {
        let part = parts.next()?;
        if !first {
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        Some((Ok(part), (parts, false)))
    })
}
