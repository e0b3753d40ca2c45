//! The root middleware file: `middleware.rs` exporting `middleware`, or `proxy.rs` exporting
//! `proxy`, with its `CONFIG` matcher list read and compiled here.

use std::fs;
use std::path::Path;

use quote::ToTokens;
use syn::{Expr, ExprLit, ExprMethodCall, Item, Lit};

use crate::diagnostic::{display_path, Diagnostic};
use crate::matcher;
use crate::scan::SourceFile;

/// Segment config a route may have and the middleware may not.
const SEGMENT_CONFIG: [&str; 8] = [
    "DYNAMIC",
    "REVALIDATE",
    "DYNAMIC_PARAMS",
    "FETCH_CACHE",
    "RUNTIME",
    "PREFERRED_REGION",
    "MAX_DURATION",
    "BODY_LIMIT",
];

/// A condition of a matcher entry (`has` / `missing`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// `Header`, `Cookie`, `Query` or `Host`.
    pub kind: &'static str,
    /// The header, cookie or query key (empty for `Host`).
    pub key: String,
    /// The anchored regex the value must match (`^value$`), if a value was given.
    pub value: Option<String>,
}

/// One compiled matcher entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matcher {
    /// The source as written.
    pub source: String,
    /// The regex the pathname is tested against.
    pub regex: String,
    /// What every matching pathname starts with (besides Next's data-route prefix).
    pub prefix: String,
    /// The pathnames sure to match without the regex.
    pub shortcut: matcher::Shortcut,
    /// All must match.
    pub has: Vec<Condition>,
    /// None may match.
    pub missing: Vec<Condition>,
}

/// The middleware file, checked.
#[derive(Debug)]
pub struct Middleware {
    /// The file.
    pub file: SourceFile,
    /// `middleware` or `proxy`: the module and the function name.
    pub name: &'static str,
    /// `None` without `CONFIG`: the middleware runs for every request.
    pub matchers: Option<Vec<Matcher>>,
}

/// Whether the middleware runs for a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runs {
    /// For every request to it.
    Yes,
    /// When its matcher's `has` / `missing` conditions hold.
    WhenConditionsHold,
    /// Never.
    No,
}

impl Runs {
    /// `yes`, `when its conditions hold`, `no`.
    pub fn as_str(self) -> &'static str {
        match self {
            Runs::Yes => "yes",
            Runs::WhenConditionsHold => "when its conditions hold",
            Runs::No => "no",
        }
    }
}

impl Middleware {
    /// Whether it runs for the route `pattern` (`/comments/[id]`): its matcher is tried on the
    /// pattern with each dynamic segment taken as `x`.
    pub fn runs_for(&self, pattern: &str) -> Runs {
        let Some(matchers) = &self.matchers else {
            return Runs::Yes;
        };
        let sample: Vec<&str> = pattern
            .split('/')
            .map(|s| if s.starts_with('[') { "x" } else { s })
            .collect();
        let sample = match sample.join("/") {
            s if s.is_empty() => "/".to_owned(),
            s => s,
        };
        for matcher in matchers {
            let Ok(regex) = fancy_regex::Regex::new(&matcher.regex) else {
                continue;
            };
            if regex.is_match(&sample).unwrap_or(false) {
                return if matcher.has.is_empty() && matcher.missing.is_empty() {
                    Runs::Yes
                } else {
                    Runs::WhenConditionsHold
                };
            }
        }
        Runs::No
    }
}

/// Finds the middleware file beside `app/` or in `src/`.
pub fn find(crate_root: &Path) -> Result<Option<(SourceFile, &'static str)>, Diagnostic> {
    let mut found = Vec::new();
    for dir in ["", "src"] {
        for name in ["middleware", "proxy"] {
            let rel = Path::new(dir).join(format!("{name}.rs"));
            let abs = crate_root.join(&rel);
            if abs.is_file() {
                found.push((SourceFile { rel, abs }, name));
            }
        }
    }
    match found.len() {
        0 => Ok(None),
        1 => Ok(found.pop()),
        _ => {
            let mut d = Diagnostic::error("more than one middleware file");
            for (file, _) in &found {
                d = d.file(&file.rel);
            }
            Err(d
                .rule("an app has one middleware: `middleware.rs` or `proxy.rs` (Next.js 16's name), beside app/ or in src/")
                .help("keep `proxy.rs` only, and move the logic of the other into it"))
        }
    }
}

