//! Cookies as Next.js parses and serialises them: those a request sends, those a response
//! sets. Users meet them through [`crate::cookies`].

use std::fmt;
use std::time::{Duration, SystemTime};

use std::sync::Arc;

use http::header::{COOKIE, SET_COOKIE};
use http::{HeaderMap, HeaderValue};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// What `encodeURIComponent` leaves alone: letters, digits and `-_.!~*'()`.
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// A cookie the client sent: a name and its percent-decoded value.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Cookie {
    /// The name.
    pub name: String,
    /// The value, percent-decoded.
    pub value: String,
}

/// The cookies of a request (`request.cookies` in Next.js), in the order the client sent them.
///
/// Values are percent-decoded as Next.js decodes them (`decodeURIComponent`); a cookie whose
/// value holds a bad escape (`%ZZ`, `%FF`) is dropped, not the request. A name sent twice
/// keeps its first place and its last value.
///
/// ```
/// use arbor::cookies::RequestCookies;
///
/// let cookies = RequestCookies::parse("theme=dark; session=%ZZ; prefs=a%20b");
/// assert_eq!(cookies.get("theme").map(|c| c.value.as_str()), Some("dark"));
/// assert_eq!(cookies.get("prefs").map(|c| c.value.as_str()), Some("a b"));
/// assert!(!cookies.has("session"));
/// assert_eq!(cookies.len(), 2);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestCookies {
    cookies: Vec<Cookie>,
}

impl RequestCookies {
    /// Parses a `Cookie` header value.
    pub fn parse(header: &str) -> Self {
        let mut out = RequestCookies::default();
        for pair in header.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, raw) = match pair.split_once('=') {
                Some((name, value)) => (name.trim(), value.trim()),
                None => (pair, "true"),
            };
            // As `decodeURIComponent` in Next.js's parser: a bad escape drops the cookie.
            let Some(value) = crate::escape::decode(raw) else {
                continue;
            };
            out.insert(name.to_owned(), value.into_owned());
        }
        out
    }

    /// The cookies a handler sees: the request's, plus those its middleware set.
    pub(crate) fn for_handler(headers: &HeaderMap, proxy: Option<&ProxyCookies>) -> Self {
        let mut cookies = Self::from_headers(headers);
        if let Some(ProxyCookies(set)) = proxy {
            for (name, value) in set.iter() {
                cookies.insert(name.clone(), value.clone());
            }
        }
        cookies
    }

    /// The cookies of a request's headers (every `Cookie` header, joined).
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let joined: Vec<&str> = headers
            .get_all(COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        Self::parse(&joined.join("; "))
    }

    fn insert(&mut self, name: String, value: String) {
        match self.cookies.iter_mut().find(|c| c.name == name) {
            Some(existing) => existing.value = value,
            None => self.cookies.push(Cookie { name, value }),
        }
    }

    /// The cookie named `name`.
    pub fn get(&self, name: &str) -> Option<&Cookie> {
        self.cookies.iter().find(|c| c.name == name)
    }

    /// Every cookie, in the order sent.
    pub fn get_all(&self) -> &[Cookie] {
        &self.cookies
    }

    /// Whether a cookie named `name` was sent.
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Sets a cookie on the request (what a middleware does to change what handlers see).
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.insert(name.into(), value.into());
    }

    /// Removes a cookie from the request; whether it was there.
    pub fn delete(&mut self, name: &str) -> bool {
        let before = self.cookies.len();
        self.cookies.retain(|c| c.name != name);
        before != self.cookies.len()
    }

    /// Removes every cookie.
    pub fn clear(&mut self) {
        self.cookies.clear();
    }

    /// How many cookies there are.
    pub fn len(&self) -> usize {
        self.cookies.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.cookies.is_empty()
    }

    /// The `Cookie` header these cookies make (values percent-encoded).
    pub fn to_header_value(&self) -> String {
        self.cookies
            .iter()
            .map(|c| format!("{}={}", c.name, encode(&c.value)))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

fn encode(value: &str) -> String {
    utf8_percent_encode(value, URI_COMPONENT).to_string()
}

/// The `SameSite` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SameSite {
    /// `SameSite=strict`
    Strict,
    /// `SameSite=lax`
    Lax,
    /// `SameSite=none` (browsers require `Secure` with it)
    None,
}

