//! The app config, `arbor.config.rs` beside `Cargo.toml`: the routing half of `next.config`
//! (`REDIRECTS`, `REWRITES`, `HEADERS`), read with `syn` and compiled here, as the middleware's
//! `CONFIG` is. Every source is compiled with the matcher compiler, every `has` / `missing`
//! value as a regex, and every parameter a destination or a header value names must come
//! from the source or from a condition.

use std::fs;
use std::path::Path;

use quote::ToTokens;
use syn::{Expr, Item};

use crate::diagnostic::Diagnostic;
use crate::matcher::{self, RuleSource};
use crate::middleware::{list, read_condition, string, text, Condition};
use crate::scan::SourceFile;

/// The file's name, beside `Cargo.toml`.
pub const FILE: &str = "arbor.config.rs";

/// The rules of the app config, compiled.
#[derive(Debug, Default)]
pub struct AppConfig {
    /// `arbor.config.rs`.
    pub file: Option<SourceFile>,
    /// `REDIRECTS`, in order.
    pub redirects: Vec<Redirect>,
    /// `REWRITES.before_files`: before `public/` and the routes.
    pub before_files: Vec<Rewrite>,
    /// `REWRITES.after_files`: after `public/` and the routes without parameters, before
    /// the dynamic routes.
    pub after_files: Vec<Rewrite>,
    /// `REWRITES.fallback`: when nothing else answers.
    pub fallback: Vec<Rewrite>,
    /// `HEADERS`, in order: every matching rule applies, a later one wins a shared name.
    pub headers: Vec<Headers>,
    /// The constants the file declares (`REDIRECTS`, `REWRITES`, `HEADERS`).
    pub declared: Vec<String>,
    /// `BASE_PATH`: where the app is served (`/docs`), if not at `/`.
    pub base_path: Option<String>,
    /// `TRAILING_SLASH`: canonical URLs end with `/` (`/about/`, but `/file.txt`).
    pub trailing_slash: bool,
    /// `OPENAPI`: the app documents its API.
    pub openapi: Option<OpenApiDecl>,
}

/// What `OPENAPI` declares that the build needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenApiDecl {
    /// Where the app serves the document (`.serve("/openapi.json")`), if it does.
    pub serve: Option<String>,
}

impl AppConfig {
    /// Whether the file declares any rule.
    pub fn is_empty(&self) -> bool {
        self.redirects.is_empty()
            && self.before_files.is_empty()
            && self.after_files.is_empty()
            && self.fallback.is_empty()
            && self.headers.is_empty()
    }
}

/// What every rule has: a source and conditions.
#[derive(Debug, Clone)]
pub struct Rule {
    /// The source as written (`/blog/:slug`).
    pub source: String,
    /// The source compiled.
    pub compiled: RuleSource,
    /// All must hold.
    pub has: Vec<Condition>,
    /// None may hold.
    pub missing: Vec<Condition>,
    /// Whether the source (and a path destination) is under `BASE_PATH`; `.base_path(false)`
    /// (Next.js's `basePath: false`) says no.
    pub base_path: bool,
}

/// One redirect.
#[derive(Debug, Clone)]
pub struct Redirect {
    /// Its source and conditions.
    pub rule: Rule,
    /// A path, or an absolute URL, with `:param`s.
    pub destination: String,
    /// 307 (`temporary`), 308 (`permanent`), or the status given.
    pub status: u16,
}

/// One rewrite.
#[derive(Debug, Clone)]
pub struct Rewrite {
    /// Its source and conditions.
    pub rule: Rule,
    /// A path (served by this app) or an absolute URL (proxied), with `:param`s.
    pub destination: String,
}

/// One header rule.
#[derive(Debug, Clone)]
pub struct Headers {
    /// Its source and conditions.
    pub rule: Rule,
    /// The headers, names lowercase, values with `:param`s.
    pub headers: Vec<(String, String)>,
}

