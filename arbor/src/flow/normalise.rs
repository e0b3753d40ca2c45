//! The first stage of every request: `CONNECT` is 405 and `OPTIONS *` is answered for the whole server
//! (RFC 9110 §9.3.6, §9.3.7); repeated slashes and a trailing slash redirect (308) to the
//! clean path; and a malformed percent-escape is the client's error (400).
//!
//! With `TRAILING_SLASH = true` in `arbor.config.rs` the clean path ends with a slash instead,
//! except a path whose last segment has an extension (`/file.txt`) or is under
//! `/.well-known`, as Next.js's `trailingSlash: true` has it.

use axum::extract::NestedPath;
use http::{HeaderValue, Method};

use crate::answers;
use crate::body::Body;

/// What the first stage decided.
pub(crate) enum Normalised {
    /// Go on.
    Go,
    /// Answer at once: 308 to the clean path, or 400.
    Answer(http::Response<Body>),
}

/// The methods a server built with Arbor can answer, for `OPTIONS *` and a `CONNECT`.
const SERVER_METHODS: HeaderValue =
    HeaderValue::from_static("DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT");

/// Where the clean path puts its last slash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Slash {
    /// `/about` (Next.js's default).
    #[default]
    Never,
    /// `/about/`, but `/file.txt` (`trailingSlash: true`).
    Always,
}

/// Checks the request's head and path.
pub(crate) fn request(req: &http::Request<Body>, slash: Slash) -> Normalised {
    match check(req.uri().path(), req.uri().query(), slash) {
        PathCheck::Clean if req.method() != Method::CONNECT => Normalised::Go,
        // Not a path: `CONNECT host:port` (authority form) or `OPTIONS *` (asterisk form).
        _ if req.method() == Method::CONNECT => {
            Normalised::Answer(answers::method_not_allowed(&SERVER_METHODS))
        }
        _ if req.uri().path() == "*" => Normalised::Answer(if req.method() == Method::OPTIONS {
            answers::options(&SERVER_METHODS)
        } else {
            answers::bad_request()
        }),
        PathCheck::Clean => Normalised::Go,
        PathCheck::Redirect(location) => {
            Normalised::Answer(answers::permanent_redirect(mounted(req, location)))
        }
        PathCheck::MalformedEscape => Normalised::Answer(answers::bad_request()),
    }
}

/// Takes `base` (`BASE_PATH`) off the request's path: `/base/items/7` is routed as
/// `/items/7`, and its handler sees that path. `false` (the path left as it was) when the
/// path is not under `base`.
pub(crate) fn strip_base(req: &mut http::Request<Body>, base: &str) -> bool {
    let uri = req.uri();
    let Some(rest) = uri.path().strip_prefix(base) else {
        return false;
    };
    if !(rest.is_empty() || rest.starts_with('/')) {
        return false;
    }
    let rest = if rest.is_empty() { "/" } else { rest };
    let target = match uri.query() {
        Some(query) => format!("{rest}?{query}"),
        None => rest.to_owned(),
    };
    match target.parse() {
        Ok(stripped) => {
            *req.uri_mut() = stripped;
            true
        }
        Err(_) => false,
    }
}

/// A location of this app as the client must ask for it: inside an axum router that nested
/// the app (`nest_service("/api", app)`), with the mount's prefix in front.
fn mounted(req: &http::Request<Body>, location: String) -> String {
    match req.extensions().get::<NestedPath>() {
        Some(nested) => format!("{}{location}", nested.as_str().trim_end_matches('/')),
        None => location,
    }
}

/// What to do with a request path before routing it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum PathCheck {
    /// The path is clean: route it.
    Clean,
    /// Redirect (308) to this location: the clean path with the query kept.
    Redirect(String),
    /// A `%` not followed by two hex digits, or escapes that are not UTF-8.
    MalformedEscape,
}

/// Whether a path's last segment is a file name (`name.ext`) or under `/.well-known`: with
/// `Slash::Always` those end without a slash.
fn file_like(path: &str) -> bool {
    let trimmed = path.trim_end_matches('/');
    let last = trimmed.rsplit('/').next().unwrap_or("");
    let extension = last.rsplit_once('.').is_some_and(|(name, ext)| {
        !name.is_empty()
            && !ext.is_empty()
            && ext.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    });
    extension || trimmed.starts_with("/.well-known")
}

/// Checks a raw request path (and its query, kept on redirects).
pub(crate) fn check(path: &str, query: Option<&str>, slash: Slash) -> PathCheck {
    let bytes = path.as_bytes();
    let wants_slash = slash == Slash::Always && bytes.len() > 1 && !file_like(path);
    let slash_wrong = bytes.len() > 1 && path.ends_with('/') != wants_slash;
    let mut untidy = bytes.first() != Some(&b'/') || slash_wrong;
    let mut escaped = false;
    // One pass over the bytes: a repeated slash, a backslash, a percent-escape.
    let mut previous = 0u8;
    for &byte in bytes {
        match byte {
            b'/' if previous == b'/' => untidy = true,
            b'\\' => untidy = true,
            b'%' => escaped = true,
            _ => {}
        }
        previous = byte;
    }
    if untidy {
        let mut clean = String::with_capacity(path.len() + 1);
        for segment in path.split(['/', '\\']).filter(|s| !s.is_empty()) {
            clean.push('/');
            clean.push_str(segment);
        }
        if clean.is_empty() || (slash == Slash::Always && !file_like(&clean)) {
            clean.push('/');
        }
        if let Some(query) = query {
            clean.push('?');
            clean.push_str(query);
        }
        return PathCheck::Redirect(clean);
    }
    if escaped && !escapes_are_valid(path) {
        return PathCheck::MalformedEscape;
    }
    PathCheck::Clean
}

