//! Writing the generated code, in two files:
//!
//! - the *module tree* (`src/app.rs`, committed): one module per folder, each `route.rs`
//!   declared with `#[path]` beside its `Params` struct. It depends only on the folder names,
//!   so it changes only when folders do, and rust-analyzer sees the route files through it.
//! - the *router* (`OUT_DIR/arbor_app.rs`, included by the tree): one registration per
//!   exported method and the route manifest. It changes whenever a route file's exports do.

use std::collections::HashSet;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::diagnostic::display_path;
use crate::middleware::{Condition, Middleware};
use crate::model::AppModel;
use crate::parse::{Method, RouteExports};
use crate::scan::{AppTree, Folder, ModuleDir, SourceFile};
use crate::segment::{rust_name as clean, Segment};

/// What the generator prints: the model, and where the module tree sits.
struct Input<'a> {
    /// The scanned tree.
    tree: &'a AppTree,
    /// The app's model, for what each route file exports.
    model: &'a AppModel,
    /// The `app/` folder as seen from `src/`, where the module tree is written (`../app`).
    app_from_src: String,
    /// The middleware file, if there is one.
    middleware: Option<&'a Middleware>,
    /// Whether the files of `public/` are built into the binary.
    embed_public: bool,
}

impl Input<'_> {
    fn exports(&self, file: &SourceFile) -> Option<RouteExports> {
        self.model.exports_of(&file.rel).cloned()
    }
}

/// The two generated files.
pub struct Output {
    /// The module tree, for `src/app.rs`.
    pub tree: String,
    /// The router, for `OUT_DIR/arbor_app.rs`.
    pub router: String,
}

/// What the module tree declares that the router registers.
#[derive(Default)]
struct Found {
    routes: Vec<RouteEntry>,
    /// The impls of each folder's `Params` struct, for folders with dynamic segments.
    params_impls: Vec<TokenStream>,
    /// Each page: its file and its folder's module.
    pages: Vec<(crate::model::Endpoint, TokenStream)>,
    /// Each layout's file, and its folder's module.
    layouts: Vec<(std::path::PathBuf, TokenStream)>,
    /// Each metadata file, and its own module.
    metadata: Vec<(crate::model::MetadataRoute, TokenStream)>,
}

/// One route as the router sees it.
pub(crate) struct RouteEntry {
    pub(crate) pattern: String,
    /// Every folder's segment from `app/` down, groups included.
    pub(crate) segments: Vec<Segment>,
    pub(crate) file: String,
    pub(crate) module: TokenStream,
    pub(crate) methods: Vec<Method>,
    pub(crate) config: crate::parse::SegmentConfig,
    pub(crate) signatures: Vec<crate::parse::Signature>,
}

/// Prints both files from the model (`app_from_src`: the `app/` folder as seen from `src/`).
pub fn render(model: &AppModel, app_from_src: String, embed_public: bool) -> Output {
    let input = &Input {
        tree: &model.tree,
        model,
        app_from_src,
        middleware: model.middleware.as_ref(),
        embed_public,
    };
    let mut found = Found::default();
    let base = format!("{}/", input.app_from_src.trim_end_matches('/'));
    let body = folder_items(
        &input.tree.root,
        input,
        &mut Vec::new(),
        &base,
        &quote!(self),
        &mut found,
    );
    let not_found = input.tree.not_found.as_ref().map(|_| {
        let path = format!("{base}not-found.rs");
        quote! {
            #[doc = " `app/not-found.rs`: answers every URL no route matches."]
            #[path = #path]
            pub mod not_found;
        }
    });
    let middleware = input.middleware.map(|m| {
        let rel = display_path(&m.file.rel);
        let path = match rel.strip_prefix("src/") {
            Some(inside) => inside.to_owned(),
            None => format!("../{rel}"),
        };
        let ident = format_ident!("{}", m.name);
        let doc =
            format!(" `{rel}`: runs before the routes, for the requests its matcher selects.");
        quote! {
            #[doc = #doc]
            #[path = #path]
            pub mod #ident;
        }
    });
    let config_module = model.config.file.as_ref().map(|_| {
        let path = format!("../{}", crate::config::FILE);
        quote! {
            #[doc = " `arbor.config.rs`: redirects, rewrites and headers, compiled at build time."]
            #[path = #path]
            pub mod arbor_config;
        }
    });
    let instrumentation_module = model.instrumentation.as_ref().map(|i| {
        let rel = display_path(&i.file.rel);
        let path = match rel.strip_prefix("src/") {
            Some(inside) => inside.to_owned(),
            None => format!("../{rel}"),
        };
        quote! {
            #[doc = " `instrumentation.rs`: `register()` at start-up, `on_request_error()` for failed requests."]
            #[path = #path]
            pub mod instrumentation;
        }
    });
    let tree = quote! {
        include!(concat!(env!("OUT_DIR"), "/arbor_app.rs"));

        #config_module
        #instrumentation_module
        #middleware
        #body
        #not_found
    };
    let tree = format!(
        "// @generated by arbor-build from the folders of app/: do not edit.\n\
         // build.rs rewrites this file when a folder is added, renamed or removed; commit it.\n\n{}",
        pretty(tree)
    );
    Output {
        tree,
        router: render_router(
            &found.routes,
            // Beside the router: the `Params` impls and `openapi()`.
            &[
                &found.params_impls[..],
                &[crate::openapi::render(model, &found.routes)],
            ]
            .concat(),
            not_found_registration(input, &found),
            input.middleware,
            [
                render_config(&model.config),
                render_instrumentation(model),
                crate::openapi::served(&model.config),
            ]
            .into_iter()
            .collect(),
            &public_files(input),
            &[
                page_registrations(input.model, &found),
                metadata_registrations(input.model, &found),
            ]
            .concat(),
        ),
    }
}