/// Reads `arbor.config.rs` if the crate has one.
pub fn read(crate_root: &Path, print_rerun: bool) -> Result<AppConfig, Vec<Diagnostic>> {
    let abs = crate_root.join(FILE);
    if print_rerun {
        // Watched even when missing: creating it regenerates the router.
        println!("cargo:rerun-if-changed={}", abs.display());
    }
    if !abs.is_file() {
        return Ok(AppConfig::default());
    }
    let file = SourceFile {
        rel: FILE.into(),
        abs,
    };
    let source = fs::read_to_string(&file.abs)
        .map_err(|e| vec![Diagnostic::error(format!("cannot read {FILE}: {e}")).file(FILE)])?;
    let mut config = AppConfig::default();
    // A file that does not parse is reported by the compiler.
    let Ok(parsed) = syn::parse_file(&source) else {
        config.file = Some(file);
        return Ok(config);
    };
    let mut errors = Vec::new();
    for item in &parsed.items {
        let Item::Const(c) = item else { continue };
        let name = c.ident.to_string();
        let read = match name.as_str() {
            "REDIRECTS" => read_list(&c.expr, read_redirect).map(|r| config.redirects = r),
            "HEADERS" => read_list(&c.expr, read_headers).map(|h| config.headers = h),
            "REWRITES" => read_rewrites(&c.expr, &mut config),
            "BASE_PATH" => read_base_path(&c.expr).map(|b| config.base_path = Some(b)),
            "OPENAPI" => read_openapi(&c.expr).map(|o| config.openapi = Some(o)),
            "TRAILING_SLASH" => match &*c.expr {
                Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Bool(b),
                    ..
                }) => {
                    config.trailing_slash = b.value;
                    Ok(())
                }
                other => Err(format!(
                    "expected `true` or `false`, found `{}`",
                    text(other)
                )),
            },
            _ => Ok(()),
        };
        if read.is_ok() && KNOWN.contains(&name.as_str()) {
            config.declared.push(name.clone());
        }
        if let Err(reason) = read {
            errors.push(
                Diagnostic::error(format!("invalid `{name}` in {FILE}: {reason}"))
                    .file(FILE)
                    .rule("the app config is read and compiled at build time: it is written with literals, every source is a path-to-regexp pattern starting with `/`, and a destination or header value names only parameters its source or its `has` conditions capture")
                    .help(help(&name)),
            );
        }
    }
    if errors.is_empty() {
        config.file = Some(file);
        Ok(config)
    } else {
        Err(errors)
    }
}

/// The constants the file may declare.
const KNOWN: [&str; 6] = [
    "REDIRECTS",
    "REWRITES",
    "HEADERS",
    "BASE_PATH",
    "TRAILING_SLASH",
    "OPENAPI",
];

/// `OPENAPI`: `OpenApi::new(title, version)`, then `.description(...)` and `.serve(path)`.
fn read_openapi(expr: &Expr) -> Result<OpenApiDecl, String> {
    let mut decl = OpenApiDecl::default();
    let mut expr = expr;
    loop {
        match expr {
            Expr::MethodCall(call) => {
                let name = call.method.to_string();
                match name.as_str() {
                    "serve" => {
                        let path = call.args.first().ok_or("`.serve` takes a path")?;
                        let path = string(path)?;
                        let plain = path
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b"/-_.~".contains(&b));
                        if !path.starts_with('/') || !plain || path.contains("//") {
                            return Err(format!(
                                "{path:?} is not a path to serve the document at: write plain segments after a `/` (`/openapi.json`)"
                            ));
                        }
                        decl.serve = Some(path);
                    }
                    "description" => {}
                    other => return Err(format!("`OpenApi` has no `.{other}(...)`")),
                }
                expr = &call.receiver;
            }
            Expr::Call(call) if text(&call.func).ends_with("new") => return Ok(decl),
            other => {
                return Err(format!(
                    "expected `OpenApi::new(\"title\", \"1.0.0\")`, found `{}`",
                    text(other)
                ))
            }
        }
    }
}

