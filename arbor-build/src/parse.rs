//! Reading a route file with `syn`: which methods it exports.

use std::fmt;

use syn::{Item, UseTree, Visibility};

/// The HTTP methods a route file can export, in the order Next.js lists them.
pub const METHODS: [Method; 8] = [
    Method::Get,
    Method::Head,
    Method::Options,
    Method::Post,
    Method::Put,
    Method::Delete,
    Method::Patch,
    Method::Query,
];

/// A method a route file can export a handler for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `HEAD`
    Head,
    /// `OPTIONS`
    Options,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `DELETE`
    Delete,
    /// `PATCH`
    Patch,
    /// `QUERY`
    Query,
}

impl Method {
    /// The exported name, which is also the HTTP token.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
            Method::Query => "QUERY",
        }
    }

    fn from_name(name: &str) -> Option<Method> {
        METHODS.into_iter().find(|m| m.as_str() == name)
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The segment config a route file declares (`nextjs-semantics.md` §5).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SegmentConfig {
    /// `pub const DYNAMIC: Dynamic = Dynamic::...;`
    pub dynamic: bool,
    /// `pub const REVALIDATE: Revalidate = ...;`
    pub revalidate: bool,
    /// The `Dynamic` variant `DYNAMIC` names (`ForceStatic`).
    pub dynamic_value: Option<String>,
    /// What `REVALIDATE` says: `Never`, or a number of seconds.
    pub revalidate_value: Option<String>,
    /// `pub const DYNAMIC_PARAMS: bool = ...;`
    pub dynamic_params: bool,
    /// `pub async fn generate_static_params() -> Vec<Params>`
    pub generate_static_params: bool,
    /// `pub const MAX_DURATION: u64 = ...;` (seconds)
    pub max_duration: bool,
    /// `pub const BODY_LIMIT: usize = ...;` (bytes)
    pub body_limit: bool,
    /// Values that are not valid, with what was expected.
    pub invalid: Vec<(String, String)>,
}

impl SegmentConfig {
    /// Whether the file declares any.
    pub fn any(&self) -> bool {
        self.dynamic || self.revalidate || self.dynamic_params || self.generate_static_params
    }
}

/// What a route file exports.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RouteExports {
    /// Methods exported with `pub` (or `pub(crate)`), sorted: `GET`, `HEAD`, `OPTIONS`, `POST`, `PUT`, `DELETE`, `PATCH`.
    pub methods: Vec<Method>,
    /// Method-named items that are not public: they are not routed.
    pub private_methods: Vec<Method>,
    /// Public functions named like a method in lower case (`get`).
    pub lower_case: Vec<String>,
    /// Public function names, for other conventions (`not_found`).
    pub functions: Vec<String>,
    /// Segment config.
    pub config: SegmentConfig,
    /// Exported methods with more than one argument that reads the request body, and those
    /// arguments as written (`Request`, `Json<Input>`).
    pub body_read_twice: Vec<(Method, Vec<String>)>,
    /// The public constants declared in the file (`SIZE`, `ALT`).
    pub consts: Vec<String>,
    /// Those whose value is a string literal, with it (`CONTENT_TYPE`).
    pub const_strings: Vec<(String, String)>,
    /// The public functions declared in the file (not re-exported), with their signatures.
    pub signatures: Vec<Signature>,
}

/// What the generated code needs to know of a public function: how to call it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// Its name.
    pub name: String,
    /// Whether it is `async`.
    pub is_async: bool,
    /// Its arguments' types, as written (`RouteContext<Params>`).
    pub args: Vec<String>,
    /// The last path segment of its return type (`Markup` for `Result<Markup>` too), empty
    /// when it returns `()`.
    pub returns: String,
    /// Its doc comment, one entry per line, without the `///`'s space.
    pub doc: Vec<String>,
    /// Whether `#[arbor::api(...)]` declares its body and answers.
    pub api: bool,
}

impl Signature {
    /// Whether one of its arguments reads the request: anything but the route context (the
    /// params) and the app state.
    pub fn reads_request(&self) -> bool {
        self.args.iter().any(|ty| {
            let head = ty.split('<').next().unwrap_or_default();
            let last = head.rsplit("::").next().unwrap_or_default().trim();
            !matches!(last, "RouteContext" | "State" | "MetadataId")
        })
    }
}

