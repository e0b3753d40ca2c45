//! The matcher at run time: the regexes `arbor-build` compiled from `CONFIG`, built once at
//! start-up, and the `has` / `missing` conditions.

use fancy_regex::Regex;
use http::HeaderMap;

use super::config::HasKind;
use crate::cookie::RequestCookies;
use crate::url::SearchParams;

/// A matcher entry as `arbor-build` compiled it. Generated code builds these.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct CompiledMatcher {
    pub source: &'static str,
    pub regex: &'static str,
    /// What every matching pathname starts with, besides Next's data-route prefix.
    pub prefix: &'static str,
    /// The pathnames sure to match without the regex.
    pub shortcut: Shortcut,
    pub has: &'static [CompiledCondition],
    pub missing: &'static [CompiledCondition],
}

/// The pathnames a source surely matches, as `arbor-build` found them: most requests that run
/// the middleware skip the regex. It only ever answers yes; the regex decides the rest.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum Shortcut {
    /// The regex decides.
    None,
    /// This pathname matches (`/exact`).
    Exact(&'static str),
    /// This pathname and every one under it match (`/about/:path*`).
    Subtree(&'static str),
}

impl Shortcut {
    fn takes(self, path: &str) -> bool {
        match self {
            Shortcut::None => false,
            Shortcut::Exact(exact) => path == exact,
            Shortcut::Subtree(root) => path
                .strip_prefix(root)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/')),
        }
    }
}

/// A condition as `arbor-build` compiled it (`value` anchored). Generated code builds these.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct CompiledCondition {
    pub kind: HasKind,
    pub key: &'static str,
    pub value: Option<&'static str>,
}

/// A condition, its value's regex built.
pub(crate) struct Condition {
    pub(crate) kind: HasKind,
    pub(crate) key: &'static str,
    pub(crate) value: Option<Regex>,
}

impl Condition {
    /// Builds the regexes of compiled conditions (`source` names the rule in the error).
    pub(crate) fn all(
        list: &'static [CompiledCondition],
        source: &str,
    ) -> std::io::Result<Vec<Condition>> {
        list.iter()
            .map(|c| {
                Ok(Condition {
                    kind: c.kind,
                    key: c.key,
                    value: c.value.map(|v| regex(v, source)).transpose()?,
                })
            })
            .collect()
    }
}

struct Entry {
    path: Regex,
    /// What every matching path starts with (besides Next's `/_next/data/…` prefix), so most
    /// requests are turned away without running the regex.
    prefix: &'static str,
    shortcut: Shortcut,
    has: Vec<Condition>,
    missing: Vec<Condition>,
}

/// The matcher, built once at start-up.
pub(crate) struct Matchers {
    entries: Option<Vec<Entry>>,
}

/// A regex `arbor-build` compiled and checked; `source` names its rule if it fails anyway.
pub(crate) fn regex(pattern: &str, source: &str) -> std::io::Result<Regex> {
    Regex::new(pattern).map_err(|e| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("the pattern of {source:?}: {e}"),
        )
    })
}

impl Matchers {
    pub(crate) fn new(compiled: Option<&'static [CompiledMatcher]>) -> std::io::Result<Matchers> {
        let Some(compiled) = compiled else {
            return Ok(Matchers { entries: None });
        };
        let entries = compiled
            .iter()
            .map(|m| {
                Ok(Entry {
                    path: regex(m.regex, m.source)?,
                    prefix: m.prefix,
                    shortcut: m.shortcut,
                    has: Condition::all(m.has, m.source)?,
                    missing: Condition::all(m.missing, m.source)?,
                })
            })
            .collect::<std::io::Result<Vec<_>>>()?;
        Ok(Matchers {
            entries: Some(entries),
        })
    }

    /// Whether the middleware runs for this request: the path is tested as received and, if
    /// that fails, percent-decoded.
    pub(crate) fn matches(&self, path: &str, query: Option<&str>, headers: &HeaderMap) -> bool {
        let Some(entries) = &self.entries else {
            return true;
        };
        // An escaped path, or Next's data routes, always go on to the regex; other paths are
        // mostly turned away by an entry's literal prefix alone.
        let candidate = entries.iter().any(|entry| path.starts_with(entry.prefix))
            || path.starts_with(NEXT_DATA);
        let escaped = path.as_bytes().contains(&b'%');
        if !candidate && !escaped {
            return false;
        }
        let mut decoded: Option<String> = None;
        let mut facts: Option<Facts<'_>> = None;
        for entry in entries {
            if !escaped && !path.starts_with(entry.prefix) && !path.starts_with(NEXT_DATA) {
                continue;
            }
            let path_matches = entry.shortcut.takes(path)
                || entry.path.is_match(path).unwrap_or(false)
                || (escaped && {
                    let decoded = decoded.get_or_insert_with(|| {
                        percent_encoding::percent_decode_str(path)
                            .decode_utf8_lossy()
                            .into_owned()
                    });
                    entry.path.is_match(decoded).unwrap_or(false)
                });
            if !path_matches {
                continue;
            }
            if entry.has.is_empty() && entry.missing.is_empty() {
                return true;
            }
            let facts = facts.get_or_insert(Facts::new(headers, query));
            if entry.has.iter().all(|c| facts.holds(c))
                && !entry.missing.iter().any(|c| facts.holds(c))
            {
                return true;
            }
        }
        false
    }
}

/// Next's data routes, which every matcher also accepts in front of its source.
const NEXT_DATA: &str = "/_next/data/";

/// What conditions look at, parsed only when a condition needs it.
pub(crate) struct Facts<'a> {
    headers: &'a HeaderMap,
    query: Option<&'a str>,
    cookies: Option<RequestCookies>,
    params: Option<SearchParams>,
}

impl<'a> Facts<'a> {
    pub(crate) fn new(headers: &'a HeaderMap, query: Option<&'a str>) -> Self {
        Facts {
            headers,
            query,
            cookies: None,
            params: None,
        }
    }

    pub(crate) fn holds(&mut self, condition: &Condition) -> bool {
        let value = self.value(condition);
        match (&condition.value, value) {
            (None, Some(v)) => !v.is_empty(),
            (Some(re), Some(v)) => re.is_match(&v).unwrap_or(false),
            (_, None) => false,
        }
    }

    /// What a condition tests: the header, cookie or last query value, or the host name
    /// without its port.
    pub(crate) fn value(&mut self, condition: &Condition) -> Option<String> {
        match condition.kind {
            HasKind::Header => self
                .headers
                .get(condition.key)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            HasKind::Cookie => {
                let headers = self.headers;
                self.cookies
                    .get_or_insert_with(|| RequestCookies::from_headers(headers))
                    .get(condition.key)
                    .map(|c| c.value.clone())
            }
            HasKind::Query => {
                let query = self.query.unwrap_or("");
                self.params
                    .get_or_insert_with(|| SearchParams::parse(query))
                    .get_all(condition.key)
                    .last()
                    .map(|v| (*v).to_owned())
            }
            HasKind::Host => self
                .headers
                .get(http::header::HOST)
                .and_then(|v| v.to_str().ok())
                .map(|h| h.split(':').next().unwrap_or("").to_ascii_lowercase()),
        }
    }
}
