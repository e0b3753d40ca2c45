//! The headers a middleware's `Next` or `Rewrite` sets: kept in a short list, copied onto the
//! request the route sees, and merged into the route's response, as Next.js does both.

use http::header::{CONTENT_LENGTH, PROXY_AUTHENTICATE, SET_COOKIE, VARY, WWW_AUTHENTICATE};
use http::{HeaderMap, HeaderName, HeaderValue};
use smallvec::SmallVec;

use crate::cookie::{set_cookie_name, SetCookieLines};

/// The headers a middleware sets, in order, the values of one name side by side. A list
/// rather than a map: a middleware sets a few, and a map costs two allocations and a hash
/// per request before it is merged into the response's own map anyway. The first header is
/// held inline, so the common single header costs no allocation at all.
#[derive(Debug, Clone, Default)]
pub(crate) struct HeaderList(SmallVec<[(HeaderName, HeaderValue); 1]>);

impl HeaderList {
    /// Sets `name` to `value`, replacing the values it had.
    pub(crate) fn insert(&mut self, name: HeaderName, value: HeaderValue) {
        self.remove(|n, _| *n == name);
        self.0.push((name, value));
    }

    /// Adds a value of `name` after the ones it has.
    pub(crate) fn append(&mut self, name: HeaderName, value: HeaderValue) {
        match self.0.iter().rposition(|(n, _)| *n == name) {
            Some(last) => self.0.insert(last + 1, (name, value)),
            None => self.0.push((name, value)),
        }
    }

    /// Puts `other` over this list: each name it has replaces this list's values of it.
    pub(crate) fn overlay(&mut self, other: HeaderList) {
        let mut replaced: SmallVec<[HeaderName; 4]> = SmallVec::new();
        for (name, value) in other.0 {
            if replaced.contains(&name) {
                self.append(name, value);
            } else {
                self.insert(name.clone(), value);
                replaced.push(name);
            }
        }
    }

    /// Removes every value of `name`.
    pub(crate) fn remove_named(&mut self, name: &HeaderName) {
        self.remove(|n, _| n == name);
    }

    /// Removes the headers `drop` picks, keeping the others in order.
    fn remove(&mut self, drop: impl Fn(&HeaderName, &HeaderValue) -> bool) {
        self.0.retain(|(n, v)| !drop(n, v));
    }

    /// The values of `name`.
    pub(crate) fn get_all<'a>(
        &'a self,
        name: &'a HeaderName,
    ) -> impl Iterator<Item = &'a HeaderValue> {
        self.iter().filter(move |(n, _)| *n == name).map(|(_, v)| v)
    }

    /// Every header, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&HeaderName, &HeaderValue)> {
        self.0.iter().map(|(n, v)| (n, v))
    }
}

impl SetCookieLines for HeaderList {
    fn any(&self) -> bool {
        self.iter().any(|(n, _)| *n == SET_COOKIE)
    }

    fn all(&self) -> Vec<&str> {
        self.get_all(&SET_COOKIE)
            .filter_map(|v| v.to_str().ok())
            .collect()
    }

    fn push(&mut self, line: HeaderValue) {
        self.append(SET_COOKIE, line);
    }

    fn remove_named(&mut self, name: &str) {
        self.remove(|n, v| *n == SET_COOKIE && set_cookie_name(v) == Some(name));
    }
}

/// Copies the middleware's headers onto the route's request: the first value of a name
/// replaces what the request had, the others join it. `Set-Cookie` lines are not copied (the
/// cookie readers get them instead).
pub(crate) fn copy_onto_request(request: &mut HeaderMap, middleware: &HeaderList) {
    let mut previous = None;
    for (name, value) in middleware.iter() {
        let first = previous != Some(name);
        previous = Some(name);
        if *name == SET_COOKIE {
            continue;
        }
        if first {
            request.insert(name.clone(), value.clone());
        } else {
            request.append(name.clone(), value.clone());
        }
    }
}

/// The forwarded headers of a config rewrite to another origin: `x-forwarded-host` (the
/// request's `Host`) and no other, as Next.js sends them. Behind a trusted proxy
/// (`Server::behind_proxy`) the proxy's own values stay.
pub(crate) fn forwarded_host(headers: &mut HeaderMap, behind_proxy: bool) {
    const FORWARDED: [&str; 4] = [
        "x-forwarded-host",
        "x-forwarded-for",
        "x-forwarded-port",
        "x-forwarded-proto",
    ];
    if behind_proxy {
        return;
    }
    for name in FORWARDED {
        headers.remove(name);
    }
    if let Some(host) = headers.get(http::header::HOST).cloned() {
        headers.insert(FORWARDED[0], host);
    }
}

