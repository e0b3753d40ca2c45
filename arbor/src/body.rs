//! Request and response bodies.
//!
//! A handler may take the body through [`Request`](crate::Request) as its *first* argument
//! (the Next.js shape) or through an axum extractor such as `Json<T>` as its last. To allow
//! both, the router parks the body in a slot: whichever asks first gets it.

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Frame, SizeHint};

/// The body type of requests and responses (axum's).
pub type Body = axum::body::Body;

/// The request body, waiting for the first reader. An empty body (most GETs) needs no slot:
/// every reader gets an empty body.
#[derive(Clone, Default)]
pub(crate) struct BodySlot(Option<Arc<Mutex<Option<Body>>>>);

impl BodySlot {
    pub(crate) fn new(body: Body) -> Self {
        if http_body::Body::is_end_stream(&body) {
            return BodySlot(None);
        }
        BodySlot(Some(Arc::new(Mutex::new(Some(body)))))
    }

    /// Takes the body; `None` when someone already took it.
    pub(crate) fn take(&self) -> Option<Body> {
        let Some(slot) = &self.0 else {
            return Some(Body::empty());
        };
        match slot.lock() {
            Ok(mut guard) => guard.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        }
    }

    /// A body that reads from the slot when first polled: what axum's extractors see.
    pub(crate) fn reader(&self) -> Body {
        if self.0.is_none() {
            return Body::empty();
        }
        Body::new(SlotReader {
            slot: self.clone(),
            body: None,
            done: false,
        })
    }
}

struct SlotReader {
    slot: BodySlot,
    body: Option<Body>,
    done: bool,
}

impl http_body::Body for SlotReader {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        if self.done {
            return Poll::Ready(None);
        }
        if self.body.is_none() {
            match self.slot.take() {
                Some(body) => self.body = Some(body),
                None => {
                    self.done = true;
                    return Poll::Ready(None);
                }
            }
        }
        match self.body.as_mut() {
            Some(body) => Pin::new(body).poll_frame(cx),
            None => Poll::Ready(None),
        }
    }

    fn is_end_stream(&self) -> bool {
        self.done
    }

    fn size_hint(&self) -> SizeHint {
        match &self.body {
            Some(body) => body.size_hint(),
            None => SizeHint::default(),
        }
    }
}