fn escapes_are_valid(path: &str) -> bool {
    crate::escape::decode(path).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_never(path: &str, query: Option<&str>) -> PathCheck {
        check(path, query, Slash::Never)
    }

    #[test]
    fn with_trailing_slashes_the_clean_path_ends_with_one_except_files() {
        let always = |path| check(path, None, Slash::Always);
        assert_eq!(always("/"), PathCheck::Clean);
        assert_eq!(always("/api/hello/"), PathCheck::Clean);
        assert_eq!(always("/file.txt"), PathCheck::Clean);
        assert_eq!(always("/.well-known/security"), PathCheck::Clean);
        assert_eq!(always("/base"), PathCheck::Redirect("/base/".into()));
        assert_eq!(
            check("/api/hello", Some("x=1"), Slash::Always),
            PathCheck::Redirect("/api/hello/?x=1".into())
        );
        assert_eq!(
            always("/file.txt/"),
            PathCheck::Redirect("/file.txt".into())
        );
        assert_eq!(always("//a//b"), PathCheck::Redirect("/a/b/".into()));
        assert_eq!(always("/v1.2/"), PathCheck::Redirect("/v1.2".into()));
    }

    #[test]
    fn clean_paths_pass() {
        assert_eq!(check_never("/", None), PathCheck::Clean);
        assert_eq!(check_never("/comments/1", Some("a=1")), PathCheck::Clean);
        assert_eq!(check_never("/echo/a%20b", None), PathCheck::Clean);
    }

    #[test]
    fn trailing_and_repeated_slashes_redirect() {
        assert_eq!(
            check_never("/comments/", None),
            PathCheck::Redirect("/comments".into())
        );
        assert_eq!(
            check_never("/comments/", Some("query=first")),
            PathCheck::Redirect("/comments?query=first".into())
        );
        assert_eq!(
            check_never("//only-get", None),
            PathCheck::Redirect("/only-get".into())
        );
        assert_eq!(
            check_never("/a//b/", None),
            PathCheck::Redirect("/a/b".into())
        );
        assert_eq!(check_never("//", None), PathCheck::Redirect("/".into()));
    }

    #[test]
    fn malformed_escapes_are_rejected() {
        assert_eq!(
            check_never("/echo/%E0%A4%A", None),
            PathCheck::MalformedEscape
        );
        assert_eq!(check_never("/echo/%zz", None), PathCheck::MalformedEscape);
        assert_eq!(check_never("/echo/%FF", None), PathCheck::MalformedEscape);
        assert_eq!(check_never("/echo/%C3%A9", None), PathCheck::Clean);
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn is_clean(path: &str) -> bool {
            path.starts_with('/')
                && !path.contains("//")
                && !path.contains('\\')
                && (path == "/" || !path.ends_with('/'))
        }

        proptest! {
            #![proptest_config(ProptestConfig {
                cases: 4096,
                failure_persistence: None,
                ..ProptestConfig::default()
            })]

            #[test]
            fn a_path_is_routed_redirected_to_its_clean_form_or_refused(
                path in "[a-z/\\\\%0-9A-F.]{0,16}",
                query in proptest::option::of("[a-z=&/]{0,6}"),
            ) {
                match check_never(&path, query.as_deref()) {
                    PathCheck::Clean => {
                        prop_assert!(is_clean(&path), "{:?} passed", path);
                        prop_assert!(crate::escape::decode(&path).is_some());
                    }
                    PathCheck::Redirect(location) => {
                        prop_assert!(!is_clean(&path), "{:?} was redirected", path);
                        let (clean, kept) = match location.split_once('?') {
                            Some((clean, kept)) => (clean, Some(kept)),
                            None => (location.as_str(), None),
                        };
                        prop_assert!(is_clean(clean), "{:?} went to {:?}", path, location);
                        prop_assert_eq!(kept, query.as_deref());
                        // The same segments, in order, and one redirect is enough.
                        let segments = |p: &str| -> Vec<String> {
                            p.split(['/', '\\']).filter(|s| !s.is_empty()).map(str::to_owned).collect()
                        };
                        prop_assert_eq!(segments(clean), segments(&path));
                        prop_assert!(!matches!(check_never(clean, None), PathCheck::Redirect(_)));
                    }
                    PathCheck::MalformedEscape => {
                        prop_assert!(is_clean(&path));
                        prop_assert!(crate::escape::decode(&path).is_none());
                    }
                }
            }

            #[test]
            fn any_path_is_checked_without_panicking(path in any::<String>()) {
                let _ = check(&path, None, Slash::Never);
                let _ = check(&path, None, Slash::Always);
            }
        }
    }
}
