//! Middleware matcher sources (`/about/:path*`, `/num/(\d+)`) translated to regular expressions
//! exactly as path-to-regexp 6 does with Next.js's options, at build time.
//!
//! Next.js wraps each source as `/:nextData(_next/data/[^/]{1,})?` + source + a suffix that
//! also accepts `.json`, `.rsc` and segment-prefetch paths, then compiles it with
//! `strict: false` (an optional trailing delimiter) and `end: true`, without the `i` flag.

use std::fmt;

const DELIMITER: &str = "/#?";
const DEFAULT_PATTERN: &str = "[^\\/#\\?]+?";

#[derive(Debug, Clone, PartialEq, Eq)]
enum Lex {
    Modifier(char),
    Escaped(char),
    Open,
    Close,
    Name(String),
    Pattern(String),
    Char(char),
}

/// Why a source does not compile; shown in the build error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError(pub String);

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn lex(source: &str) -> Result<Vec<Lex>, SourceError> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '*' | '+' | '?' => {
                out.push(Lex::Modifier(c));
                i += 1;
            }
            '\\' => {
                let next = chars
                    .get(i + 1)
                    .ok_or_else(|| SourceError(format!("a `\\` ends the source at {i}")))?;
                out.push(Lex::Escaped(*next));
                i += 2;
            }
            '{' => {
                out.push(Lex::Open);
                i += 1;
            }
            '}' => {
                out.push(Lex::Close);
                i += 1;
            }
            ':' => {
                let mut j = i + 1;
                let mut name = String::new();
                while let Some(&n) = chars.get(j) {
                    if n.is_ascii_alphanumeric() || n == '_' {
                        name.push(n);
                        j += 1;
                    } else {
                        break;
                    }
                }
                if name.is_empty() {
                    return Err(SourceError(format!("missing parameter name at {i}")));
                }
                out.push(Lex::Name(name));
                i = j;
            }
            '(' => {
                let mut depth = 1;
                let mut pattern = String::new();
                let mut j = i + 1;
                if chars.get(j) == Some(&'?') {
                    return Err(SourceError(format!(
                        "pattern cannot start with \"?\" at {j}"
                    )));
                }
                while j < chars.len() {
                    let p = chars[j];
                    if p == '\\' {
                        pattern.push(p);
                        if let Some(&n) = chars.get(j + 1) {
                            pattern.push(n);
                        }
                        j += 2;
                        continue;
                    }
                    if p == ')' {
                        depth -= 1;
                        if depth == 0 {
                            j += 1;
                            break;
                        }
                    } else if p == '(' {
                        depth += 1;
                        if chars.get(j + 1) != Some(&'?') {
                            return Err(SourceError(format!(
                                "capturing groups are not allowed at {j}: write `(?:...)`"
                            )));
                        }
                    }
                    pattern.push(p);
                    j += 1;
                }
                if depth != 0 {
                    return Err(SourceError(format!("unbalanced pattern at {i}")));
                }
                if pattern.is_empty() {
                    return Err(SourceError(format!("missing pattern at {i}")));
                }
                out.push(Lex::Pattern(pattern));
                i = j;
            }
            _ => {
                out.push(Lex::Char(c));
                i += 1;
            }
        }
    }
    Ok(out)
}

#[derive(Debug)]
enum Token {
    Text(String),
    Key {
        /// The parameter's name; an unnamed group is numbered from 0, as path-to-regexp does.
        name: String,
        prefix: String,
        suffix: String,
        pattern: String,
        modifier: String,
    },
}

fn parse(source: &str) -> Result<Vec<Token>, SourceError> {
    parse_with(source, DEFAULT_PATTERN)
}

