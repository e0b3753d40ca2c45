//! `GET /events`: Server-Sent Events from a producer task, one event each time
//! `POST /events/next` allows it; the producer stops when the client goes away.

use std::sync::atomic::Ordering;

use arbor::prelude::*;
use arbor::sse::Event;

use crate::events::{NEXT, PRODUCED, STOPPED};

pub async fn GET() -> Response {
    PRODUCED.store(0, Ordering::SeqCst);
    STOPPED.store(false, Ordering::SeqCst);
    let (tx, rx) = tokio::sync::mpsc::channel::<Event>(1);
    tokio::spawn(async move {
        for n in 1usize.. {
            if n > 1 {
                tokio::select! {
                    _ = tx.closed() => break,
                    _ = NEXT.notified() => {}
                }
            }
            PRODUCED.store(n, Ordering::SeqCst);
            let event = Event::default()
                .event("tick")
                .id(n.to_string())
                .data(format!("tick {n}"));
            if tx.send(event).await.is_err() {
                break;
            }
        }
        STOPPED.store(true, Ordering::SeqCst);
    });
    let events = futures_util::stream::unfold(rx, |mut rx| async move {
        let event = rx.recv().await?;
        Some((Ok::<_, std::convert::Infallible>(event), rx))
    });
    Response::sse(events)
}