/// `BASE_PATH`: `/docs`, a path of plain segments.
fn read_base_path(expr: &Expr) -> Result<String, String> {
    let base = string(expr)?;
    let plain = base
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"/-_.~".contains(&b));
    if !base.starts_with('/') || base.ends_with('/') || base.contains("//") || !plain {
        return Err(format!(
            "{base:?} is not a base path: write plain segments after a `/`, with no `/` at the end (`/docs`)"
        ));
    }
    Ok(base)
}

fn help(name: &str) -> &'static str {
    match name {
        "BASE_PATH" => "write `pub const BASE_PATH: &str = \"/docs\";`",
        "TRAILING_SLASH" => "write `pub const TRAILING_SLASH: bool = true;`",
        "OPENAPI" => "write `pub const OPENAPI: OpenApi = OpenApi::new(\"My API\", \"1.0.0\").serve(\"/openapi.json\");`",
        "REDIRECTS" => "write `pub const REDIRECTS: &[Redirect] = &[Redirect::permanent(\"/old/:slug\", \"/new/:slug\"), ...];`",
        "REWRITES" => "write `pub const REWRITES: Rewrites = Rewrites { before_files: &[], after_files: &[Rewrite::new(\"/a/:id\", \"/b/:id\")], fallback: &[] };`",
        _ => "write `pub const HEADERS: &[Headers] = &[Headers::new(\"/api/:path*\", &[(\"x-frame-options\", \"DENY\")]), ...];`",
    }
}

fn read_list<T>(expr: &Expr, each: fn(&Expr) -> Result<T, String>) -> Result<Vec<T>, String> {
    list(expr)?.into_iter().map(each).collect()
}

fn read_rewrites(expr: &Expr, config: &mut AppConfig) -> Result<(), String> {
    let Expr::Struct(s) = expr else {
        return Err(format!(
            "expected `Rewrites {{ before_files: &[...], after_files: &[...], fallback: &[...] }}`, found `{}`",
            text(expr)
        ));
    };
    for field in &s.fields {
        let name = field.member.to_token_stream().to_string();
        let rules = read_list(&field.expr, read_rewrite)?;
        match name.as_str() {
            "before_files" => config.before_files = rules,
            "after_files" => config.after_files = rules,
            "fallback" => config.fallback = rules,
            other => return Err(format!("`Rewrites` has no field `{other}`")),
        }
    }
    Ok(())
}

/// A constructor call and the method calls chained on it.
struct Chain<'a> {
    constructor: String,
    args: Vec<&'a Expr>,
    methods: Vec<(String, Vec<&'a Expr>)>,
}

fn chain(expr: &Expr) -> Result<Chain<'_>, String> {
    let mut methods = Vec::new();
    let mut base = expr;
    while let Expr::MethodCall(call) = base {
        methods.push((call.method.to_string(), call.args.iter().collect()));
        base = &call.receiver;
    }
    methods.reverse();
    let Expr::Call(call) = base else {
        return Err(format!(
            "expected a constructor such as `Redirect::permanent(..)`, found `{}`",
            text(base)
        ));
    };
    Ok(Chain {
        constructor: text(&call.func).replace(' ', ""),
        args: call.args.iter().collect(),
        methods,
    })
}

/// The source and the conditions of a chain, given its source argument.
fn rule(source: &Expr, methods: &mut Vec<(String, Vec<&Expr>)>) -> Result<Rule, String> {
    let source = string(source)?;
    let compiled = matcher::compile_rule(&source)
        .map_err(|e| format!("the source {source:?} does not compile: {e}"))?;
    let mut rule = Rule {
        source,
        compiled,
        has: Vec::new(),
        missing: Vec::new(),
        base_path: true,
    };
    let mut rest = Vec::new();
    for (method, args) in methods.drain(..) {
        if method == "base_path" {
            rule.base_path = match args.as_slice() {
                [Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Bool(b),
                    ..
                })] => b.value,
                _ => return Err("`.base_path` takes `true` or `false`".to_owned()),
            };
            continue;
        }
        let target = match method.as_str() {
            "has" => &mut rule.has,
            "missing" => &mut rule.missing,
            _ => {
                rest.push((method, args));
                continue;
            }
        };
        match args.as_slice() {
            [arg] => {
                for condition in list(arg)? {
                    target.push(read_condition(condition)?);
                }
            }
            _ => return Err(format!("`.{method}` takes `&[...]`")),
        }
    }
    *methods = rest;
    Ok(rule)
}

