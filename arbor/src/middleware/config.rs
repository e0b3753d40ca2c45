//! `CONFIG` of the middleware file: the matcher entries, as a user writes them. `arbor-build`
//! reads and compiles them at build time.

/// The middleware's configuration: `pub const CONFIG: Config = Config { matcher: &[...] };`.
#[derive(Debug, Clone, Copy)]
pub struct Config {
    /// The requests the middleware runs for: one entry matching is enough.
    pub matcher: &'static [Matcher],
}

/// One matcher entry: a path source, and conditions on the request.
#[derive(Debug, Clone, Copy)]
pub struct Matcher {
    source: &'static str,
    has: &'static [Has],
    missing: &'static [Has],
}

impl Matcher {
    /// Requests whose path matches `source` (`/about/:path*`).
    pub const fn new(source: &'static str) -> Self {
        Matcher {
            source,
            has: &[],
            missing: &[],
        }
    }

    /// ... when every one of these conditions holds.
    pub const fn has(mut self, conditions: &'static [Has]) -> Self {
        self.has = conditions;
        self
    }

    /// ... when none of these conditions holds.
    pub const fn missing(mut self, conditions: &'static [Has]) -> Self {
        self.missing = conditions;
        self
    }

    /// The source as written.
    pub const fn source(&self) -> &'static str {
        self.source
    }
}

/// What a condition looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HasKind {
    /// A request header (name case-insensitive).
    Header,
    /// A cookie.
    Cookie,
    /// A query parameter (the last value when repeated).
    Query,
    /// The host name, without the port.
    Host,
}

/// A condition of a matcher entry: present, or with a value matching `^value$`.
#[derive(Debug, Clone, Copy)]
pub struct Has {
    kind: HasKind,
    key: &'static str,
    value: Option<&'static str>,
}

impl Has {
    /// The header `key` is present.
    pub const fn header(key: &'static str) -> Self {
        Has {
            kind: HasKind::Header,
            key,
            value: None,
        }
    }

    /// The cookie `key` is present.
    pub const fn cookie(key: &'static str) -> Self {
        Has {
            kind: HasKind::Cookie,
            key,
            value: None,
        }
    }

    /// The query parameter `key` is present.
    pub const fn query(key: &'static str) -> Self {
        Has {
            kind: HasKind::Query,
            key,
            value: None,
        }
    }

    /// The host name matches `pattern` (a regular expression, anchored).
    pub const fn host(pattern: &'static str) -> Self {
        Has {
            kind: HasKind::Host,
            key: "",
            value: Some(pattern),
        }
    }

    /// ... and its value matches `pattern` (a regular expression, anchored at both ends).
    pub const fn value(mut self, pattern: &'static str) -> Self {
        self.value = Some(pattern);
        self
    }

    /// What the condition looks at.
    pub const fn kind(&self) -> HasKind {
        self.kind
    }

    /// The header, cookie or query key (empty for a host).
    pub const fn key(&self) -> &'static str {
        self.key
    }

    /// The value pattern, if any.
    pub const fn value_pattern(&self) -> Option<&'static str> {
        self.value
    }
}
