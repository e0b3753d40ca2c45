//! The app config at run time (`arbor.config.rs`): the rules `arbor-build` compiled, their
//! regexes built once at start-up, and what they decide for a request: the headers its
//! answer gets, a redirect, and where each rewrite phase sends it.
//!
//! Sources are tested against the path as received (percent-encoding kept, as Next.js
//! substitutes it), without `BASE_PATH` for the rules under it and without the trailing slash
//! `TRAILING_SLASH` adds; captures fill the destination's `:params`, and a condition's named
//! groups (`(?<user>[a-z]+)`) and valueless keys join them.

use std::borrow::Cow;
use std::io;

use fancy_regex::Regex;
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode, Uri};

use super::normalise::Slash;
use crate::answers;
use crate::body::Body;
use crate::headers::HeaderList;
use crate::middleware::matcher::{regex, CompiledCondition, Condition, Facts};
use crate::middleware::HasKind;

type Response = http::Response<Body>;

/// A rule's source and conditions as `arbor-build` compiled them. Generated code builds these.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct CompiledRule {
    pub source: &'static str,
    pub regex: &'static str,
    pub keys: &'static [&'static str],
    pub has: &'static [CompiledCondition],
    pub missing: &'static [CompiledCondition],
    /// Whether the source (and a path destination) is under `BASE_PATH` (Next.js's
    /// `basePath: false` makes it `false`).
    pub base_path: bool,
}

/// A redirect as compiled. Generated code builds these.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct CompiledRedirect {
    pub rule: CompiledRule,
    pub destination: &'static str,
    pub status: u16,
}

/// A rewrite as compiled. Generated code builds these.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct CompiledRewrite {
    pub rule: CompiledRule,
    pub destination: &'static str,
}

/// A header rule as compiled. Generated code builds these.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct CompiledHeaders {
    pub rule: CompiledRule,
    pub headers: &'static [(&'static str, &'static str)],
}

/// `arbor.config.rs`, compiled. Generated code builds it.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct CompiledConfig {
    pub redirects: &'static [CompiledRedirect],
    pub before_files: &'static [CompiledRewrite],
    pub after_files: &'static [CompiledRewrite],
    pub fallback: &'static [CompiledRewrite],
    pub headers: &'static [CompiledHeaders],
    /// `BASE_PATH`: where the app is served (`/docs`), if not at `/`.
    pub base_path: Option<&'static str>,
    /// `TRAILING_SLASH`: canonical URLs end with `/`.
    pub trailing_slash: bool,
}

/// A rewrite phase.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Phase {
    BeforeFiles,
    AfterFiles,
    Fallback,
}

/// Where a rewrite sends a request.
#[derive(Debug)]
pub(crate) enum Rewritten {
    /// A path of this app: routed there, the request's own URL kept.
    Path(String),
    /// Another origin: proxied.
    External(Uri),
}

/// The app config, ready.
pub(crate) struct Rules {
    /// `BASE_PATH`.
    pub(crate) base_path: Option<&'static str>,
    /// `TRAILING_SLASH`.
    pub(crate) slash: Slash,
    redirects: Vec<(Rule, Template, StatusCode)>,
    before_files: Vec<(Rule, Template)>,
    after_files: Vec<(Rule, Template)>,
    fallback: Vec<(Rule, Template)>,
    headers: Vec<(Rule, Vec<(HeaderName, Template)>)>,
}

