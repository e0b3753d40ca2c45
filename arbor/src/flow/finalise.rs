//! The last stage: what happens to every response on its way out. A HEAD answer drops its
//! body, a panicked handler becomes a 500, the not-found file answers 404, and a middleware's
//! redirect to this server is made relative. (The middleware's headers join the route's in
//! `headers`, where the handler's run does it too.)

use http::header::{CONTENT_LENGTH, LOCATION};
use http::{HeaderValue, StatusCode};
use http_body::Body as _;

use crate::answers;
use crate::body::Body;

type Response = http::Response<Body>;

/// HEAD: same status and headers, no body. The length of the body GET would have sent is kept.
pub(crate) fn strip_body(response: &mut Response) {
    if let Some(len) = response.body().size_hint().exact() {
        if !response.headers().contains_key(CONTENT_LENGTH) {
            response
                .headers_mut()
                .insert(CONTENT_LENGTH, HeaderValue::from(len));
        }
    }
    *response.body_mut() = Body::empty();
}

/// What a handler answered: its response, or an empty 500 when it panicked.
pub(crate) fn handler_output(response: Option<Response>) -> Response {
    response.unwrap_or_else(|| answers::empty(StatusCode::INTERNAL_SERVER_ERROR))
}

/// The not-found file's answer: a 404 unless it chose an error status itself.
pub(crate) fn not_found_status(mut response: Response) -> Response {
    let status = response.status();
    if !status.is_client_error() && !status.is_server_error() {
        *response.status_mut() = StatusCode::NOT_FOUND;
    }
    response
}

/// A middleware's own redirect: a `Location` of this server's origin (`origin_key`) is made
/// relative, the body is the destination, and a 308 also gets `Refresh`, as Next.js sends them.
pub(crate) fn middleware_redirect(mut response: Response, origin_key: &str) -> Response {
    if !response.status().is_redirection() {
        return response;
    }
    let Some(location) = response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
    else {
        return response;
    };
    let location = match url::Url::parse(&location) {
        Ok(url) if url.origin().ascii_serialization() == origin_key => {
            let mut relative = url.path().to_owned();
            if let Some(query) = url.query() {
                relative.push('?');
                relative.push_str(query);
            }
            if let Some(fragment) = url.fragment() {
                relative.push('#');
                relative.push_str(fragment);
            }
            relative
        }
        _ => location,
    };
    let (Ok(value), Ok(refresh)) = (
        HeaderValue::try_from(location.as_str()),
        HeaderValue::try_from(format!("0;url={location}")),
    ) else {
        return response;
    };
    response.headers_mut().insert(LOCATION, value);
    if response.status() == StatusCode::PERMANENT_REDIRECT {
        response.headers_mut().insert(answers::REFRESH, refresh);
    }
    if response.body().size_hint().exact() == Some(0) {
        *response.body_mut() = Body::from(location);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(headers: &[(&'static str, &'static str)]) -> Response {
        let mut response = http::Response::new(Body::from("body"));
        for (name, value) in headers {
            response
                .headers_mut()
                .append(*name, HeaderValue::from_static(value));
        }
        response
    }

    #[test]
    fn a_redirect_to_this_origin_is_made_relative() {
        let mut redirect = answers::empty(StatusCode::PERMANENT_REDIRECT);
        redirect.headers_mut().insert(
            LOCATION,
            HeaderValue::from_static("http://localhost:3000/comments?from=mw"),
        );
        let finished = middleware_redirect(redirect, "http://localhost:3000");
        assert_eq!(finished.headers()[LOCATION], "/comments?from=mw");
        assert_eq!(finished.headers()["refresh"], "0;url=/comments?from=mw");

        let mut away = answers::empty(StatusCode::TEMPORARY_REDIRECT);
        away.headers_mut()
            .insert(LOCATION, HeaderValue::from_static("https://example.com/x"));
        let finished = middleware_redirect(away, "http://localhost:3000");
        assert_eq!(finished.headers()[LOCATION], "https://example.com/x");
        assert!(!finished.headers().contains_key("refresh"));
    }

    #[test]
    fn head_keeps_the_length_and_drops_the_body() {
        let mut answer = response(&[]);
        strip_body(&mut answer);
        assert_eq!(answer.headers()[CONTENT_LENGTH], "4");
        assert_eq!(answer.body().size_hint().exact(), Some(0));
    }
}