/// Reads and checks the middleware file.
pub fn analyze(file: SourceFile, name: &'static str) -> Result<Middleware, Vec<Diagnostic>> {
    let path = display_path(&file.rel);
    let source = fs::read_to_string(&file.abs)
        .map_err(|e| vec![Diagnostic::error(format!("cannot read {path}: {e}")).file(&file.rel)])?;
    // A file that does not parse is reported by the compiler.
    let Ok(parsed) = syn::parse_file(&source) else {
        return Ok(Middleware {
            file,
            name,
            matchers: None,
        });
    };
    let mut errors = Vec::new();
    let mut functions = Vec::new();
    let mut config = None;
    for item in &parsed.items {
        match item {
            Item::Fn(f) if matches!(f.vis, syn::Visibility::Public(_)) => {
                functions.push(f.sig.ident.to_string());
            }
            Item::Const(c) if c.ident == "CONFIG" => config = Some((*c.expr).clone()),
            Item::Const(c) if SEGMENT_CONFIG.contains(&c.ident.to_string().as_str()) => {
                errors.push(
                    Diagnostic::error(format!(
                        "route segment config is not allowed in the middleware file: `{}`",
                        c.ident
                    ))
                    .file(&file.rel)
                    .rule("segment config (`DYNAMIC`, `REVALIDATE`, `RUNTIME`...) belongs to route files; the middleware always runs on the server, for every matched request")
                    .help(format!("remove `{}` from {path}", c.ident)),
                );
            }
            _ => {}
        }
    }
    if !functions.iter().any(|f| f == name) {
        let other = if name == "proxy" {
            "middleware"
        } else {
            "proxy"
        };
        let found = if functions.iter().any(|f| f == other) {
            format!(" (it exports `{other}`)")
        } else {
            String::new()
        };
        errors.push(
            Diagnostic::error(format!(
                "{path} is missing its expected function export `{name}`{found}"
            ))
            .file(&file.rel)
            .rule(format!(
                "`{name}.rs` exports `pub async fn {name}`: it runs before the routes for every request its matcher selects"
            ))
            .help(if found.is_empty() {
                format!("add `pub async fn {name}(req: Request) -> Result<Response>`")
            } else {
                format!("rename `{other}` to `{name}`, or rename the file to `{other}.rs`")
            }),
        );
    }
    let matchers = match config {
        None => None,
        Some(expr) => match read_config(&expr) {
            Ok(matchers) => Some(matchers),
            Err(reason) => {
                errors.push(
                    Diagnostic::error(format!("invalid `CONFIG` in {path}: {reason}"))
                        .file(&file.rel)
                        .rule("the matcher is read and compiled at build time, so it is written with literals and every source is a valid path-to-regexp pattern")
                        .help("write `pub const CONFIG: Config = Config { matcher: &[Matcher::new(\"/about/:path*\"), ...] };`"),
                );
                None
            }
        },
    };
    if errors.is_empty() {
        Ok(Middleware {
            file,
            name,
            matchers,
        })
    } else {
        Err(errors)
    }
}

pub(crate) fn text(expr: &Expr) -> String {
    crate::parse::compact(&expr.to_token_stream().to_string())
}

pub(crate) fn string(expr: &Expr) -> Result<String, String> {
    match expr {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Ok(s.value()),
        other => Err(format!(
            "expected a string literal, found `{}`",
            text(other)
        )),
    }
}

/// `&[a, b]` or `&[]`.
pub(crate) fn list(expr: &Expr) -> Result<Vec<&Expr>, String> {
    match expr {
        Expr::Reference(r) => match &*r.expr {
            Expr::Array(a) => Ok(a.elems.iter().collect()),
            other => Err(format!("expected `&[...]`, found `&{}`", text(other))),
        },
        other => Err(format!("expected `&[...]`, found `{}`", text(other))),
    }
}