fn condition(c: &Condition) -> TokenStream {
    let kind = format_ident!("{}", c.kind);
    let key = &c.key;
    let value = match &c.value {
        Some(v) => quote!(::std::option::Option::Some(#v)),
        None => quote!(::std::option::Option::None),
    };
    quote!(::arbor::__codegen::CompiledCondition { kind: ::arbor::middleware::HasKind::#kind, key: #key, value: #value })
}

/// `register()` and `on_request_error()` handed to the app, sync or async.
fn render_instrumentation(model: &AppModel) -> TokenStream {
    let Some(i) = &model.instrumentation else {
        return TokenStream::new();
    };
    let register = i.register.map(|is_async| {
        let call = if is_async {
            quote!(self::instrumentation::register().await)
        } else {
            quote!(self::instrumentation::register())
        };
        quote! {
            let app = ::arbor::__codegen::AppBuilder::register(app, || async { #call });
        }
    });
    let report = i.on_request_error.map(|is_async| {
        let call = if is_async {
            quote!(self::instrumentation::on_request_error(error, request, context).await)
        } else {
            quote!(self::instrumentation::on_request_error(
                error, request, context
            ))
        };
        quote! {
            let app = ::arbor::__codegen::AppBuilder::on_request_error(
                app,
                |error, request, context| async move { #call },
            );
        }
    });
    quote!(#register #report)
}

/// The app config's rules, compiled, and a check that the file's constants have their types.
fn render_config(config: &crate::config::AppConfig) -> TokenStream {
    use crate::config::Rule;
    if config.file.is_none() {
        return TokenStream::new();
    }
    let rule = |r: &Rule| {
        let source = &r.source;
        let regex = &r.compiled.regex;
        let keys = &r.compiled.keys;
        let has = r.has.iter().map(condition);
        let missing = r.missing.iter().map(condition);
        let base_path = r.base_path;
        quote! {
            ::arbor::__codegen::CompiledRule {
                source: #source,
                regex: #regex,
                keys: &[#(#keys),*],
                has: &[#(#has),*],
                missing: &[#(#missing),*],
                base_path: #base_path,
            }
        }
    };
    let redirects = config.redirects.iter().map(|r| {
        let rule = rule(&r.rule);
        let destination = &r.destination;
        let status = r.status;
        quote!(::arbor::__codegen::CompiledRedirect { rule: #rule, destination: #destination, status: #status })
    });
    let rewrites = |list: &[crate::config::Rewrite]| {
        let each = list.iter().map(|r| {
            let rule = rule(&r.rule);
            let destination = &r.destination;
            quote!(::arbor::__codegen::CompiledRewrite { rule: #rule, destination: #destination })
        });
        quote!(&[#(#each),*])
    };
    let (before, after, fallback) = (
        rewrites(&config.before_files),
        rewrites(&config.after_files),
        rewrites(&config.fallback),
    );
    let headers = config.headers.iter().map(|h| {
        let rule = rule(&h.rule);
        let pairs = h.headers.iter().map(|(n, v)| quote!((#n, #v)));
        quote!(::arbor::__codegen::CompiledHeaders { rule: #rule, headers: &[#(#pairs),*] })
    });
    let base_path = match &config.base_path {
        Some(base) => quote!(::std::option::Option::Some(#base)),
        None => quote!(::std::option::Option::None),
    };
    let trailing_slash = config.trailing_slash;
    let checks = config.declared.iter().map(|name| {
        let ident = format_ident!("{name}");
        let ty = match name.as_str() {
            "REDIRECTS" => quote!(&[::arbor::config::Redirect]),
            "REWRITES" => quote!(::arbor::config::Rewrites),
            "BASE_PATH" => quote!(&str),
            "TRAILING_SLASH" => quote!(bool),
            "OPENAPI" => quote!(::arbor::config::OpenApi),
            _ => quote!(&[::arbor::config::Headers]),
        };
        quote!(let _: #ty = self::arbor_config::#ident;)
    });
    quote! {
        // The rules below are `arbor.config.rs`, compiled at build time.
        #(#checks)*
        let app = ::arbor::__codegen::AppBuilder::config(app, &::arbor::__codegen::CompiledConfig {
            redirects: &[#(#redirects),*],
            before_files: #before,
            after_files: #after,
            fallback: #fallback,
            headers: &[#(#headers),*],
            base_path: #base_path,
            trailing_slash: #trailing_slash,
        });
    }
}

fn render_middleware(m: &Middleware) -> (TokenStream, TokenStream) {
    let module = format_ident!("{}", m.name);
    let matchers = match &m.matchers {
        None => quote!(::std::option::Option::None),
        Some(list) => {
            let entries = list.iter().map(|e| {
                let source = &e.source;
                let regex = &e.regex;
                let prefix = &e.prefix;
                let shortcut = match &e.shortcut {
                    crate::matcher::Shortcut::None => quote!(::arbor::__codegen::Shortcut::None),
                    crate::matcher::Shortcut::Exact(path) => {
                        quote!(::arbor::__codegen::Shortcut::Exact(#path))
                    }
                    crate::matcher::Shortcut::Subtree(path) => {
                        quote!(::arbor::__codegen::Shortcut::Subtree(#path))
                    }
                };
                let has = e.has.iter().map(condition);
                let missing = e.missing.iter().map(condition);
                quote! {
                    ::arbor::__codegen::CompiledMatcher {
                        source: #source,
                        regex: #regex,
                        prefix: #prefix,
                        shortcut: #shortcut,
                        has: &[#(#has),*],
                        missing: &[#(#missing),*],
                    }
                }
            });
            quote!(::std::option::Option::Some(&[#(#entries),*]))
        }
    };
    let uses_config = m.matchers.as_ref().map(|_| {
        quote! {
            // The matcher above is `CONFIG`, compiled at build time.
            const _: &::arbor::middleware::Config = &self::#module::CONFIG;
        }
    });
    (
        quote! {
            let app = ::arbor::__codegen::AppBuilder::middleware(app, self::#module::#module, #matchers);
        },
        quote!(#uses_config),
    )
}

/// The metadata files: the static ones (`icon.png`) with their bytes built in, and the
/// generated ones served by their function. Each is a static route, rendered before traffic,
/// unless its URL or its function reads the request.
fn metadata_registrations(model: &AppModel, found: &Found) -> Vec<TokenStream> {
    let statics = model.static_files.iter().map(|file| {
        let rel = display_path(&file.file.rel);
        let content_type = file.content_type;
        let handler = quote! {
            ::arbor::__codegen::static_file(
                include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/", #rel)),
                #content_type,
            )
        };
        static_route(&file.pattern, &rel, handler, None)
    });
    let generated = found.metadata.iter().map(|(meta, module)| {
        let name = format_ident!("{}", meta.kind.name());
        let exports = meta.exports.clone().unwrap_or_default();
        let size = if exports.consts.iter().any(|c| c == "SIZE") {
            quote!(::std::option::Option::Some(#module::SIZE))
        } else {
            quote!(::std::option::Option::None)
        };
        let mut handler = quote!(::arbor::__codegen::metadata(#module::#name, #size));
        let mut paths = None;
        if meta.generates_ids() {
            let generator = format_ident!("{}", meta.kind.generator().unwrap_or_default());
            let suffix = meta.id_suffix();
            handler = quote!(::arbor::__codegen::generated(#handler, #module::#generator, #suffix));
            let prefix = meta.id_prefix();
            paths = Some(quote! {
                ::arbor::__codegen::generated_paths(#prefix, #suffix, #module::#generator)
            });
        }
        let file = display_path(&meta.file.rel);
        let pattern = meta.pattern();
        if meta.is_static() {
            static_route(&pattern, &file, handler, paths)
        } else {
            quote! {
                let app = ::arbor::__codegen::AppBuilder::route(
                    app,
                    ::arbor::__codegen::Route::new(#pattern, #file)
                        .handler(::arbor::routing::Method::Get, #handler),
                );
            }
        }
    });
    statics.chain(generated).collect()
}

/// The layouts around the file at `rel`, folded into one function, innermost first.
fn layout_chain(model: &AppModel, found: &Found, rel: &std::path::Path) -> TokenStream {
    let calls = model
        .layouts_of(rel)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .map(|layout| {
            let module = found
                .layouts
                .iter()
                .find(|(file, _)| *file == layout.file.rel)
                .map(|(_, m)| m.clone())
                .unwrap_or_else(|| quote!(self));
            let awaits = layout
                .exports
                .as_ref()
                .and_then(|e| e.signature("layout"))
                .is_some_and(|s| s.is_async)
                .then(|| quote!(.await));
            quote!(let children = #module::layout::layout(children) #awaits;)
        });
    quote! {
        ::arbor::__codegen::layouts(|children: ::arbor::page::Markup| -> ::arbor::__codegen::BoxFuture<'static, ::arbor::page::Markup> {
            ::std::boxed::Box::pin(async move {
                #(#calls)*
                children
            })
        })
    }
}

/// The pages: each a GET route rendering the page inside its layouts, static unless its
/// function reads the request or its segment config says otherwise.
fn page_registrations(model: &AppModel, found: &Found) -> Vec<TokenStream> {
    found
        .pages
        .iter()
        .map(|(page, module)| {
            let exports = page.exports.clone().unwrap_or_default();
            let layouts = layout_chain(model, found, &page.file.rel);
            let file = display_path(&page.file.rel);
            let pattern = page.pattern();
            let file_module = quote!(#module::page);
            let config = if exports.config.any() {
                Some(config_tokens(&file_module, &exports.config))
            } else if exports.signature("page").is_some_and(|s| s.reads_request())
                || page.url_segments().any(|s| s.param().is_some())
            {
                // Read the request, or has parameters no `generate_static_params` lists:
                // rendered for each request, as Next.js renders such a page.
                None
            } else {
                Some(quote! {
                    .segment_config(::arbor::__codegen::SegmentConfig {
                        dynamic: ::arbor::cache::Dynamic::ForceStatic,
                        revalidate: ::std::option::Option::None,
                        dynamic_params: true,
                        generates_params: false,
                    })
                })
            };
            let static_params = exports
                .config
                .generate_static_params
                .then(|| quote!(.static_params(#file_module::generate_static_params)));
            let not_found = not_found_page(model, found).map(|page| quote!(.not_found(#page)));
            let head = head_tags(model, found, &page.file.rel);
            quote! {
                let app = ::arbor::__codegen::AppBuilder::route(
                    app,
                    ::arbor::__codegen::Route::new(#pattern, #file)
                        .handler(::arbor::routing::Method::Get, ::arbor::__codegen::page(#file_module::page, #layouts) #head #not_found)
                        #config #static_params .prerendered(),
                );
            }
        })
        .collect()
}

/// The metadata images of a page's folder and those above it, as Next.js links them from the
/// page's `<head>`: for each kind, the files of the deepest folder that has one.
fn head_tags(model: &AppModel, found: &Found, page: &std::path::Path) -> Option<TokenStream> {
    let folder = page.parent()?;
    // (kind, folder depth, name, tag)
    let mut candidates: Vec<(&'static str, usize, String, TokenStream)> = Vec::new();
    let depth = |rel: &std::path::Path| rel.components().count();
    for file in &model.static_files {
        let Some(own) = file.file.rel.parent() else {
            continue;
        };
        let name = file
            .file
            .rel
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let Some((stem, extension)) = name.rsplit_once('.') else {
            continue;
        };
        let base = stem.trim_end_matches(|c: char| c.is_ascii_digit());
        let Some(kind) = head_kind(base) else {
            continue;
        };
        if !folder.starts_with(own) || file.problem.is_some() {
            continue;
        }
        let bytes = std::fs::read(&file.file.abs).unwrap_or_default();
        let query = format!("?{stem}.{:016x}.{extension}", fnv(&bytes));
        let size = match image_size(&bytes) {
            Some((w, h)) => quote!(::std::option::Option::Some((#w, #h))),
            None => quote!(::std::option::Option::None),
        };
        let alt_file = file.file.abs.with_file_name(format!("{stem}.alt.txt"));
        let alt = match std::fs::read_to_string(alt_file) {
            Ok(text) => {
                let text = text.trim();
                quote!(::std::option::Option::Some(#text))
            }
            Err(_) => quote!(::std::option::Option::None),
        };
        let tag = head_tag(kind, &file.pattern, &query, file.content_type, size, alt);
        candidates.push((kind, depth(own), name.clone(), tag));
    }
    for (meta, module) in &found.metadata {
        let Some(own) = meta.file.rel.parent() else {
            continue;
        };
        let base = meta.kind.file_url();
        let Some(kind) = head_kind(base) else {
            continue;
        };
        if !folder.starts_with(own) || meta.generates_ids() {
            continue;
        }
        let exports = meta.exports.clone().unwrap_or_default();
        let source = std::fs::read(&meta.file.abs).unwrap_or_default();
        let query = format!("?{:016x}", fnv(&source));
        let size = if exports.consts.iter().any(|c| c == "SIZE") {
            quote!(::std::option::Option::Some(#module::SIZE))
        } else if matches!(kind, "og" | "twitter") {
            quote!(::std::option::Option::Some((1200, 630)))
        } else {
            quote!(::std::option::Option::None)
        };
        let alt = if exports.consts.iter().any(|c| c == "ALT") {
            quote!(::std::option::Option::Some(#module::ALT))
        } else {
            quote!(::std::option::Option::None)
        };
        let tag = head_tag(kind, &meta.pattern(), &query, "image/png", size, alt);
        candidates.push((kind, depth(own), base.to_owned(), tag));
    }
    let mut tags = Vec::new();
    // The web app manifest, static or generated, at the root.
    let manifest = model
        .static_files
        .iter()
        .filter(|f| f.problem.is_none())
        .map(|f| f.pattern.clone())
        .find(|p| p.starts_with("/manifest."))
        .or_else(|| {
            model
                .metadata
                .iter()
                .find(|m| m.kind == crate::model::MetadataKind::Manifest && m.at_root)
                .map(|m| m.kind.url())
        });
    if let Some(href) = manifest {
        tags.push(quote!(::arbor::__codegen::HeadTag::Manifest { href: #href }));
    }
    for kind in ["favicon", "icon", "apple-icon", "og", "twitter"] {
        let deepest = candidates.iter().filter(|c| c.0 == kind).map(|c| c.1).max();
        let mut chosen: Vec<_> = candidates
            .iter()
            .filter(|c| c.0 == kind && Some(c.1) == deepest)
            .collect();
        chosen.sort_by(|a, b| a.2.cmp(&b.2));
        tags.extend(chosen.into_iter().map(|c| c.3.clone()));
    }
    (!tags.is_empty()).then(|| quote!(.head(&[#(#tags),*])))
}

/// The kind of metadata image a file name's stem (`apple-icon`) is, for the head.
fn head_kind(base: &str) -> Option<&'static str> {
    match base {
        "favicon" => Some("favicon"),
        "icon" => Some("icon"),
        "apple-icon" => Some("apple-icon"),
        "opengraph-image" => Some("og"),
        "twitter-image" => Some("twitter"),
        _ => None,
    }
}

fn head_tag(
    kind: &str,
    pattern: &str,
    query: &str,
    content_type: &str,
    size: TokenStream,
    alt: TokenStream,
) -> TokenStream {
    match kind {
        "og" | "twitter" => quote! {
            ::arbor::__codegen::HeadTag::Image {
                prefix: #kind,
                pattern: #pattern,
                query: #query,
                content_type: #content_type,
                size: #size,
                alt: #alt,
            }
        },
        _ => {
            let rel = if kind == "apple-icon" {
                "apple-touch-icon"
            } else {
                "icon"
            };
            quote! {
                ::arbor::__codegen::HeadTag::Link {
                    rel: #rel,
                    pattern: #pattern,
                    query: #query,
                    content_type: #content_type,
                    size: #size,
                }
            }
        }
    }
}

/// FNV-1a: a version of a file's bytes for its URL, so that a changed file is fetched again.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The width and height a PNG (its IHDR) or an ICO (its first image) declares.
fn image_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() >= 24 {
        let word = |at: usize| {
            u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
        };
        return Some((word(16), word(20)));
    }
    if bytes.starts_with(&[0, 0, 1, 0]) && bytes.len() >= 8 {
        let side = |b: u8| if b == 0 { 256 } else { u32::from(b) };
        return Some((side(bytes[6]), side(bytes[7])));
    }
    None
}

/// `not-found.rs` returning `Markup`: its page inside the root layout.
fn not_found_page(model: &AppModel, found: &Found) -> Option<TokenStream> {
    let not_found = model.not_found.as_ref()?;
    let is_page = not_found
        .exports
        .as_ref()
        .and_then(|e| e.signature("not_found"))
        .is_some_and(|s| s.returns == "Markup");
    is_page.then(|| {
        let layouts = layout_chain(model, found, &not_found.file.rel);
        quote!(::arbor::__codegen::not_found_page(self::not_found::not_found, #layouts))
    })
}

/// `not-found.rs`: its handler, or, when it returns `Markup`, its page inside the root layout.
fn not_found_registration(input: &Input<'_>, found: &Found) -> Option<TokenStream> {
    input.model.not_found.as_ref()?;
    if let Some(page) = not_found_page(input.model, found) {
        Some(quote! {
            let app = ::arbor::__codegen::AppBuilder::not_found(app, #page);
        })
    } else {
        Some(quote! {
            let app = ::arbor::__codegen::AppBuilder::not_found(app, self::not_found::not_found);
        })
    }
}

/// A GET route answered by `handler`, rendered before traffic and served from the cache.
fn static_route(
    pattern: &str,
    file: &str,
    handler: TokenStream,
    paths: Option<TokenStream>,
) -> TokenStream {
    let generates = paths.is_some();
    let paths = paths.map(|p| quote!(.static_paths(#p)));
    quote! {
        let app = ::arbor::__codegen::AppBuilder::route(
            app,
            ::arbor::__codegen::Route::new(#pattern, #file)
                .handler(::arbor::routing::Method::Get, #handler)
                .segment_config(::arbor::__codegen::SegmentConfig {
                    dynamic: ::arbor::cache::Dynamic::ForceStatic,
                    revalidate: ::std::option::Option::None,
                    dynamic_params: true,
                    generates_params: #generates,
                })
                .prerendered()
                #paths,
        );
    }
}

/// How the app gets the files of `public/`: the folder found at run time, or the files built
/// in.
fn public_files(input: &Input<'_>) -> TokenStream {
    if input.model.public.is_none() {
        return TokenStream::new();
    }
    if !input.embed_public {
        return quote! {
            let app = app.public_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/public"));
        };
    }
    let files = input.model.public_files.iter().map(|file| {
        let url = &file.url;
        let rel = display_path(&file.rel);
        let modified = file.modified;
        quote! {
            (#url, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/", #rel)), #modified)
        }
    });
    quote! {
        let app = app.public_files(&[#(#files),*]);
    }
}

fn render_router(
    routes: &[RouteEntry],
    params_impls: &[TokenStream],
    not_found: Option<TokenStream>,
    middleware: Option<&Middleware>,
    config: TokenStream,
    public: &TokenStream,
    metadata: &[TokenStream],
) -> String {
    let registrations = routes.iter().map(|r| {
        let pattern = &r.pattern;
        let file = &r.file;
        let module = &r.module;
        let handlers = r.methods.iter().map(|m| {
            let name = format_ident!("{}", m.as_str());
            let variant = format_ident!("{m:?}");
            quote!(.handler(::arbor::routing::Method::#variant, #module::route::#name))
        });
        let config = r
            .config
            .any()
            .then(|| config_tokens(&quote!(#module::route), &r.config));
        let static_params = r
            .config
            .generate_static_params
            .then(|| quote!(.static_params(#module::route::generate_static_params)));
        let max_duration = r
            .config
            .max_duration
            .then(|| quote!(.max_duration(#module::route::MAX_DURATION)));
        let body_limit = r
            .config
            .body_limit
            .then(|| quote!(.body_limit(#module::route::BODY_LIMIT)));
        quote! {
            app = ::arbor::__codegen::AppBuilder::route(
                app,
                ::arbor::__codegen::Route::new(#pattern, #file) #(#handlers)* #config #static_params #max_duration #body_limit,
            );
        }
    });
    let manifest = routes.iter().map(|r| {
        let pattern = &r.pattern;
        let file = &r.file;
        let methods = r.methods.iter().map(|m| {
            let variant = format_ident!("{m:?}");
            quote!(::arbor::routing::Method::#variant)
        });
        quote! {
            ::arbor::routing::RouteInfo { pattern: #pattern, file: #file, methods: &[#(#methods),*] }
        }
    });
    // Routes are registered in functions of at most ROUTES_PER_FN routes: the compiler's
    // type checking grows faster than linearly with the size of one function body.
    let registrations: Vec<TokenStream> = registrations.collect();
    let chunks: Vec<_> = registrations.chunks(ROUTES_PER_FN).collect();
    let chunk_names: Vec<_> = (0..chunks.len())
        .map(|i| format_ident!("__arbor_routes_{i}"))
        .collect();
    let chunk_fns = chunks.iter().zip(&chunk_names).map(|(chunk, name)| {
        quote! {
            #[allow(dead_code)]
            fn #name(mut app: ::arbor::App<State>) -> ::arbor::App<State> {
                #(#chunk)*
                app
            }
        }
    });
    let body = quote! {
        let app = ::arbor::App::new();
        // The draft-mode cookie's value: one per build (see `arbor_build::DRAFT_SECRET_FILE`).
        let app = ::arbor::__codegen::AppBuilder::draft_secret(
            app,
            include_str!(concat!(env!("OUT_DIR"), "/arbor_draft_secret")),
        );
        #(let app = #chunk_names(app);)*
    };
    let (middleware, uses_config) = middleware.map(render_middleware).unzip();

    let router = quote! {
        /// The state the app's handlers share, as given to `arbor::app!(state = ...)`.
        pub type State = super::__ArborAppState;

        #uses_config

        /// Every route of `app/`: its URL pattern, its file and the methods it exports.
        #[allow(dead_code)]
        pub const ROUTES: &[::arbor::routing::RouteInfo] = &[#(#manifest),*];

        /// The router for `app/`: serve it with `arbor::serve`, after `with_state` if it has state.
        #[allow(dead_code, clippy::let_and_return)]
        pub fn router() -> ::arbor::App<State> {
            #body
            #(#metadata)*
            #not_found
            #middleware
            #config
            #public
            app
        }

        #(#chunk_fns)*

        #(#params_impls)*
    };
    format!(
        "// @generated by arbor-build from the route files of app/: do not edit.\n\n{}",
        pretty(router)
    )
}

/// `.segment_config(...)` from a file's declared segment config (`file`: its module).
fn config_tokens(file: &TokenStream, c: &crate::parse::SegmentConfig) -> TokenStream {
    let dynamic = if c.dynamic {
        quote!(#file::DYNAMIC)
    } else {
        quote!(::arbor::cache::Dynamic::Auto)
    };
    let revalidate = if c.revalidate {
        quote!(::std::option::Option::Some(#file::REVALIDATE))
    } else {
        quote!(::std::option::Option::None)
    };
    let dynamic_params = if c.dynamic_params {
        quote!(#file::DYNAMIC_PARAMS)
    } else {
        quote!(true)
    };
    let generates = c.generate_static_params;
    quote! {
        .segment_config(::arbor::__codegen::SegmentConfig {
            dynamic: #dynamic,
            revalidate: #revalidate,
            dynamic_params: #dynamic_params,
            generates_params: #generates,
        })
    }
}

/// How many routes one generated registration function holds.
const ROUTES_PER_FN: usize = 64;

fn pretty(tokens: TokenStream) -> String {
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(parsed) => prettyplease::unparse(&parsed),
        Err(_) => tokens.to_string(),
    }
}

/// The items of one folder's module. `base` is what `#[path]` values start with here: the
/// app folder as seen from `src/` at the top, nothing inside an inline module with a path.
fn folder_items(
    folder: &Folder,
    input: &Input<'_>,
    segments: &mut Vec<Segment>,
    base: &str,
    module: &TokenStream,
    found: &mut Found,
) -> TokenStream {
    if let Some(segment) = &folder.segment {
        segments.push(segment.clone());
    }
    let mut items = Vec::new();
    let mut names = Namespace::new([
        "route",
        "page",
        "layout",
        "Params",
        "State",
        "router",
        "ROUTES",
        "not_found",
        "middleware",
        "arbor_config",
        "instrumentation",
        "proxy",
    ]);
    let pattern = pattern(segments);
    if folder.route.is_some() || folder.page.is_some() || !folder.metadata.is_empty() {
        let (params, params_impls) = params_struct(segments, &pattern, module);
        items.push(params);
        found.params_impls.extend(params_impls);
    }
    if let Some(route) = &folder.route {
        let exports = input.exports(route).unwrap_or_default();
        let path = format!("{base}route.rs");
        let doc = format!(
            " `{}`: the route handlers for `{pattern}`.",
            display_path(&route.rel)
        );
        items.push(quote! {
            #[doc = #doc]
            #[path = #path]
            #[allow(non_snake_case)]
            pub mod route;
        });
        found.routes.push(RouteEntry {
            pattern: pattern.clone(),
            segments: segments.clone(),
            file: display_path(&route.rel),
            module: module.clone(),
            methods: exports.methods,
            config: exports.config,
            signatures: exports.signatures,
        });
    }
    if let Some(page) = &folder.page {
        let path = format!("{base}page.rs");
        let doc = format!(" `{}`: the page at `{pattern}`.", display_path(&page.rel));
        items.push(quote! {
            #[doc = #doc]
            #[path = #path]
            pub mod page;
        });
        if let Some(endpoint) = input.model.pages().find(|e| e.file.rel == page.rel) {
            found.pages.push((endpoint.clone(), module.clone()));
        }
    }
    if let Some(layout) = &folder.layout {
        let path = format!("{base}layout.rs");
        let doc = format!(
            " `{}`: wraps the pages at and below `{pattern}`.",
            display_path(&layout.rel)
        );
        items.push(quote! {
            #[doc = #doc]
            #[path = #path]
            pub mod layout;
        });
        found.layouts.push((layout.rel.clone(), module.clone()));
    }
    for meta in input
        .model
        .metadata
        .iter()
        .filter(|m| folder.metadata.iter().any(|f| f.rel == m.file.rel))
    {
        let ident = names.claim(meta.kind.name());
        let path = format!("{base}{}", meta.kind.file_name());
        let doc = format!(
            " `{}`: answers `{}`.",
            display_path(&meta.file.rel),
            meta.pattern()
        );
        items.push(quote! {
            #[doc = #doc]
            #[path = #path]
            pub mod #ident;
        });
        found.metadata.push((meta.clone(), quote!(#module::#ident)));
    }
    for dir in &folder.private {
        let ident = names.claim(&dir.name);
        items.push(module_dir(dir, &ident, base));
    }
    for child in &folder.children {
        let ident = names.claim(&child.name);
        let child_module = quote!(#module::#ident);
        let inner = folder_items(child, input, segments, "", &child_module, found);
        if !inner.is_empty() {
            let doc = format!(" The folder `{}`.", child.name);
            let path = format!("{base}{}", child.name);
            items.push(quote! {
                #[doc = #doc]
                #[path = #path]
                pub mod #ident { #inner }
            });
        }
    }
    if folder.segment.is_some() {
        segments.pop();
    }
    quote!(#(#items)*)
}

fn module_dir(dir: &ModuleDir, ident: &Ident, base: &str) -> TokenStream {
    let doc = format!(" The private folder `{}` (never routed).", dir.name);
    if dir.mod_rs.is_some() {
        let path = format!("{base}{}/mod.rs", dir.name);
        return quote! {
            #[doc = #doc]
            #[path = #path]
            pub mod #ident;
        };
    }
    let mut names = Namespace::new([]);
    let mut items = Vec::new();
    for file in &dir.files {
        let name = file
            .abs
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let child = names.claim(name.trim_end_matches(".rs"));
        items.push(quote! {
            #[path = #name]
            #[allow(non_snake_case)]
            pub mod #child;
        });
    }
    for sub in &dir.children {
        let child = names.claim(&sub.name);
        items.push(module_dir(sub, &child, ""));
    }
    let path = format!("{base}{}", dir.name);
    quote! {
        #[doc = #doc]
        #[path = #path]
        pub mod #ident { #(#items)* }
    }
}

fn pattern(segments: &[Segment]) -> String {
    let parts: Vec<String> = segments.iter().filter_map(Segment::pattern).collect();
    format!("/{}", parts.join("/"))
}

/// `Params` for one route: a field per dynamic folder, filled by position from the router.
/// The struct goes into the module tree (what editors read); its impls, which only the
/// router needs, into the router file, where `module` is the route's module.
fn params_struct(
    segments: &[Segment],
    pattern: &str,
    module: &TokenStream,
) -> (TokenStream, Option<TokenStream>) {
    let params: Vec<&Segment> = segments.iter().filter(|s| s.param().is_some()).collect();
    if params.is_empty() {
        let doc = format!(" `{pattern}` has no dynamic segment, so its parameters are empty.");
        let alias = quote! {
            #[doc = #doc]
            #[allow(dead_code)]
            pub type Params = ::arbor::routing::NoParams;
        };
        return (alias, None);
    }
    let mut fields = Vec::new();
    let mut inits = Vec::new();
    let mut entries = Vec::new();
    let parts: Vec<TokenStream> = segments
        .iter()
        .filter_map(|segment| match segment {
            Segment::Static(s) => Some(quote!(::arbor::__codegen::PathPart::Static(#s))),
            Segment::Dynamic(p) => {
                let field = field_ident(p);
                Some(quote!(::arbor::__codegen::PathPart::One(&self.#field)))
            }
            Segment::CatchAll(p) => {
                let field = field_ident(p);
                Some(quote!(::arbor::__codegen::PathPart::Many(&self.#field)))
            }
            Segment::OptionalCatchAll(p) => {
                let field = field_ident(p);
                Some(quote!(::arbor::__codegen::PathPart::Optional(self.#field.as_deref())))
            }
            _ => None,
        })
        .collect();
    for (index, segment) in params.iter().enumerate() {
        let name = segment.param().unwrap_or_default();
        let field = field_ident(name);
        let (ty, init, doc) = match segment {
            Segment::CatchAll(_) => (
                quote!(::std::vec::Vec<::std::string::String>),
                quote!(params.many(#index)),
                format!(" `[...{name}]`: one or more segments, each percent-decoded."),
            ),
            Segment::OptionalCatchAll(_) => (
                quote!(::std::option::Option<::std::vec::Vec<::std::string::String>>),
                quote!(params.optional(#index)),
                format!(
                    " `[[...{name}]]`: `None` when the URL stops before it, else the segments."
                ),
            ),
            _ => (
                quote!(::arbor::routing::Param),
                quote!(::arbor::routing::Param::new(#name, params.one(#index))),
                format!(
                    " `[{name}]`: one segment, percent-decoded; `.parse()` it (400 when it does not parse)."
                ),
            ),
        };
        fields.push(quote!(#[doc = #doc] pub #field: #ty));
        inits.push(quote!(#field: #init));
        entries.push(quote!((#name, (&self.#field).into())));
    }
    let doc = format!(" The parameters of `{pattern}`, decoded from the URL.");
    let definition = quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[allow(dead_code)]
        pub struct Params { #(#fields),* }
    };
    let impls = quote! {
        impl ::arbor::__codegen::FromParams for #module::Params {
            const PATTERN: &'static str = #pattern;
            fn from_params(params: &::arbor::__codegen::Params) -> Self {
                #module::Params { #(#inits),* }
            }
            fn to_path(&self) -> ::std::string::String {
                ::arbor::__codegen::build_path(&[#(#parts),*])
            }
        }

        impl ::arbor::__codegen::serde::Serialize for #module::Params {
            fn serialize<S: ::arbor::__codegen::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                ::arbor::__codegen::serialize_params(serializer, &[#(#entries),*])
            }
        }
    };
    (definition, Some(impls))
}

/// A parameter name as a field: symbols become `_`, keywords are escaped.
fn field_ident(name: &str) -> Ident {
    let cleaned = clean(name);
    if matches!(cleaned.as_str(), "self" | "super" | "crate" | "Self" | "_") {
        return format_ident!("{cleaned}_");
    }
    if syn::parse_str::<Ident>(&cleaned).is_ok() {
        Ident::new(&cleaned, Span::call_site())
    } else {
        Ident::new_raw(&cleaned, Span::call_site())
    }
}

/// Module names for the folders of one parent, unique and valid whatever the folder names.
struct Namespace {
    taken: HashSet<String>,
}

impl Namespace {
    fn new<const N: usize>(reserved: [&str; N]) -> Self {
        Namespace {
            taken: reserved.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn claim(&mut self, folder: &str) -> Ident {
        let base = match Segment::parse(folder) {
            Ok(Segment::Dynamic(p)) => format!("param_{}", clean(&p)),
            Ok(Segment::CatchAll(p)) => format!("catch_all_{}", clean(&p)),
            Ok(Segment::OptionalCatchAll(p)) => format!("optional_catch_all_{}", clean(&p)),
            Ok(Segment::Group(g)) => format!("group_{}", clean(&g)),
            Ok(Segment::Slot(s)) => format!("slot_{}", clean(&s)),
            Ok(Segment::Static(s)) => clean(&s),
            _ => clean(folder),
        };
        let base = base.to_lowercase();
        let base = if syn::parse_str::<Ident>(&base).is_ok() {
            base
        } else {
            format!("{base}_")
        };
        let mut name = base.clone();
        let mut n = 2;
        while !self.taken.insert(name.clone()) {
            name = format!("{base}_{n}");
            n += 1;
        }
        Ident::new(&name, Span::call_site())
    }
}