/// The `Priority` attribute (Chromium).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Priority {
    /// `Priority=low`
    Low,
    /// `Priority=medium`
    Medium,
    /// `Priority=high`
    High,
}

/// A cookie to send, with its attributes (`response.cookies.set(name, value, options)`).
///
/// Serialised as Next.js does: `name=encodeURIComponent(value)`, then `Path` (default `/`),
/// `Expires`, `Max-Age`, `Domain`, `Secure`, `HttpOnly`, `SameSite`, `Partitioned`, `Priority`;
/// a max-age also sets `Expires` to now plus that age.
///
/// ```
/// use arbor::cookies::{ResponseCookie, SameSite};
///
/// let cookie = ResponseCookie::new("prefs", "a b;c")
///     .path("/cookies")
///     .secure(true)
///     .http_only(true)
///     .same_site(SameSite::Lax);
/// assert_eq!(
///     cookie.to_string(),
///     "prefs=a%20b%3Bc; Path=/cookies; Secure; HttpOnly; SameSite=lax"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseCookie {
    name: String,
    value: String,
    path: String,
    expires: Option<SystemTime>,
    max_age: Option<i64>,
    domain: Option<String>,
    secure: bool,
    http_only: bool,
    same_site: Option<SameSite>,
    partitioned: bool,
    priority: Option<Priority>,
}

impl ResponseCookie {
    /// A cookie with `Path=/` and no other attribute.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        ResponseCookie {
            name: name.into(),
            value: value.into(),
            path: "/".to_owned(),
            expires: None,
            max_age: None,
            domain: None,
            secure: false,
            http_only: false,
            same_site: None,
            partitioned: false,
            priority: None,
        }
    }

    /// The cookie that deletes `name`: empty, expired in 1970.
    pub fn expired(name: impl Into<String>) -> Self {
        Self::new(name, "").expires(SystemTime::UNIX_EPOCH)
    }

    /// Whether setting this cookie removes it from the browser: already expired, or
    /// `Max-Age` of zero or less.
    pub(crate) fn removes(&self) -> bool {
        self.max_age.is_some_and(|age| age <= 0)
            || self.expires.is_some_and(|at| at <= SystemTime::now())
    }

    /// The name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The value, not encoded.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// `Path`.
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }

    /// `Expires`.
    pub fn expires(mut self, at: SystemTime) -> Self {
        self.expires = Some(at);
        self
    }

    /// `Max-Age`, in seconds; also sets `Expires` to now plus that age.
    pub fn max_age(mut self, seconds: i64) -> Self {
        self.max_age = Some(seconds);
        let now = SystemTime::now();
        self.expires = Some(if seconds >= 0 {
            now + Duration::from_secs(seconds.unsigned_abs())
        } else {
            now.checked_sub(Duration::from_secs(seconds.unsigned_abs()))
                .unwrap_or(SystemTime::UNIX_EPOCH)
        });
        self
    }

    /// `Domain`.
    pub fn domain(mut self, domain: impl Into<String>) -> Self {
        self.domain = Some(domain.into());
        self
    }

    /// `Secure`.
    pub fn secure(mut self, secure: bool) -> Self {
        self.secure = secure;
        self
    }

    /// `HttpOnly`.
    pub fn http_only(mut self, http_only: bool) -> Self {
        self.http_only = http_only;
        self
    }

    /// `SameSite`.
    pub fn same_site(mut self, same_site: SameSite) -> Self {
        self.same_site = Some(same_site);
        self
    }

    /// `Partitioned`.
    pub fn partitioned(mut self, partitioned: bool) -> Self {
        self.partitioned = partitioned;
        self
    }

    /// `Priority`.
    pub fn priority(mut self, priority: Priority) -> Self {
        self.priority = Some(priority);
        self
    }

    pub(crate) fn header_value(&self) -> HeaderValue {
        // Names and attribute values come from the program; anything a header cannot hold
        // is percent-encoded by `Display`, so this only fails on control characters in a name.
        HeaderValue::try_from(self.to_string())
            .unwrap_or_else(|_| HeaderValue::from_static("invalid-cookie=; Path=/"))
    }
}