impl Rules {
    /// Builds the regexes and reads the environment variables destinations name.
    pub(crate) fn new(config: &CompiledConfig) -> io::Result<Rules> {
        let rewrites = |list: &'static [CompiledRewrite]| {
            list.iter()
                .map(|r| Ok((Rule::new(&r.rule)?, Template::destination(r.destination)?)))
                .collect::<io::Result<Vec<_>>>()
        };
        Ok(Rules {
            base_path: config.base_path,
            slash: if config.trailing_slash {
                Slash::Always
            } else {
                Slash::Never
            },
            redirects: config
                .redirects
                .iter()
                .map(|r| {
                    let status = StatusCode::from_u16(r.status).map_err(invalid)?;
                    Ok((
                        Rule::new(&r.rule)?,
                        Template::destination(r.destination)?,
                        status,
                    ))
                })
                .collect::<io::Result<_>>()?,
            before_files: rewrites(config.before_files)?,
            after_files: rewrites(config.after_files)?,
            fallback: rewrites(config.fallback)?,
            headers: config
                .headers
                .iter()
                .map(|h| {
                    let headers = h
                        .headers
                        .iter()
                        .map(|(name, value)| {
                            Ok((
                                HeaderName::try_from(*name).map_err(invalid)?,
                                Template::parse_plain(value),
                            ))
                        })
                        .collect::<io::Result<_>>()?;
                    Ok((Rule::new(&h.rule)?, headers))
                })
                .collect::<io::Result<_>>()?,
        })
    }

    /// The path a rule's source is tested against: the request's, without `BASE_PATH` for
    /// the rules under it (`None` for a request outside it), with it for the others, and
    /// without the trailing slash `TRAILING_SLASH` puts there.
    fn subject<'a>(&self, rule: &Rule, path: &'a str, inside: bool) -> Option<Cow<'a, str>> {
        let trimmed = match self.slash {
            Slash::Always if path.len() > 1 => path.strip_suffix('/').unwrap_or(path),
            _ => path,
        };
        match (self.base_path, rule.base_path, inside) {
            (None, ..) | (Some(_), false, false) => Some(Cow::Borrowed(trimmed)),
            (Some(_), true, false) => None,
            (Some(_), true, true) => Some(Cow::Borrowed(trimmed)),
            (Some(base), false, true) => Some(Cow::Owned(if trimmed == "/" {
                base.to_owned()
            } else {
                format!("{base}{trimmed}")
            })),
        }
    }

    /// The headers the rules give this request's answer (`None`: no rule matched). `inside`:
    /// the request's path is under `BASE_PATH`, which was taken off it.
    pub(crate) fn headers(
        &self,
        req: &http::Request<Body>,
        inside: bool,
    ) -> Option<Box<HeaderList>> {
        if self.headers.is_empty() {
            return None;
        }
        let (path, query) = (req.uri().path(), req.uri().query());
        let mut facts = Facts::new(req.headers(), query);
        let mut out: Option<Box<HeaderList>> = None;
        for (rule, headers) in &self.headers {
            let Some(subject) = self.subject(rule, path, inside) else {
                continue;
            };
            let Some(params) = rule.matches(&subject, &mut facts) else {
                continue;
            };
            let out = out.get_or_insert_with(Box::default);
            for (name, value) in headers {
                if let Ok(value) = HeaderValue::try_from(value.render(&params)) {
                    out.insert(name.clone(), value);
                }
            }
        }
        out
    }

    /// The first redirect whose rule matches: 307 / 308 (with `Refresh`) or the status set,
    /// the destination as body, the request's query merged in.
    pub(crate) fn redirect(&self, req: &http::Request<Body>, inside: bool) -> Option<Response> {
        let (path, query) = (req.uri().path(), req.uri().query());
        let mut facts = Facts::new(req.headers(), query);
        self.redirects
            .iter()
            .find_map(|(rule, destination, status)| {
                let subject = self.subject(rule, path, inside)?;
                let params = rule.matches(&subject, &mut facts)?;
                let mut to = destination.render(&params);
                // A path destination of a rule under the base path is under it too.
                if let (Some(base), true, true) =
                    (self.base_path, rule.base_path, to.starts_with('/'))
                {
                    to.insert_str(0, base);
                }
                Some(answers::redirect(*status, with_query(&to, query)))
            })
    }

    /// Where the first matching rewrite of `phase` sends a request now at `path`.
    pub(crate) fn rewrite(
        &self,
        phase: Phase,
        path: &str,
        query: Option<&str>,
        headers: &HeaderMap,
    ) -> Option<Rewritten> {
        let list = match phase {
            Phase::BeforeFiles => &self.before_files,
            Phase::AfterFiles => &self.after_files,
            Phase::Fallback => &self.fallback,
        };
        if list.is_empty() {
            return None;
        }
        let mut facts = Facts::new(headers, query);
        list.iter().find_map(|(rule, destination)| {
            let subject = self.subject(rule, path, true)?;
            let params = rule.matches(&subject, &mut facts)?;
            let to = destination.render(&params);
            if to.starts_with('/') {
                let path = to.split(['?', '#']).next().unwrap_or("/");
                return Some(Rewritten::Path(path.to_owned()));
            }
            match Uri::try_from(with_query(&to, query)) {
                Ok(uri) => Some(Rewritten::External(uri)),
                Err(err) => {
                    tracing::error!(destination = to, error = %err, "a config rewrite built an invalid URL; skipped");
                    None
                }
            }
        })
    }
}

