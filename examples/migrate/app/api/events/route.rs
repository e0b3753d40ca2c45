//! `GET /api/events`: every post as a Server-Sent Event, then the stream ends.

use std::convert::Infallible;

use arbor::prelude::*;
use arbor::sse::Event;

use crate::posts::POSTS;

pub async fn GET() -> Result<Response> {
    let mut events = Vec::new();
    for post in POSTS {
        let event = Event::default()
            .event("post")
            .id(post.id.to_string())
            .json_data(post)
            .map_err(Error::internal)?;
        events.push(Ok::<_, Infallible>(event));
    }
    Ok(Response::sse(futures_util::stream::iter(events)))
}