fn parse_with(source: &str, default_pattern: &str) -> Result<Vec<Token>, SourceError> {
    let mut unnamed = 0usize;
    let mut key_name = |name: Option<String>| {
        name.unwrap_or_else(|| {
            unnamed += 1;
            (unnamed - 1).to_string()
        })
    };
    let lexed = lex(source)?;
    let mut tokens = Vec::new();
    let mut path = String::new();
    let mut i = 0;
    let take = |i: &mut usize, f: &dyn Fn(&Lex) -> Option<String>| -> Option<String> {
        let got = lexed.get(*i).and_then(f);
        if got.is_some() {
            *i += 1;
        }
        got
    };
    let char_of = |l: &Lex| match l {
        Lex::Char(c) => Some(c.to_string()),
        _ => None,
    };
    let name_of = |l: &Lex| match l {
        Lex::Name(n) => Some(n.clone()),
        _ => None,
    };
    let pattern_of = |l: &Lex| match l {
        Lex::Pattern(p) => Some(p.clone()),
        _ => None,
    };
    let modifier_of = |l: &Lex| match l {
        Lex::Modifier(m) => Some(m.to_string()),
        _ => None,
    };
    let escaped_of = |l: &Lex| match l {
        Lex::Escaped(c) => Some(c.to_string()),
        _ => None,
    };
    let text_of = |l: &Lex| match l {
        Lex::Char(c) | Lex::Escaped(c) => Some(c.to_string()),
        _ => None,
    };
    while i < lexed.len() {
        let ch = take(&mut i, &char_of);
        let name = take(&mut i, &name_of);
        let pattern = take(&mut i, &pattern_of);
        if name.is_some() || pattern.is_some() {
            let mut prefix = ch.unwrap_or_default();
            if !prefix.is_empty() && !"./".contains(prefix.as_str()) {
                path.push_str(&prefix);
                prefix.clear();
            }
            if !path.is_empty() {
                tokens.push(Token::Text(std::mem::take(&mut path)));
            }
            tokens.push(Token::Key {
                name: key_name(name),
                prefix,
                suffix: String::new(),
                pattern: pattern.unwrap_or_else(|| default_pattern.to_owned()),
                modifier: take(&mut i, &modifier_of).unwrap_or_default(),
            });
            continue;
        }
        if let Some(value) = ch.or_else(|| take(&mut i, &escaped_of)) {
            path.push_str(&value);
            continue;
        }
        if !path.is_empty() {
            tokens.push(Token::Text(std::mem::take(&mut path)));
        }
        if matches!(lexed.get(i), Some(Lex::Open)) {
            i += 1;
            let mut prefix = String::new();
            while let Some(t) = take(&mut i, &text_of) {
                prefix.push_str(&t);
            }
            let name = take(&mut i, &name_of);
            let pattern = take(&mut i, &pattern_of);
            let mut suffix = String::new();
            while let Some(t) = take(&mut i, &text_of) {
                suffix.push_str(&t);
            }
            if !matches!(lexed.get(i), Some(Lex::Close)) {
                return Err(SourceError(format!("expected `}}` at token {i}")));
            }
            i += 1;
            let pattern = match (&name, pattern) {
                (Some(_), None) => default_pattern.to_owned(),
                (_, Some(p)) => p,
                (None, None) => String::new(),
            };
            let name = if pattern.is_empty() {
                String::new()
            } else {
                key_name(name)
            };
            tokens.push(Token::Key {
                name,
                prefix,
                suffix,
                pattern,
                modifier: take(&mut i, &modifier_of).unwrap_or_default(),
            });
            continue;
        }
        return Err(SourceError(format!(
            "unexpected {} at token {i}",
            match &lexed[i] {
                Lex::Modifier(m) => format!("modifier `{m}`"),
                Lex::Close => "`}`".to_owned(),
                other => format!("{other:?}"),
            }
        )));
    }
    if !path.is_empty() {
        tokens.push(Token::Text(path));
    }
    Ok(tokens)
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if ".+*?=^!:${}()[]|/\\".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// path-to-regexp 6 `pathToRegexp(source, [], { strict: false, end: true })`.
fn to_regex(source: &str) -> Result<String, SourceError> {
    let (mut route, _) = tokens_to_regex(parse(source)?);
    route.push_str(&format!("[{}]?$", escape(DELIMITER)));
    Ok(route)
}

/// The regex of parsed tokens, without its end, and the names of its groups in order.
fn tokens_to_regex(tokens: Vec<Token>) -> (String, Vec<String>) {
    let mut route = String::from("^");
    let mut keys = Vec::new();
    for token in tokens {
        match token {
            Token::Text(text) => route.push_str(&escape(&text)),
            Token::Key {
                name,
                prefix,
                suffix,
                pattern,
                modifier,
            } => {
                let (prefix, suffix) = (escape(&prefix), escape(&suffix));
                if !pattern.is_empty() {
                    keys.push(name);
                }
                if pattern.is_empty() {
                    route.push_str(&format!("(?:{prefix}{suffix}){modifier}"));
                } else if !prefix.is_empty() || !suffix.is_empty() {
                    if modifier == "+" || modifier == "*" {
                        let optional = if modifier == "*" { "?" } else { "" };
                        route.push_str(&format!(
                            "(?:{prefix}((?:{pattern})(?:{suffix}{prefix}(?:{pattern}))*){suffix}){optional}"
                        ));
                    } else {
                        route.push_str(&format!("(?:{prefix}({pattern}){suffix}){modifier}"));
                    }
                } else if modifier == "+" || modifier == "*" {
                    route.push_str(&format!("((?:{pattern}){modifier})"));
                } else {
                    route.push_str(&format!("({pattern}){modifier}"));
                }
            }
        }
    }
    (route, keys)
}

/// A source of the app config (`REDIRECTS`, `REWRITES`, `HEADERS`) compiled as Next.js
/// compiles them: path-to-regexp with `strict: true`, `sensitive: false` and `/` as the only
/// delimiter, so `/Cr/Perm` matches `/cr/perm`, and no Next.js data-route wrapper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSource {
    /// The regex the raw (still percent-encoded) pathname is tested against.
    pub regex: String,
    /// The names of its groups, in order (`path` for `:path*`, `0` for an unnamed group).
    pub keys: Vec<String>,
}

