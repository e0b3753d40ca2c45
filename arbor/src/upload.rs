//! Request bodies as Arbor's server hands them to the app: cut off when they stop arriving,
//! and counted against one budget for the bytes of all bodies being received at once. The
//! body-limit layer applies it, with the settings of the server the app runs in.
//!
//! The timer is armed only when a read has to wait, and a body's first
//! [`FREE_BYTES`] are not counted, so a small body that arrives with its head, as most do,
//! costs neither.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body::{Body as HttpBody, Frame, SizeHint};
use pin_project_lite::pin_project;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::{Instant, Sleep};

use crate::body::{OverBudget, Stalled};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The bytes of each body not counted against the budget.
pub(crate) const FREE_BYTES: usize = 64 * 1024;

/// The budget's unit: permits are kibibytes.
const UNIT: usize = 1024;

/// What every body of a server shares.
#[derive(Debug)]
pub(crate) struct Uploads {
    /// The longest wait for the next piece of a body.
    pub(crate) gap: Duration,
    /// Kibibytes that bodies being received may hold at once.
    pub(crate) budget: Arc<Semaphore>,
    /// The budget's size in bytes, for the error message.
    pub(crate) budget_bytes: usize,
}

impl Uploads {
    pub(crate) fn new(gap: Duration, budget_bytes: usize) -> Arc<Uploads> {
        let permits = (budget_bytes / UNIT).min(Semaphore::MAX_PERMITS);
        Arc::new(Uploads {
            gap,
            budget: Arc::new(Semaphore::new(permits)),
            budget_bytes,
        })
    }
}

pin_project! {
    /// A request body on its way in.
    pub(crate) struct Upload<B> {
        #[pin]
        body: B,
        uploads: Arc<Uploads>,
        timer: Option<Pin<Box<Sleep>>>,
        armed: bool,
        received: usize,
        held: Option<OwnedSemaphorePermit>,
    }
}

impl<B> Upload<B> {
    pub(crate) fn new(body: B, uploads: &Arc<Uploads>) -> Upload<B> {
        let uploads = uploads.clone();
        Upload {
            body,
            uploads,
            timer: None,
            armed: false,
            received: 0,
            held: None,
        }
    }
}

impl<B> HttpBody for Upload<B>
where
    B: HttpBody<Data = Bytes>,
    B::Error: Into<BoxError>,
{
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.project();
        let uploads = &*this.uploads;
        match this.body.poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                *this.armed = false;
                if let Some(data) = frame.data_ref() {
                    *this.received += data.len();
                    if *this.received > FREE_BYTES {
                        let units = u32::try_from(data.len().div_ceil(UNIT)).unwrap_or(u32::MAX);
                        match uploads.budget.clone().try_acquire_many_owned(units) {
                            Ok(permit) => match this.held {
                                Some(held) => held.merge(permit),
                                None => *this.held = Some(permit),
                            },
                            Err(_) => {
                                *this.held = None;
                                return Poll::Ready(Some(Err(
                                    OverBudget(uploads.budget_bytes).into()
                                )));
                            }
                        }
                    }
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(Some(Err(err))) => Poll::Ready(Some(Err(err.into()))),
            Poll::Ready(None) => {
                *this.held = None;
                Poll::Ready(None)
            }
            Poll::Pending => {
                if !*this.armed {
                    let deadline = Instant::now() + uploads.gap;
                    match this.timer {
                        Some(timer) => timer.as_mut().reset(deadline),
                        None => *this.timer = Some(Box::pin(tokio::time::sleep_until(deadline))),
                    }
                    *this.armed = true;
                }
                if let Some(timer) = this.timer {
                    if timer.as_mut().poll(cx).is_ready() {
                        *this.held = None;
                        return Poll::Ready(Some(Err(Stalled(uploads.gap).into())));
                    }
                }
                Poll::Pending
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}