fn ends_with(constructor: &str, ty: &str, names: &[&str]) -> Option<String> {
    let (path, name) = constructor.rsplit_once("::")?;
    (path.rsplit("::").next() == Some(ty) && names.contains(&name)).then(|| name.to_owned())
}

fn read_redirect(expr: &Expr) -> Result<Redirect, String> {
    let mut chain = chain(expr)?;
    let kind = ends_with(&chain.constructor, "Redirect", &["permanent", "temporary"])
        .ok_or_else(|| {
            format!(
                "expected `Redirect::permanent(source, destination)` or `Redirect::temporary(..)`, found `{}`",
                chain.constructor
            )
        })?;
    let [source, destination] = chain.args.as_slice() else {
        return Err(format!(
            "`Redirect::{kind}` takes a source and a destination"
        ));
    };
    let rule = rule(source, &mut chain.methods)?;
    let destination = string(destination)?;
    let mut status = if kind == "permanent" { 308 } else { 307 };
    for (method, args) in chain.methods {
        match (method.as_str(), args.as_slice()) {
            ("status", [arg]) => {
                status = match arg {
                    Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Int(n),
                        ..
                    }) => n.base10_parse().map_err(|e| e.to_string())?,
                    other => {
                        return Err(format!("`.status` takes a number, found `{}`", text(other)))
                    }
                };
                if ![301, 302, 303, 307, 308].contains(&status) {
                    return Err(format!(
                        "a redirect's status is 301, 302, 303, 307 or 308, not {status}"
                    ));
                }
            }
            _ => {
                return Err(format!(
                    "`Redirect` has no method `.{method}` taking these arguments"
                ))
            }
        }
    }
    check_destination(&rule, &destination)?;
    Ok(Redirect {
        rule,
        destination,
        status,
    })
}

fn read_rewrite(expr: &Expr) -> Result<Rewrite, String> {
    let mut chain = chain(expr)?;
    if ends_with(&chain.constructor, "Rewrite", &["new"]).is_none() {
        return Err(format!(
            "expected `Rewrite::new(source, destination)`, found `{}`",
            chain.constructor
        ));
    }
    let [source, destination] = chain.args.as_slice() else {
        return Err("`Rewrite::new` takes a source and a destination".to_owned());
    };
    let rule = rule(source, &mut chain.methods)?;
    if let Some((method, _)) = chain.methods.first() {
        return Err(format!("`Rewrite` has no method `.{method}`"));
    }
    let destination = string(destination)?;
    check_destination(&rule, &destination)?;
    Ok(Rewrite { rule, destination })
}