fn invalid(err: impl std::fmt::Display) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("arbor.config.rs: {err}"),
    )
}

/// A source and its conditions, ready.
struct Rule {
    path: Regex,
    base_path: bool,
    keys: &'static [&'static str],
    has: Vec<Condition>,
    missing: Vec<Condition>,
}

/// A parameter's name and value.
type Params = Vec<(String, String)>;

impl Rule {
    fn new(compiled: &CompiledRule) -> io::Result<Rule> {
        Ok(Rule {
            path: regex(compiled.regex, compiled.source)?,
            base_path: compiled.base_path,
            keys: compiled.keys,
            has: Condition::all(compiled.has, compiled.source)?,
            missing: Condition::all(compiled.missing, compiled.source)?,
        })
    }

    /// The parameters, when the path matches and the conditions hold.
    fn matches(&self, path: &str, facts: &mut Facts<'_>) -> Option<Params> {
        let captures = self.path.captures(path).ok()??;
        let mut params: Params = self
            .keys
            .iter()
            .enumerate()
            .filter_map(|(i, key)| {
                let value = captures.get(i + 1)?;
                Some(((*key).to_owned(), value.as_str().to_owned()))
            })
            .collect();
        for condition in &self.has {
            let value = facts.value(condition).filter(|v| !v.is_empty())?;
            let Some(re) = &condition.value else {
                let name = condition.key.chars().filter(char::is_ascii_alphanumeric);
                params.push((name.collect(), value));
                continue;
            };
            let found = re.captures(&value).ok()??;
            let mut named = false;
            for name in re.capture_names().flatten() {
                named = true;
                if let Some(m) = found.name(name) {
                    params.push((name.to_owned(), m.as_str().to_owned()));
                }
            }
            if !named && condition.kind == HasKind::Host {
                params.push(("host".to_owned(), value));
            }
        }
        if self.missing.iter().any(|c| facts.holds(c)) {
            return None;
        }
        Some(params)
    }
}

/// A destination or header value with its `:params` found once.
struct Template(Vec<Part>);

enum Part {
    Text(String),
    /// `:name`, `:name*`...; `slash`: written `/:name`, whose `/` goes when the value is empty.
    Param {
        name: String,
        slash: bool,
    },
}

impl Template {
    /// A destination: its origin's `${VAR}`s read from the environment, then parsed.
    fn destination(destination: &str) -> io::Result<Template> {
        let start = if destination.starts_with('/') {
            0
        } else {
            let after = destination.find("://").map_or(0, |i| i + 3);
            after
                + destination[after..]
                    .find(['/', '?'])
                    .unwrap_or(destination.len() - after)
        };
        let (origin, rest) = destination.split_at(start);
        let mut resolved = String::new();
        let mut origin = origin;
        while let Some(at) = origin.find("${") {
            let len = origin[at..].find('}').unwrap_or(origin.len() - at);
            let name = &origin[at + 2..at + len];
            let value = std::env::var(name).map_err(|_| {
                invalid(format!(
                    "the destination {destination:?} needs the environment variable `{name}`, which is not set"
                ))
            })?;
            resolved.push_str(&origin[..at]);
            resolved.push_str(value.trim_end_matches('/'));
            origin = &origin[(at + len + 1).min(origin.len())..];
        }
        resolved.push_str(origin);
        // The query is parsed apart, as Next.js parses the URL first: in `/a/:p?x=1`, `?`
        // starts the query rather than making `:p` optional.
        let (path, query) = match rest.find(['?', '#']) {
            Some(at) => rest.split_at(at),
            None => (rest, ""),
        };
        let mut parts = vec![Part::Text(resolved)];
        parts.extend(Template::parse(path).0);
        parts.extend(Template::parse_plain(query).0);
        Ok(Template(parts))
    }

    fn parse(text: &str) -> Template {
        Template::parse_with(text, true)
    }

    /// A query or header value: `:name` with no modifier after it.
    fn parse_plain(text: &str) -> Template {
        Template::parse_with(text, false)
    }