/// What every source must be before it is parsed: a path, of a sane length.
fn check_source(source: &str) -> Result<(), SourceError> {
    if !source.starts_with('/') {
        return Err(SourceError("a source must start with `/`".to_owned()));
    }
    if source.len() > 4096 {
        return Err(SourceError(
            "a source must be at most 4096 characters".to_owned(),
        ));
    }
    Ok(())
}

/// Compiles a source of the app config; see [`RuleSource`].
pub fn compile_rule(source: &str) -> Result<RuleSource, SourceError> {
    check_source(source)?;
    let (body, keys) = tokens_to_regex(parse_with(source, "[^\\/]+?")?);
    let regex = format!("(?i){body}$");
    fancy_regex::Regex::new(&regex).map_err(|e| SourceError(e.to_string()))?;
    Ok(RuleSource { regex, keys })
}

/// The regular expression Next.js tests a pathname against for `source`.
pub fn compile(source: &str) -> Result<String, SourceError> {
    check_source(source)?;
    // Validate the user's part alone first, so errors point at what they wrote.
    to_regex(source)?;
    let wrapped = if source == "/" {
        "/:nextData(_next/data/[^/]{1,})?(/?index|/?index\\.json|/?index\\.rsc)?".to_owned()
    } else {
        format!(
            "/:nextData(_next/data/[^/]{{1,}})?{source}{{(\\.json|\\.rsc|\\.segments/.+\\.segment\\.rsc)}}?"
        )
    };
    let regex = to_regex(&wrapped)?;
    // What the server will run: a source whose regex its engine refuses is refused here.
    fancy_regex::Regex::new(&regex).map_err(|e| SourceError(e.to_string()))?;
    Ok(regex)
}

/// The text every pathname matching `source` starts with, apart from Next's optional
/// `/_next/data/…` prefix: the literal before the first parameter (`/about` for
/// `/about/:path*`). The server turns other paths away before running the regex.
pub fn literal_prefix(source: &str) -> Result<String, SourceError> {
    let mut prefix = String::new();
    for token in parse(source)? {
        match token {
            Token::Text(text) => prefix.push_str(&text),
            // A required parameter's own prefix (the `/` of `/:id`) is always there too.
            Token::Key {
                prefix: key_prefix,
                modifier,
                ..
            } => {
                if modifier.is_empty() || modifier == "+" {
                    prefix.push_str(&key_prefix);
                }
                break;
            }
        }
    }
    Ok(prefix)
}

/// A sure answer for the common sources, so most matching requests skip the regex.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shortcut {
    /// The regex decides.
    None,
    /// A source of plain text (`/exact`): that pathname matches.
    Exact(String),
    /// Plain text then a final `/:name*` (`/about/:path*`): that pathname, and every pathname
    /// under it, match.
    Subtree(String),
}