impl fmt::Display for ResponseCookie {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}={}; Path={}",
            self.name,
            encode(&self.value),
            self.path
        )?;
        if let Some(expires) = self.expires {
            write!(f, "; Expires={}", httpdate::fmt_http_date(expires))?;
        }
        if let Some(max_age) = self.max_age {
            write!(f, "; Max-Age={max_age}")?;
        }
        if let Some(domain) = &self.domain {
            write!(f, "; Domain={domain}")?;
        }
        if self.secure {
            f.write_str("; Secure")?;
        }
        if self.http_only {
            f.write_str("; HttpOnly")?;
        }
        if let Some(same_site) = self.same_site {
            f.write_str(match same_site {
                SameSite::Strict => "; SameSite=strict",
                SameSite::Lax => "; SameSite=lax",
                SameSite::None => "; SameSite=none",
            })?;
        }
        if self.partitioned {
            f.write_str("; Partitioned")?;
        }
        if let Some(priority) = self.priority {
            f.write_str(match priority {
                Priority::Low => "; Priority=low",
                Priority::Medium => "; Priority=medium",
                Priority::High => "; Priority=high",
            })?;
        }
        Ok(())
    }
}

/// The name of a `Set-Cookie` line.
pub(crate) fn set_cookie_name(value: &HeaderValue) -> Option<&str> {
    value.to_str().ok().map(line_name)
}

/// The cookies a response sets (`response.cookies` in Next.js): a view over its `Set-Cookie`
/// lines. Setting a name again replaces its line.
///
/// ```
/// use arbor::prelude::*;
///
/// let mut response = Response::text("ok");
/// let mut cookies = response.cookies_mut();
/// cookies.set("a", "1").set("a", "2");
/// assert!(cookies.has("a"));
/// assert_eq!(cookies.get("a"), Some("a=2; Path=/"));
/// ```
pub struct ResponseCookies<'a> {
    lines: &'a mut dyn SetCookieLines,
}

impl std::fmt::Debug for ResponseCookies<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.lines.all()).finish()
    }
}

/// Where `Set-Cookie` lines are kept: a response's headers, or what a middleware's `Next`
/// sets.
pub(crate) trait SetCookieLines: Send {
    /// Whether there is any line.
    fn any(&self) -> bool;
    /// Every line, in order.
    fn all(&self) -> Vec<&str>;
    /// Adds a line after the others.
    fn push(&mut self, line: HeaderValue);
    /// Removes the lines that set `name`.
    fn remove_named(&mut self, name: &str);
}

impl SetCookieLines for HeaderMap {
    fn any(&self) -> bool {
        self.contains_key(SET_COOKIE)
    }

    fn all(&self) -> Vec<&str> {
        self.get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect()
    }

    fn push(&mut self, line: HeaderValue) {
        self.append(SET_COOKIE, line);
    }

    fn remove_named(&mut self, name: &str) {
        if !self
            .get_all(SET_COOKIE)
            .iter()
            .any(|v| set_cookie_name(v) == Some(name))
        {
            return;
        }
        let kept: Vec<HeaderValue> = self
            .get_all(SET_COOKIE)
            .iter()
            .filter(|v| set_cookie_name(v) != Some(name))
            .cloned()
            .collect();
        self.remove(SET_COOKIE);
        for value in kept {
            self.append(SET_COOKIE, value);
        }
    }
}