fn read_config(expr: &Expr) -> Result<Vec<Matcher>, String> {
    let Expr::Struct(s) = expr else {
        return Err(format!(
            "expected `Config {{ matcher: &[...] }}`, found `{}`",
            text(expr)
        ));
    };
    let field = s
        .fields
        .iter()
        .find(|f| f.member.to_token_stream().to_string() == "matcher")
        .ok_or("`Config` has no `matcher` field")?;
    list(&field.expr)?.into_iter().map(read_matcher).collect()
}

/// `Matcher::new("/src")` followed by `.has(&[...])` / `.missing(&[...])`.
fn read_matcher(expr: &Expr) -> Result<Matcher, String> {
    let mut calls: Vec<&ExprMethodCall> = Vec::new();
    let mut base = expr;
    while let Expr::MethodCall(call) = base {
        calls.push(call);
        base = &call.receiver;
    }
    let source = match base {
        Expr::Call(call) if text(&call.func).replace(' ', "").ends_with("Matcher::new") => {
            match call.args.first() {
                Some(arg) if call.args.len() == 1 => string(arg)?,
                _ => return Err("`Matcher::new` takes the source".to_owned()),
            }
        }
        other => {
            return Err(format!(
                "expected `Matcher::new(\"/path\")`, found `{}`",
                text(other)
            ))
        }
    };
    let (regex, prefix, shortcut) = matcher::compile(&source)
        .and_then(|re| {
            Ok((
                re,
                matcher::literal_prefix(&source)?,
                matcher::shortcut(&source)?,
            ))
        })
        .map_err(|e| format!("the source {source:?} does not compile: {e}"))?;
    let mut out = Matcher {
        source,
        regex,
        prefix,
        shortcut,
        has: Vec::new(),
        missing: Vec::new(),
    };
    for call in calls.into_iter().rev() {
        let conditions = match call.args.first() {
            Some(arg) if call.args.len() == 1 => list(arg)?
                .into_iter()
                .map(read_condition)
                .collect::<Result<Vec<_>, _>>()?,
            _ => return Err(format!("`.{}` takes `&[...]`", call.method)),
        };
        match call.method.to_string().as_str() {
            "has" => out.has.extend(conditions),
            "missing" => out.missing.extend(conditions),
            other => return Err(format!("unknown matcher method `.{other}`")),
        }
    }
    Ok(out)
}

/// `Has::header("x")`, `Has::cookie("x")`, `Has::query("x")`, `Has::host("pattern")`, each
/// optionally followed by `.value("pattern")`.
pub(crate) fn read_condition(expr: &Expr) -> Result<Condition, String> {
    let (base, value) = match expr {
        Expr::MethodCall(call) if call.method == "value" => match call.args.first() {
            Some(arg) if call.args.len() == 1 => (&*call.receiver, Some(string(arg)?)),
            _ => return Err("`.value` takes a pattern".to_owned()),
        },
        other => (other, None),
    };
    let Expr::Call(call) = base else {
        return Err(format!(
            "expected `Has::header(\"key\")`..., found `{}`",
            text(base)
        ));
    };
    let func = text(&call.func).replace(' ', "");
    let kind = match func.rsplit("::").next() {
        Some("header") => "Header",
        Some("cookie") => "Cookie",
        Some("query") => "Query",
        Some("host") => "Host",
        _ => {
            return Err(format!(
                "expected `Has::header`, `cookie`, `query` or `host`, found `{func}`"
            ))
        }
    };
    let arg = match call.args.first() {
        Some(arg) if call.args.len() == 1 => string(arg)?,
        _ => return Err(format!("`{func}` takes one string")),
    };
    let (key, value) = if kind == "Host" {
        (String::new(), Some(arg))
    } else {
        (arg, value)
    };
    let value = value.map(|v| format!("^{v}$"));
    if let Some(re) = &value {
        check_regex(re).map_err(|e| format!("the value pattern {re:?} does not compile: {e}"))?;
    }
    Ok(Condition { kind, key, value })
}

fn check_regex(re: &str) -> Result<(), matcher::SourceError> {
    fancy_regex::Regex::new(re)
        .map(|_| ())
        .map_err(|e| matcher::SourceError(e.to_string()))
}
