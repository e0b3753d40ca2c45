//! `/after-work?fail=1`: registers `after()` work (which waits until the answer is out), then
//! answers, or fails.

use std::sync::atomic::Ordering;

use arbor::prelude::*;

use crate::after_work::{ANSWERED, DONE};

pub async fn GET(req: Request) -> Result<Response> {
    let fail = req.next_url().search_params().get("fail").is_some();
    arbor::after(async move {
        // Runs once the response is sent: the handler has returned by now.
        let answered = ANSWERED.load(Ordering::SeqCst);
        DONE.fetch_add(if answered { 1 } else { 1000 }, Ordering::SeqCst);
    });
    ANSWERED.store(true, Ordering::SeqCst);
    if fail {
        return Err(Error::internal_message("failed after registering after()"));
    }
    Ok(Response::text("answered"))
}
