//! `request.nextUrl`: the request's URL, to read and to change into rewrite and redirect targets.

use std::fmt;

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// The URL of a request, as Next.js's `NextURL` gives it.
///
/// The origin is the server's (`http://localhost:3000`, loopback hosts written `localhost`);
/// the pathname stays percent-encoded as received; the query is read as `URLSearchParams`
/// reads it, and written back the way `URLSearchParams` writes it (`b=x%20y` becomes `b=x+y`).
///
/// ```
/// use arbor::NextUrl;
///
/// let mut url = NextUrl::parse("http://localhost:3000/echo/a%20b?a=1&a=2&b=x%20y").unwrap();
/// assert_eq!(url.pathname(), "/echo/a%20b");
/// assert_eq!(url.search(), "?a=1&a=2&b=x+y");
/// assert_eq!(url.search_params().get_all("a"), ["1", "2"]);
///
/// let mut target = url.clone();
/// target.set_pathname("/comments");
/// target.search_params_mut().set("from", "mw");
/// assert_eq!(target.href(), "http://localhost:3000/comments?a=1&a=2&b=x+y&from=mw");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextUrl {
    url: url::Url,
    params: SearchParams,
}

impl NextUrl {
    /// Parses an absolute URL; `None` when it is not one.
    pub fn parse(input: &str) -> Option<NextUrl> {
        let url = url::Url::parse(input).ok()?;
        let params = SearchParams::parse(url.query().unwrap_or(""));
        Some(NextUrl { url, params })
    }

    /// The whole URL.
    pub fn href(&self) -> String {
        let mut out = format!("{}{}", self.origin(), self.pathname());
        out.push_str(&self.search());
        if let Some(fragment) = self.url.fragment() {
            out.push('#');
            out.push_str(fragment);
        }
        out
    }

    /// `http://localhost:3000`.
    pub fn origin(&self) -> String {
        self.url.origin().ascii_serialization()
    }

    /// `http:`.
    pub fn protocol(&self) -> String {
        format!("{}:", self.url.scheme())
    }

    /// `localhost:3000` (the port only when not the scheme's default).
    pub fn host(&self) -> String {
        match self.url.port() {
            Some(port) => format!("{}:{port}", self.hostname()),
            None => self.hostname().to_owned(),
        }
    }

    /// `localhost`.
    pub fn hostname(&self) -> &str {
        self.url.host_str().unwrap_or_default()
    }

    /// `3000`, or `""` for the scheme's default port.
    pub fn port(&self) -> String {
        self.url.port().map(|p| p.to_string()).unwrap_or_default()
    }

    /// The path, still percent-encoded.
    pub fn pathname(&self) -> &str {
        self.url.path()
    }

    /// Sets the path (`/comments`); a missing leading `/` is added.
    pub fn set_pathname(&mut self, pathname: &str) {
        self.url.set_path(pathname);
    }

    /// `?a=1&b=x+y`, or `""` when there is no query.
    pub fn search(&self) -> String {
        let query = self.params.to_string();
        if query.is_empty() {
            String::new()
        } else {
            format!("?{query}")
        }
    }

    /// Replaces the query (`"?a=1"` or `"a=1"`).
    pub fn set_search(&mut self, search: &str) {
        self.params = SearchParams::parse(search.strip_prefix('?').unwrap_or(search));
    }

    /// The query's entries.
    pub fn search_params(&self) -> &SearchParams {
        &self.params
    }

    /// The query's entries, to change.
    pub fn search_params_mut(&mut self) -> &mut SearchParams {
        &mut self.params
    }
}

impl fmt::Display for NextUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.href())
    }
}

/// The entries of a query string, in order, repeated keys kept (`URLSearchParams`).
///
/// ```
/// use arbor::SearchParams;
///
/// let mut params = SearchParams::parse("a=1&a=2&b=x%20y");
/// assert_eq!(params.get("b"), Some("x y"));
/// params.set("a", "3");
/// params.append("c", "&");
/// assert_eq!(params.to_string(), "a=3&b=x+y&c=%26");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchParams {
    entries: Vec<(String, String)>,
}

impl SearchParams {
    /// Reads a query string (without `?`): `+` is a space, escapes are decoded.
    pub fn parse(query: &str) -> SearchParams {
        SearchParams {
            entries: form_urlencoded::parse(query.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        }
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `name`, in order.
    pub fn get_all(&self, name: &str) -> Vec<&str> {
        self.entries
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Whether `name` is present.
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Every entry, in order.
    pub fn entries(&self) -> &[(String, String)] {
        &self.entries
    }

    /// Adds an entry at the end.
    pub fn append(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.entries.push((name.into(), value.into()));
    }

    /// Sets `name` to one value: the first entry keeps its place, the others go.
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        let value = value.into();
        match self.entries.iter().position(|(k, _)| k == name) {
            Some(first) => {
                self.entries[first].1 = value;
                let mut index = 0;
                self.entries.retain(|(k, _)| {
                    index += 1;
                    k != name || index - 1 == first
                });
            }
            None => self.append(name, value),
        }
    }

    /// Removes every entry of `name`.
    pub fn delete(&mut self, name: &str) {
        self.entries.retain(|(k, _)| k != name);
    }
}

impl fmt::Display for SearchParams {
    /// `a=1&b=x+y`, as `URLSearchParams.toString()` writes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut serializer = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.entries {
            serializer.append_pair(k, v);
        }
        f.write_str(&serializer.finish())
    }
}

/// What a path segment keeps as is: letters, digits and `-._~` (RFC 3986's unreserved
/// characters). Everything else is percent-encoded, with upper-case hex.
pub(crate) const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// The one spelling of a request path that names a cached entry: each segment decoded and
/// encoded again the way `build_path` encodes, so `/a%7e`, `/a~` and `/a%7E` are one path,
/// and `/caf%c3%a9` is `/caf%C3%A9`. An encoded slash stays inside its segment. A segment
/// that does not decode is kept as sent.
pub(crate) fn canonical_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for (i, segment) in path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        match percent_decode_str(segment).decode_utf8() {
            Ok(decoded) => out.extend(utf8_percent_encode(&decoded, PATH_SEGMENT)),
            Err(_) => out.push_str(segment),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_paths() {
        assert_eq!(canonical_path("/a%7e"), "/a~");
        assert_eq!(canonical_path("/a%7E/b"), "/a~/b");
        assert_eq!(canonical_path("/caf%c3%a9"), "/caf%C3%A9");
        assert_eq!(canonical_path("/a%2Fb/c"), "/a%2Fb/c");
        assert_eq!(canonical_path("/items/b%20c"), "/items/b%20c");
        assert_eq!(canonical_path("/"), "/");
        assert_eq!(canonical_path("/x%FF"), "/x%FF");
    }
}
