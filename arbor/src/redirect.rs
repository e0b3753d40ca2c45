//! Redirects: the statuses a redirect may have, and how every redirect Arbor sends writes its
//! `Location` ([`Response::redirect`](crate::Response::redirect), [`redirect`](crate::redirect),
//! [`Error::redirect`](crate::Error::redirect), the middleware's and the framework's own).

use http::{HeaderValue, StatusCode};
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

/// What a `Location` cannot hold as is: controls, spaces, `"`, `<`, `>`, `` ` `` and every
/// non-ASCII byte are percent-encoded; everything else is written exactly as given.
const LOCATION_UNSAFE: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'<').add(b'>').add(b'`');

/// The statuses a redirect can have: anything else does not compile.
///
/// Every redirect writes its target into `Location` exactly as given (relative stays
/// relative, as Next.js's `redirect()` does), except for the bytes a header cannot hold
/// (spaces, controls, non-ASCII), which are percent-encoded, so no target can fail.
///
/// ```
/// use arbor::prelude::*;
///
/// let response = Response::redirect_with("/search?q=a b", RedirectStatus::SeeOther);
/// assert_eq!(response.status(), StatusCode::SEE_OTHER);
/// assert_eq!(response.headers()["location"], "/search?q=a%20b");
/// assert_eq!(RedirectStatus::default(), RedirectStatus::Temporary);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RedirectStatus {
    /// 301 Moved Permanently (clients may turn POST into GET).
    MovedPermanently,
    /// 302 Found (clients may turn POST into GET).
    Found,
    /// 303 See Other: the client follows with a GET.
    SeeOther,
    /// 307 Temporary Redirect, the default: method and body are kept.
    #[default]
    Temporary,
    /// 308 Permanent Redirect: method and body are kept.
    Permanent,
}

impl RedirectStatus {
    /// The status code.
    pub fn status(self) -> StatusCode {
        match self {
            RedirectStatus::MovedPermanently => StatusCode::MOVED_PERMANENTLY,
            RedirectStatus::Found => StatusCode::FOUND,
            RedirectStatus::SeeOther => StatusCode::SEE_OTHER,
            RedirectStatus::Temporary => StatusCode::TEMPORARY_REDIRECT,
            RedirectStatus::Permanent => StatusCode::PERMANENT_REDIRECT,
        }
    }
}

/// `to` as a `Location` value: as given, with the bytes a header cannot hold percent-encoded.
pub(crate) fn location(to: &str) -> HeaderValue {
    let encoded = utf8_percent_encode(to, LOCATION_UNSAFE).to_string();
    // Every byte left is visible ASCII, which a header value always holds.
    HeaderValue::try_from(encoded).unwrap_or_else(|_| HeaderValue::from_static("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_kept_except_what_a_header_cannot_hold() {
        assert_eq!(location("/login?next=%2Fa"), "/login?next=%2Fa");
        assert_eq!(location("https://example.com/x"), "https://example.com/x");
        assert_eq!(location("/a b"), "/a%20b");
        assert_eq!(location("/café"), "/caf%C3%A9");
        assert_eq!(
            location("/x\r\nSet-Cookie: a=1"),
            "/x%0D%0ASet-Cookie:%20a=1"
        );
    }
}