impl RouteExports {
    /// The signature of the public function `name`, if the file declares one.
    pub fn signature(&self, name: &str) -> Option<&Signature> {
        self.signatures.iter().find(|s| s.name == name)
    }
}

fn signature(sig: &syn::Signature, attrs: &[syn::Attribute]) -> Signature {
    use quote::ToTokens;
    let doc = attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(syn::MetaNameValue {
                value:
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }),
                ..
            }) => Some(
                s.value()
                    .strip_prefix(' ')
                    .map(str::to_owned)
                    .unwrap_or_else(|| s.value()),
            ),
            _ => None,
        })
        .collect();
    let api = attrs
        .iter()
        .any(|a| a.path().segments.last().is_some_and(|s| s.ident == "api"));
    let args = sig
        .inputs
        .iter()
        .filter_map(|input| match input {
            syn::FnArg::Typed(arg) => Some(
                compact(&arg.ty.to_token_stream().to_string())
                    .replace(" < ", "<")
                    .replace(" >", ">"),
            ),
            syn::FnArg::Receiver(_) => None,
        })
        .collect();
    let returns = match &sig.output {
        syn::ReturnType::Default => String::new(),
        syn::ReturnType::Type(_, ty) => returned(ty),
    };
    Signature {
        name: sig.ident.to_string(),
        is_async: sig.asyncness.is_some(),
        args,
        returns,
        doc,
        api,
    }
}

/// `Markup` for `Markup`, `maud::Markup`, `Result<Markup>` and `Result<Markup, Error>`.
fn returned(ty: &syn::Type) -> String {
    let syn::Type::Path(path) = ty else {
        return String::new();
    };
    let Some(last) = path.path.segments.last() else {
        return String::new();
    };
    let name = last.ident.to_string();
    if name == "Result" {
        if let syn::PathArguments::AngleBracketed(args) = &last.arguments {
            if let Some(syn::GenericArgument::Type(inner)) = args.args.first() {
                return returned(inner);
            }
        }
    }
    name
}

/// Reads the exports of a route file. `None` when the file does not parse: the compiler
/// reports the syntax error itself when it compiles the module.
pub fn exports(source: &str) -> Option<RouteExports> {
    let file = syn::parse_file(source).ok()?;
    let mut out = RouteExports::default();
    for item in &file.items {
        match item {
            Item::Fn(f) => {
                let name = f.sig.ident.to_string();
                record(&mut out, &name, &f.vis);
                if is_reachable(&f.vis) {
                    out.signatures.push(signature(&f.sig, &f.attrs));
                }
                if let Some(method) = Method::from_name(&name) {
                    let readers = body_readers(&f.sig);
                    if readers.len() > 1 {
                        out.body_read_twice.push((method, readers));
                    }
                }
            }
            Item::Const(c) if is_reachable(&c.vis) => {
                read_config(&mut out.config, c);
                out.consts.push(c.ident.to_string());
                if let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }) = &*c.expr
                {
                    out.const_strings.push((c.ident.to_string(), text.value()));
                }
            }
            Item::Use(u) => {
                let mut names = Vec::new();
                exported_names(&u.tree, &mut names);
                for name in names {
                    record(&mut out, &name, &u.vis);
                }
            }
            _ => {}
        }
    }
    out.methods.sort();
    out.methods.dedup();
    out.config.generate_static_params = out.functions.iter().any(|f| f == "generate_static_params");
    Some(out)
}

