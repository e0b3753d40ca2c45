//! `POST /events/next`: lets the producer of `/events` send its next event.

use arbor::prelude::*;

pub async fn POST() -> Response {
    crate::events::NEXT.notify_one();
    Response::empty()
}