    fn parse_with(text: &str, modifiers: bool) -> Template {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let named = text[i + 1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .count();
            if c != ':' || named == 0 {
                literal.push(c);
                continue;
            }
            let name = text[i + 1..i + 1 + named].to_owned();
            for _ in 0..named {
                chars.next();
            }
            if modifiers {
                if let Some((_, '*' | '+' | '?')) = chars.peek() {
                    chars.next();
                }
            }
            let slash = literal.ends_with('/');
            if slash {
                literal.pop();
            }
            if !literal.is_empty() {
                parts.push(Part::Text(std::mem::take(&mut literal)));
            }
            parts.push(Part::Param { name, slash });
        }
        if !literal.is_empty() {
            parts.push(Part::Text(literal));
        }
        Template(parts)
    }

    fn render(&self, params: &Params) -> String {
        let mut out = String::new();
        for part in &self.0 {
            match part {
                Part::Text(text) => out.push_str(text),
                Part::Param { name, slash } => {
                    let value = params
                        .iter()
                        .rev()
                        .find(|(n, _)| n == name)
                        .map_or("", |(_, v)| v.as_str());
                    if *slash && !value.is_empty() {
                        out.push('/');
                    }
                    out.push_str(value);
                }
            }
        }
        if out.is_empty() {
            out.push('/');
        }
        out
    }
}

/// `destination` with the request's query merged in as Next.js merges them: the request's
/// keys first, a key the destination also sets taking the destination's value in place, the
/// destination's other keys after; a `#fragment` of the destination stays last.
fn with_query(destination: &str, request: Option<&str>) -> String {
    let (rest, fragment) = match destination.split_once('#') {
        Some((rest, fragment)) => (rest, Some(fragment)),
        None => (destination, None),
    };
    let (base, own) = match rest.split_once('?') {
        Some((base, own)) => (base, Some(own)),
        None => (rest, None),
    };
    let key = |pair: &str| pair.split('=').next().unwrap_or("").to_owned();
    let mut merged: Vec<(String, Vec<&str>)> = Vec::new();
    for pair in request.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let k = key(pair);
        match merged.iter_mut().find(|(n, _)| *n == k) {
            Some((_, values)) => values.push(pair),
            None => merged.push((k, vec![pair])),
        }
    }
    let mut replaced: Vec<String> = Vec::new();
    for pair in own.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let k = key(pair);
        match merged.iter_mut().find(|(n, _)| *n == k) {
            Some((_, values)) if !replaced.contains(&k) => {
                *values = vec![pair];
                replaced.push(k);
            }
            Some((_, values)) => values.push(pair),
            None => {
                replaced.push(k.clone());
                merged.push((k, vec![pair]));
            }
        }
    }
    let query: Vec<&str> = merged.iter().flat_map(|(_, v)| v.iter().copied()).collect();
    let mut out = base.to_owned();
    if !query.is_empty() {
        out.push('?');
        out.push_str(&query.join("&"));
    }
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Params {
        pairs
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn destinations_fill_their_params() {
        let t = Template::parse("/dest/:path*");
        assert_eq!(t.render(&params(&[("path", "a/b")])), "/dest/a/b");
        assert_eq!(t.render(&params(&[])), "/dest");
        let t = Template::destination("/dest/num-:id?x=:id").expect("a destination");
        assert_eq!(t.render(&params(&[("id", "7")])), "/dest/num-7?x=7");
        let t = Template::destination("http://127.0.0.1:4021/ext/:p?from=x").expect("a URL");
        assert_eq!(
            t.render(&params(&[("p", "p1")])),
            "http://127.0.0.1:4021/ext/p1?from=x"
        );
        assert_eq!(Template::parse("/:all*").render(&params(&[])), "/");
    }

    #[test]
    fn queries_merge_as_nextjs_merges_them() {
        assert_eq!(with_query("/dest", Some("keep=1&a=2")), "/dest?keep=1&a=2");
        assert_eq!(
            with_query("/dest?added=1", Some("added=2&z=1")),
            "/dest?added=1&z=1"
        );
        assert_eq!(
            with_query("/dest?via=q", Some("go=1&x=2")),
            "/dest?go=1&x=2&via=q"
        );
        assert_eq!(with_query("/dest#top", Some("a=1")), "/dest?a=1#top");
        assert_eq!(with_query("/dest", None), "/dest");
    }
}
