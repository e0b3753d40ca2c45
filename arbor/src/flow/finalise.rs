//! The last stage: what happens to every response on its way out. A HEAD answer drops its
//! body, a panicked handler becomes a 500, the not-found file answers 404, the middleware's
//! headers join the route's, and a middleware's redirect to this server is made relative.

use http::header::{CONTENT_LENGTH, LOCATION};
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
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

/// The middleware's response headers on the final response: they win over the route's,
/// except `Set-Cookie`, `Vary`, `WWW-Authenticate` and `Proxy-Authenticate`, which add up
/// (the middleware's first).
pub(crate) fn merge_headers(mut response: Response, middleware: HeaderMap) -> Response {
    let headers = response.headers_mut();
    // The route's values of the headers that add up, appended after the middleware's.
    let mut route_values = Vec::new();
    // The header being merged; `None` while skipping one.
    let mut current: Option<HeaderName> = None;
    // `into_iter` moves the values and names each header once, on its first value.
    for (name, value) in middleware {
        if let Some(name) = name {
            current = (name != CONTENT_LENGTH && !is_hop_by_hop(&name)).then_some(name);
            let Some(name) = &current else { continue };
            if matches!(
                name.as_str(),
                "set-cookie" | "vary" | "www-authenticate" | "proxy-authenticate"
            ) {
                let kept = headers.get_all(name).iter().cloned();
                route_values.extend(kept.map(|value| (name.clone(), value)));
            }
            headers.insert(name.clone(), value);
        } else if let Some(name) = &current {
            headers.append(name.clone(), value);
        }
    }
    for (name, value) in route_values {
        headers.append(name, value);
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

/// Headers that describe one connection, never passed on by a proxy.
pub(crate) fn is_hop_by_hop(name: &HeaderName) -> bool {
    matches!(
        name.as_str(),
        "connection"
            | "keep-alive"
            | "proxy-connection"
            | "te"
            | "trailer"
            | "transfer-encoding"
            | "upgrade"
            | "proxy-authorization"
    )
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
    fn middleware_headers_win_except_those_that_add_up() {
        let route = response(&[
            ("x-conflict", "route"),
            ("set-cookie", "r=1"),
            ("vary", "x-route"),
            ("x-route", "1"),
        ]);
        let middleware = response(&[
            ("x-conflict", "middleware"),
            ("set-cookie", "m=1"),
            ("vary", "x-mw"),
            ("connection", "close"),
            ("content-length", "99"),
        ]);
        let merged = merge_headers(route, middleware.headers().clone());
        let all = |name| {
            merged
                .headers()
                .get_all(name)
                .iter()
                .map(|v| v.to_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(all("x-conflict"), ["middleware"]);
        assert_eq!(all("set-cookie"), ["m=1", "r=1"]);
        assert_eq!(all("vary"), ["x-mw", "x-route"]);
        assert_eq!(all("x-route"), ["1"]);
        assert!(all("connection").is_empty());
        assert!(all("content-length").is_empty());
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