/// The arguments of a handler that read the request body, as written: Arbor's `Request`,
/// `Json<T>` and `Form<T>`, and axum's body extractors, by the last segment of their path.
/// The compiler refuses the same signatures (with a less direct message) whatever the names;
/// this check names the file and the function.
fn body_readers(sig: &syn::Signature) -> Vec<String> {
    sig.inputs
        .iter()
        .filter_map(|input| match input {
            syn::FnArg::Typed(arg) => Some(&*arg.ty),
            syn::FnArg::Receiver(_) => None,
        })
        .filter(|ty| {
            let syn::Type::Path(path) = ty else {
                return false;
            };
            path.path.segments.last().is_some_and(|last| {
                matches!(
                    last.ident.to_string().as_str(),
                    "Request" | "Json" | "Form" | "Bytes" | "Multipart" | "RawForm"
                )
            })
        })
        .map(|ty| {
            compact(&quote::ToTokens::to_token_stream(ty).to_string())
                .replace(" < ", "<")
                .replace(" >", ">")
        })
        .collect()
}

/// Token text as a person writes it: `Revalidate::Seconds(TEN)`, not `Revalidate :: Seconds (TEN)`.
pub(crate) fn compact(tokens: &str) -> String {
    tokens
        .replace(" :: ", "::")
        .replace(" (", "(")
        .replace("( ", "(")
        .replace(" )", ")")
        .replace("! ", "!")
        .replace("& ", "&")
        .replace(" ,", ",")
}

fn last_segment(expr: &syn::Expr) -> Option<String> {
    match expr {
        syn::Expr::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// Reads `DYNAMIC`, `REVALIDATE` and `DYNAMIC_PARAMS`: literal values only, as Next.js reads them.
fn read_config(config: &mut SegmentConfig, item: &syn::ItemConst) {
    use quote::ToTokens;
    let text = || compact(&item.expr.to_token_stream().to_string());
    match item.ident.to_string().as_str() {
        "DYNAMIC" => {
            config.dynamic = true;
            config.dynamic_value = last_segment(&item.expr);
            let ok = last_segment(&item.expr).is_some_and(|v| {
                matches!(
                    v.as_str(),
                    "Auto" | "ForceDynamic" | "Error" | "ForceStatic"
                )
            });
            if !ok {
                config.invalid.push((
                    format!("DYNAMIC = {}", text()),
                    "`Dynamic::Auto`, `Dynamic::ForceDynamic`, `Dynamic::Error` or `Dynamic::ForceStatic`".to_owned(),
                ));
            }
        }
        "REVALIDATE" => {
            config.revalidate = true;
            config.revalidate_value = match &*item.expr {
                syn::Expr::Call(call) => match call.args.first() {
                    Some(syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Int(n),
                        ..
                    })) => Some(n.base10_digits().to_owned()),
                    _ => None,
                },
                other => last_segment(other),
            };
            let ok = match &*item.expr {
                syn::Expr::Call(call) => {
                    last_segment(&call.func).as_deref() == Some("Seconds")
                        && call.args.len() == 1
                        && matches!(
                            call.args.first(),
                            Some(syn::Expr::Lit(syn::ExprLit {
                                lit: syn::Lit::Int(_),
                                ..
                            }))
                        )
                }
                other => last_segment(other).as_deref() == Some("Never"),
            };
            if !ok {
                config.invalid.push((
                    format!("REVALIDATE = {}", text()),
                    "`Revalidate::Never` (cache until revalidated) or `Revalidate::Seconds(n)` with a literal number of seconds (0: never cache)".to_owned(),
                ));
            }
        }
        "DYNAMIC_PARAMS" => {
            config.dynamic_params = true;
            if !matches!(
                &*item.expr,
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Bool(_),
                    ..
                })
            ) {
                config.invalid.push((
                    format!("DYNAMIC_PARAMS = {}", text()),
                    "`true` or `false`".to_owned(),
                ));
            }
        }
        "MAX_DURATION" => {
            config.max_duration = true;
            check_integer(config, item, "u64", "`pub const MAX_DURATION: u64 = 30;` (the seconds a handler may take before the request is answered 504)");
        }
        "BODY_LIMIT" => {
            config.body_limit = true;
            check_integer(config, item, "usize", "`pub const BODY_LIMIT: usize = 1024 * 1024;` (the largest request body, in bytes, written with literal numbers)");
        }
        _ => {}
    }
}