impl<'a> ResponseCookies<'a> {
    pub(crate) fn new(lines: &'a mut dyn SetCookieLines) -> Self {
        ResponseCookies { lines }
    }

    /// Sets `name=value; Path=/`.
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.set_cookie(ResponseCookie::new(name, value))
    }

    /// Sets a cookie with its attributes.
    pub fn set_cookie(&mut self, cookie: ResponseCookie) -> &mut Self {
        self.lines.remove_named(cookie.name());
        self.lines.push(cookie.header_value());
        self
    }

    /// Deletes a cookie in the browser: `name=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT`.
    pub fn delete(&mut self, name: impl Into<String>) -> &mut Self {
        self.set_cookie(ResponseCookie::expired(name))
    }

    /// The `Set-Cookie` line for `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.lines
            .all()
            .into_iter()
            .find(|line| line_name(line) == name)
    }

    /// Every `Set-Cookie` line.
    pub fn get_all(&self) -> Vec<&str> {
        self.lines.all()
    }

    /// Whether the response sets `name`.
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
}

/// The name a `Set-Cookie` line sets.
fn line_name(line: &str) -> &str {
    line.split_once('=').map_or(line, |(name, _)| name).trim()
}

/// The cookies a middleware set on its `Next` or `Rewrite`: the handler's cookie readers see
/// them, as Next.js pages do (`x-middleware-set-cookie`), without an internal header.
#[derive(Debug, Clone, Default)]
pub(crate) struct ProxyCookies(pub(crate) Arc<Vec<(String, String)>>);

impl ProxyCookies {
    /// The name and decoded value of each `Set-Cookie` line; `None` when none.
    pub(crate) fn from_set_cookie(lines: &dyn SetCookieLines) -> Option<ProxyCookies> {
        if !lines.any() {
            return None;
        }
        let mut cookies = Vec::new();
        for line in lines.all() {
            let pair = line.split(';').next().unwrap_or("");
            if let Some((name, value)) = pair.split_once('=') {
                let value = percent_decode_str(value.trim()).decode_utf8_lossy();
                cookies.push((name.trim().to_owned(), value.into_owned()));
            }
        }
        (!cookies.is_empty()).then(|| ProxyCookies(Arc::new(cookies)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_like_next() {
        let c = RequestCookies::parse("a=1; b=x%20y; bad=%E0%A4%A; flag; a=2");
        let pairs: Vec<(&str, &str)> = c
            .get_all()
            .iter()
            .map(|c| (c.name.as_str(), c.value.as_str()))
            .collect();
        assert_eq!(pairs, [("a", "2"), ("b", "x y"), ("flag", "true")]);
    }

    #[test]
    fn serialises_in_next_order() {
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let cookie = ResponseCookie::new("n", "v")
            .priority(Priority::High)
            .partitioned(true)
            .same_site(SameSite::None)
            .http_only(true)
            .secure(true)
            .domain("example.com")
            .expires(at)
            .path("/p");
        assert_eq!(
            cookie.to_string(),
            "n=v; Path=/p; Expires=Fri, 15 Jan 2027 08:00:00 GMT; Domain=example.com; Secure; HttpOnly; SameSite=none; Partitioned; Priority=high"
        );
        assert_eq!(
            ResponseCookie::expired("old").to_string(),
            "old=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT"
        );
    }

    #[test]
    fn response_cookies_replace_by_name() {
        let mut headers = HeaderMap::new();
        headers.append(SET_COOKIE, HeaderValue::from_static("manual=1; Path=/"));
        let mut cookies = ResponseCookies::new(&mut headers);
        cookies.set("a", "1").set("b", "2").set("a", "3");
        assert_eq!(
            cookies.get_all(),
            ["manual=1; Path=/", "b=2; Path=/", "a=3; Path=/"]
        );
        assert!(cookies.has("manual"));
        assert_eq!(cookies.get("a"), Some("a=3; Path=/"));
    }
}