/// Adds the headers of `list` whose names the response does not have: the app config's on a
/// middleware's own answer, which wins every name it set.
pub(crate) fn add_missing(headers: &mut HeaderMap, list: HeaderList) {
    for (name, value) in list.0 {
        if !headers.contains_key(&name) && name != CONTENT_LENGTH && !is_hop_by_hop(&name) {
            headers.insert(name, value);
        }
    }
}

/// The middleware's response headers on the final response: they win over the route's,
/// except `Set-Cookie`, `Vary`, `WWW-Authenticate` and `Proxy-Authenticate`, which add up
/// (the middleware's first).
pub(crate) fn merge_into_response(headers: &mut HeaderMap, mut middleware: HeaderList) {
    // The common case, one header that does not add up: no list to walk.
    if middleware.0.len() == 1 && !adds_up(&middleware.0[0].0) {
        if let Some((name, value)) = middleware.0.pop() {
            if name != CONTENT_LENGTH && !is_hop_by_hop(&name) {
                headers.insert(name, value);
            }
        }
        return;
    }
    // The route's values of the headers that add up, appended after the middleware's.
    let mut route_values = Vec::new();
    let mut entries = middleware.0.into_iter().peekable();
    // Whether the entry is the first of its name; the name is only cloned when more values of
    // it follow.
    let mut first = true;
    while let Some((name, value)) = entries.next() {
        let more = entries.peek().is_some_and(|(next, _)| *next == name);
        let was_first = std::mem::replace(&mut first, !more);
        if name == CONTENT_LENGTH || is_hop_by_hop(&name) {
            continue;
        }
        if !was_first {
            headers.append(name, value);
            continue;
        }
        if adds_up(&name) {
            let kept = headers.get_all(&name).iter().cloned();
            route_values.extend(kept.map(|value| (name.clone(), value)));
        }
        if more {
            headers.insert(name.clone(), value);
        } else {
            headers.insert(name, value);
        }
    }
    for (name, value) in route_values {
        headers.append(name, value);
    }
}

/// The headers whose values from the middleware and the route are all sent.
fn adds_up(name: &HeaderName) -> bool {
    // Standard names compare by their tag, so a custom name is turned away at once.
    *name == SET_COOKIE || *name == VARY || *name == WWW_AUTHENTICATE || *name == PROXY_AUTHENTICATE
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

    fn list(headers: &[(&'static str, &'static str)]) -> HeaderList {
        let mut list = HeaderList::default();
        for (name, value) in headers {
            list.append(
                HeaderName::from_static(name),
                HeaderValue::from_static(value),
            );
        }
        list
    }

    fn map(headers: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn middleware_headers_win_except_those_that_add_up() {
        let mut merged = map(&[
            ("x-conflict", "route"),
            ("set-cookie", "r=1"),
            ("vary", "x-route"),
            ("x-route", "1"),
        ]);
        let middleware = list(&[
            ("x-conflict", "middleware"),
            ("set-cookie", "m=1"),
            ("vary", "x-mw"),
            ("connection", "close"),
            ("content-length", "99"),
        ]);
        merge_into_response(&mut merged, middleware);
        let all = |name| {
            merged
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
    fn a_list_keeps_the_values_of_a_name_together() {
        let mut list = list(&[("x-a", "1"), ("x-b", "2")]);
        list.append(
            HeaderName::from_static("x-a"),
            HeaderValue::from_static("3"),
        );
        list.insert(
            HeaderName::from_static("x-b"),
            HeaderValue::from_static("4"),
        );
        let all: Vec<_> = list
            .iter()
            .map(|(n, v)| (n.as_str(), v.to_str().unwrap()))
            .collect();
        assert_eq!(all, [("x-a", "1"), ("x-a", "3"), ("x-b", "4")]);
        list.insert(
            HeaderName::from_static("x-a"),
            HeaderValue::from_static("5"),
        );
        let all: Vec<_> = list
            .iter()
            .map(|(n, v)| (n.as_str(), v.to_str().unwrap()))
            .collect();
        assert_eq!(all, [("x-b", "4"), ("x-a", "5")]);
    }

    #[test]
    fn the_request_gets_the_middleware_headers_but_not_its_cookies() {
        let mut request = map(&[("x-a", "request"), ("x-keep", "1")]);
        copy_onto_request(
            &mut request,
            &list(&[("x-a", "one"), ("x-a", "two"), ("set-cookie", "c=1")]),
        );
        let all: Vec<_> = request.get_all("x-a").iter().collect();
        assert_eq!(all, ["one", "two"]);
        assert_eq!(request["x-keep"], "1");
        assert!(!request.contains_key("set-cookie"));
    }
}