/// The [`Shortcut`] of a source. It only ever answers yes: a pathname it does not take goes
/// to the regex, which also accepts Next's `/_next/data/…` and `.json` forms.
pub fn shortcut(source: &str) -> Result<Shortcut, SourceError> {
    let tokens = parse(source)?;
    let mut text = String::new();
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Token::Text(t) => text.push_str(t),
            Token::Key {
                prefix,
                suffix,
                pattern,
                modifier,
                ..
            } => {
                let last = i + 1 == tokens.len();
                let any_segments = prefix == "/"
                    && suffix.is_empty()
                    && pattern == DEFAULT_PATTERN
                    && modifier == "*";
                if last && any_segments && !text.is_empty() && !text.ends_with('/') {
                    return Ok(Shortcut::Subtree(text));
                }
                return Ok(Shortcut::None);
            }
        }
    }
    Ok(Shortcut::Exact(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcuts_only_where_the_regex_agrees() {
        assert_eq!(
            shortcut("/about/:path*").unwrap(),
            Shortcut::Subtree("/about".into())
        );
        assert_eq!(
            shortcut("/exact").unwrap(),
            Shortcut::Exact("/exact".into())
        );
        assert_eq!(shortcut("/").unwrap(), Shortcut::Exact("/".into()));
        for none in [
            "/api/:path+",
            "/num/(\\d+)",
            "/a/:id",
            "/a/:p*/b",
            "/:p*",
            "/a/{:p}*",
        ] {
            assert_eq!(shortcut(none).unwrap(), Shortcut::None, "{none}");
        }
        // Every path a shortcut takes, the regex takes too.
        for (source, path) in [
            ("/about/:path*", "/about"),
            ("/about/:path*", "/about/team"),
            ("/about/:path*", "/about/a/b%20c"),
            ("/exact", "/exact"),
        ] {
            assert!(matches(source, path), "{source} {path}");
        }
    }

    fn matches(source: &str, path: &str) -> bool {
        let re = fancy_regex::Regex::new(&compile(source).expect("compiles")).expect("valid regex");
        re.is_match(path).expect("matches")
    }

    #[test]
    fn exact_sources_are_anchored_and_case_sensitive() {
        assert!(matches("/exact", "/exact"));
        assert!(matches("/exact", "/exact/"));
        assert!(matches("/exact", "/exact.json"));
        assert!(!matches("/exact", "/exact/sub"));
        assert!(!matches("/exact", "/EXACT"));
        assert!(!matches("/exact", "/exactly"));
    }

    #[test]
    fn parameters_and_modifiers() {
        assert!(matches("/mw/:path*", "/mw"));
        assert!(matches("/mw/:path*", "/mw/a/b"));
        assert!(!matches("/mw/:path+", "/mw"));
        assert!(matches("/mw/:path+", "/mw/a/b"));
        assert!(matches("/u/:id", "/u/1"));
        assert!(!matches("/u/:id", "/u/1/2"));
        assert!(matches("/u/:id?", "/u"));
        assert!(matches("/num/(\\d+)", "/num/123"));
        assert!(!matches("/num/(\\d+)", "/num/abc"));
        assert!(matches("/about/:path*", "/about/team"));
    }

    #[test]
    fn negative_lookahead() {
        let source = "/((?!api|_next/static|favicon.ico).*)";
        assert!(matches(source, "/dashboard"));
        assert!(matches(source, "/"));
        assert!(!matches(source, "/api/x"));
        assert!(!matches(source, "/_next/static/a.js"));
    }

    #[test]
    fn literal_prefixes() {
        let prefix = |source| literal_prefix(source).unwrap();
        assert_eq!(prefix("/about/:path*"), "/about");
        assert_eq!(prefix("/exact"), "/exact");
        assert_eq!(prefix("/blog/:slug/edit"), "/blog/");
        assert_eq!(prefix("/((?!api|_next).*)"), "/");
        assert_eq!(prefix("/:locale/docs"), "/");
        assert_eq!(prefix("/shop/:rest*"), "/shop");
    }

    #[test]
    fn config_sources_are_strict_and_case_insensitive() {
        let rule = |source: &str, path: &str| {
            let compiled = compile_rule(source).expect("compiles");
            fancy_regex::Regex::new(&compiled.regex)
                .expect("valid regex")
                .is_match(path)
                .expect("matches")
        };
        assert!(rule("/cr/param/:slug", "/Cr/Param/X"));
        assert!(!rule("/cr/perm", "/cr/perm/"));
        assert!(!rule("/cr/perm", "/cr/perm.json"));
        assert!(rule("/cr/splat/:path*", "/cr/splat"));
        assert!(rule("/cr/splat/:path*", "/cr/splat/a/b"));
        assert!(!rule("/cr/splat/:path+", "/cr/splat"));
        assert!(rule("/cr/num/:id(\\d{1,})", "/cr/num/12"));
        assert!(!rule("/cr/num/:id(\\d{1,})", "/cr/num/ab"));
        assert_eq!(
            compile_rule("/a/:x/(\\d+)/:rest*").expect("compiles").keys,
            ["x", "0", "rest"]
        );
    }

    #[test]
    fn root_source() {
        assert!(matches("/", "/"));
        // As Next.js's `matcher: '/'` also runs on `/index` (nextjs-tests-gap O3).
        assert!(matches("/", "/index"));
        assert!(!matches("/", "/a"));
        assert!(!matches("/", "/indexes"));
    }

    #[test]
    fn invalid_sources() {
        assert!(compile("exact").is_err());
        assert!(compile("/a/:").is_err());
        assert!(compile("/a/(b").is_err());
        assert!(compile("/a/((b))").is_err());
        assert!(compile("/a/(?b)").is_err());
        assert!(compile(&format!("/{}", "a".repeat(4096))).is_err());
    }
}