/// Records a constant that is not of type `ty` with an integer written in literals.
fn check_integer(config: &mut SegmentConfig, item: &syn::ItemConst, ty: &str, expected: &str) {
    use quote::ToTokens;
    if is_type(&item.ty, ty) && is_integer(&item.expr) {
        return;
    }
    config.invalid.push((
        format!(
            "{}: {} = {}",
            item.ident,
            compact(&item.ty.to_token_stream().to_string()),
            compact(&item.expr.to_token_stream().to_string())
        ),
        expected.to_owned(),
    ));
}

/// Whether `ty` is the plain type `name` (`u64`, `usize`).
fn is_type(ty: &syn::Type, name: &str) -> bool {
    matches!(ty, syn::Type::Path(p) if p.qself.is_none() && p.path.is_ident(name))
}

/// Whether `expr` is an integer written with literals: `30`, `10 * 1024 * 1024`, `(1 << 20)`.
fn is_integer(expr: &syn::Expr) -> bool {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(_),
            ..
        }) => true,
        syn::Expr::Paren(p) => is_integer(&p.expr),
        syn::Expr::Binary(b) => {
            matches!(
                b.op,
                syn::BinOp::Add(_) | syn::BinOp::Mul(_) | syn::BinOp::Sub(_) | syn::BinOp::Shl(_)
            ) && is_integer(&b.left)
                && is_integer(&b.right)
        }
        _ => false,
    }
}

fn record(out: &mut RouteExports, name: &str, vis: &Visibility) {
    let public = is_reachable(vis);
    match Method::from_name(name) {
        Some(method) if public => out.methods.push(method),
        Some(method) => out.private_methods.push(method),
        None if public => {
            if Method::from_name(&name.to_ascii_uppercase()).is_some() {
                out.lower_case.push(name.to_owned());
            }
            out.functions.push(name.to_owned());
        }
        None => {}
    }
}

/// `pub` and `pub(crate)` reach the generated router; `pub(super)`, `pub(self)` and private do not.
fn is_reachable(vis: &Visibility) -> bool {
    match vis {
        Visibility::Public(_) => true,
        Visibility::Restricted(r) => r.path.is_ident("crate"),
        Visibility::Inherited => false,
    }
}

fn exported_names(tree: &UseTree, out: &mut Vec<String>) {
    match tree {
        UseTree::Path(p) => exported_names(&p.tree, out),
        UseTree::Name(n) => out.push(n.ident.to_string()),
        UseTree::Rename(r) => out.push(r.rename.to_string()),
        UseTree::Group(g) => g.items.iter().for_each(|t| exported_names(t, out)),
        UseTree::Glob(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_public_methods_in_order() {
        let e = exports(
            "pub async fn POST() {} pub async fn GET() {} async fn PUT() {} pub async fn get() {}\
             pub use other::handler as DELETE; pub(crate) fn PATCH() {}",
        )
        .expect("parses");
        assert_eq!(
            e.methods,
            vec![Method::Get, Method::Post, Method::Delete, Method::Patch]
        );
        assert_eq!(e.private_methods, vec![Method::Put]);
        assert_eq!(e.lower_case, vec!["get".to_owned()]);
    }

    #[test]
    fn reads_segment_config() {
        let e = exports(
            "pub const DYNAMIC: Dynamic = Dynamic::ForceStatic;\
             pub const REVALIDATE: Revalidate = Revalidate::Seconds(2);\
             pub const DYNAMIC_PARAMS: bool = false;\
             pub async fn generate_static_params() -> Vec<Params> { vec![] }",
        )
        .expect("parses");
        assert!(e.config.dynamic && e.config.revalidate && e.config.dynamic_params);
        assert!(e.config.generate_static_params);
        assert!(e.config.invalid.is_empty());
        let bad = exports(
            "pub const REVALIDATE: Revalidate = Revalidate::Seconds(TEN);\
             pub const DYNAMIC: Dynamic = Dynamic::Static;\
             pub const DYNAMIC_PARAMS: bool = !true;",
        )
        .expect("parses");
        assert_eq!(bad.config.invalid.len(), 3, "{:?}", bad.config.invalid);
    }

    #[test]
    fn unparsable_file_is_left_to_the_compiler() {
        assert_eq!(exports("pub async fn GET( {"), None);
    }
}