fn read_headers(expr: &Expr) -> Result<Headers, String> {
    let mut chain = chain(expr)?;
    if ends_with(&chain.constructor, "Headers", &["new"]).is_none() {
        return Err(format!(
            "expected `Headers::new(source, &[(name, value), ...])`, found `{}`",
            chain.constructor
        ));
    }
    let [source, pairs] = chain.args.as_slice() else {
        return Err("`Headers::new` takes a source and `&[(name, value), ...]`".to_owned());
    };
    let rule = rule(source, &mut chain.methods)?;
    if let Some((method, _)) = chain.methods.first() {
        return Err(format!("`Headers` has no method `.{method}`"));
    }
    let mut headers = Vec::new();
    for pair in list(pairs)? {
        let Expr::Tuple(t) = pair else {
            return Err(format!(
                "expected `(\"name\", \"value\")`, found `{}`",
                text(pair)
            ));
        };
        let [name, value] = t.elems.iter().collect::<Vec<_>>()[..] else {
            return Err(format!(
                "expected `(\"name\", \"value\")`, found `{}`",
                text(pair)
            ));
        };
        let (name, value) = (string(name)?, string(value)?);
        if name.is_empty() || !name.bytes().all(is_token) {
            return Err(format!("{name:?} is not a header name"));
        }
        if !value
            .bytes()
            .all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
        {
            return Err(format!(
                "the value of `{name}` has characters a header cannot carry: {value:?}"
            ));
        }
        check_params(&rule, &value, &format!("the value of `{name}`"))?;
        headers.push((name.to_ascii_lowercase(), value));
    }
    Ok(Headers { rule, headers })
}

fn is_token(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// The parameters a rule gives its destination: the source's, the named groups of its `has`
/// values, and the keys of `has` conditions without a value (Next.js's `getSafeParamName`).
pub fn params(rule: &Rule) -> Vec<String> {
    let mut names = rule.compiled.keys.clone();
    for condition in &rule.has {
        match &condition.value {
            Some(value) => {
                let mut rest = value.as_str();
                while let Some(at) = rest.find("(?<").or_else(|| rest.find("(?P<")) {
                    let after = &rest[at..];
                    let start = after.find('<').map_or(0, |i| i + 1);
                    let Some(len) = after[start..].find('>') else {
                        break;
                    };
                    names.push(after[start..start + len].to_owned());
                    rest = &after[start + len..];
                }
                if condition.kind == "Host" {
                    names.push("host".to_owned());
                }
            }
            None => names.push(
                condition
                    .key
                    .chars()
                    .filter(char::is_ascii_alphanumeric)
                    .collect(),
            ),
        }
    }
    names
}

/// The `:name`s a destination or header value uses, in order.
pub fn used_params(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b':' {
            let start = i + 1;
            let mut end = start;
            while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_') {
                end += 1;
            }
            if end > start {
                out.push(text[start..end].to_owned());
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

fn check_params(rule: &Rule, text: &str, what: &str) -> Result<(), String> {
    let known = params(rule);
    for name in used_params(text) {
        if !known.contains(&name) {
            let list = if known.is_empty() {
                "none".to_owned()
            } else {
                known
                    .iter()
                    .map(|k| format!("`:{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            return Err(format!(
                "{what} uses `:{name}`, which the source {:?} does not capture (it captures {list})",
                rule.source
            ));
        }
    }
    Ok(())
}

/// Where a destination's path starts: after the origin of an absolute URL.
pub fn destination_path_start(destination: &str) -> Option<usize> {
    if destination.starts_with('/') {
        return Some(0);
    }
    let rest = destination
        .strip_prefix("http://")
        .or_else(|| destination.strip_prefix("https://"))
        .map(|rest| destination.len() - rest.len())
        .or_else(|| destination.starts_with("${").then_some(0))?;
    let after = &destination[rest..];
    Some(rest + after.find(['/', '?']).unwrap_or(after.len()))
}

fn check_destination(rule: &Rule, destination: &str) -> Result<(), String> {
    let Some(path) = destination_path_start(destination) else {
        return Err(format!(
            "the destination {destination:?} is neither a path starting with `/` nor an `http://` or `https://` URL"
        ));
    };
    let mut rest = &destination[..path];
    while let Some(at) = rest.find("${") {
        let Some(len) = rest[at..].find('}') else {
            return Err(format!("`${{` without `}}` in {destination:?}"));
        };
        let name = &rest[at + 2..at + len];
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(format!(
                "`${{{name}}}` in {destination:?} is not an environment variable name"
            ));
        }
        rest = &rest[at + len..];
    }
    check_params(
        rule,
        &destination[path..],
        &format!("the destination {destination:?}"),
    )
}
