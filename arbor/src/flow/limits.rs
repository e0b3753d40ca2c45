//! A route's own limits: how long its handlers may take (`MAX_DURATION`, or the server's
//! handler timeout: 504 past it) and the largest body they accept (`BODY_LIMIT`: 413).

use std::future::Future;
use std::time::Duration;

use http::StatusCode;
use http_body_util::Limited;

use super::finalise;
use super::run::Run;
use crate::body::Body;
use crate::error::json_error;
use crate::layers::body_limit;

type Response = http::Response<Body>;

/// Cuts the request's body off past `limit`; the 413 when `Content-Length` is over it.
pub(crate) fn body(req: &mut http::Request<Body>, limit: usize) -> Option<Response> {
    if let Some(answer) = body_limit::refuse(req, Some(limit)) {
        return Some(answer);
    }
    if !crate::body::is_empty(req.body()) {
        let body = std::mem::take(req.body_mut());
        *req.body_mut() = Body::new(Limited::new(body, limit));
    }
    None
}

/// The handler's answer, or 504 when it takes longer than `max` (the handler is dropped).
pub(crate) async fn within<F>(run: Run<F>, max: Duration, route: &'static str) -> Response
where
    F: Future<Output = Response> + Send + Unpin + 'static,
{
    match tokio::time::timeout(max, run).await {
        Ok(output) => finalise::handler_output(output),
        Err(_) => {
            tracing::warn!(route, max = ?max, "handler did not answer in time; answered 504");
            let message = format!(
                "the handler did not answer within {} s (MAX_DURATION)",
                max.as_secs_f64()
            );
            json_error(StatusCode::GATEWAY_TIMEOUT, &message)
        }
    }
}
