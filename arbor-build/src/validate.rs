//! Every rule an app must keep, checked in one place on its [`AppModel`] before any code is
//! generated: the tree's (`nextjs-semantics.md` §1.2–1.3), each route file's and the
//! not-found file's. Each broken rule is one [`Diagnostic`] naming the files and the fix.

use std::collections::BTreeMap;

use crate::diagnostic::{display_path, Diagnostic};
use crate::model::{AppModel, Endpoint, Kind, MetadataKind, MetadataRoute};
use crate::parse::RouteExports;
use crate::scan::SourceFile;
use crate::segment::{rust_name, Segment};

/// Checks every rule; returns one diagnostic per broken rule (and the warnings).
pub fn check(model: &AppModel) -> Vec<Diagnostic> {
    let endpoints = &model.endpoints;
    let mut out = Vec::new();
    for endpoint in endpoints {
        check_params(endpoint, &mut out);
    }
    check_same_folder(endpoints, &mut out);
    check_url_tree(endpoints, &mut out);
    for endpoint in endpoints {
        match (endpoint.kind, &endpoint.exports) {
            (Kind::Route, Some(exports)) => {
                out.extend(route_file(&endpoint.file, &endpoint.pattern(), exports));
            }
            (Kind::Page, Some(exports)) => {
                out.extend(page_file(&endpoint.file, exports));
            }
            (_, None) => {}
        }
    }
    check_layouts(model, &mut out);
    check_dependencies(model, &mut out);
    for meta in &model.metadata {
        out.extend(metadata_file(model, meta));
    }
    for file in &model.static_files {
        let path = display_path(&file.file.rel);
        if let Some((rule, help)) = &file.problem {
            out.push(
                Diagnostic::error(format!("{path} cannot be served"))
                    .file(&file.file.rel)
                    .rule(rule.clone())
                    .help(help.clone()),
            );
        } else if let Some(meta) = model.metadata.iter().find(|m| {
            // `robots.txt` beside `robots.rs`, `icon.png` beside `icon.rs`...
            let (folder, name) = file.pattern.rsplit_once('/').unwrap_or_default();
            let stem = name.split('.').next().unwrap_or_default();
            let own = m.kind.file_url().split('.').next().unwrap_or_default();
            folder == m.folder_pattern() && stem == own
        }) {
            out.push(
                Diagnostic::error(format!("two files answer `{}`", file.pattern))
                    .file(&file.file.rel)
                    .file(&meta.file.rel)
                    .rule("a metadata file is either static or generated, not both")
                    .help("remove one of the two files"),
            );
        } else if let Some(route) = model.routes().find(|r| r.pattern() == file.pattern) {
            out.push(
                Diagnostic::error(format!("two files answer `{}`", file.pattern))
                    .file(&file.file.rel)
                    .file(&route.file.rel)
                    .rule("a static metadata file is served at its own name")
                    .help("remove the route, or the file"),
            );
        }
    }
    if let Some(not_found) = &model.not_found {
        out.extend(not_found_file(&not_found.file, not_found.exports.as_ref()));
    }
    out.extend(served_document(model));
    out
}

/// `OPENAPI.serve(path)` answers `path`: no route, page or public file may answer it too.
fn served_document(model: &AppModel) -> Option<Diagnostic> {
    let path = model.config.openapi.as_ref()?.serve.as_deref()?;
    let route = model.endpoints.iter().find(|e| e.pattern() == path);
    let public = model.public_files.iter().find(|f| f.url == path);
    let other = match (route, public) {
        (Some(route), _) => route.file.rel.clone(),
        (None, Some(file)) => file.rel.clone(),
        (None, None) => return None,
    };
    Some(
        Diagnostic::error(format!("two files answer `{path}`"))
            .file(crate::config::FILE)
            .file(&other)
            .rule("`OPENAPI.serve(path)` answers GET `path` with the OpenAPI document")
            .help("serve the document at another path (`.serve(\"/api/openapi.json\")`), or move the other file"),
    )
}

/// A metadata file's rules: where it may be, the function it exports, and its URL free.
fn metadata_file(model: &AppModel, meta: &MetadataRoute) -> Option<Diagnostic> {
    let path = display_path(&meta.file.rel);
    let name = meta.kind.name();
    let file = meta.kind.file_name();
    if meta.kind.root_only() && !meta.at_root {
        return Some(
            Diagnostic::error(format!("{path} is not at the root of app/"))
                .file(&meta.file.rel)
                .rule("a site has one robots.txt and one web app manifest, at the root of app/")
                .help(format!("move it to app/{file}")),
        );
    }
    let exports = meta.exports.as_ref()?;
    if !exports.functions.iter().any(|f| f == name) {
        let returns = match meta.kind {
            MetadataKind::Robots => "arbor::metadata::Robots",
            MetadataKind::Sitemap => "arbor::metadata::Sitemap",
            MetadataKind::Manifest => "arbor::metadata::Manifest",
            _ => "arbor::image::ImageResponse",
        };
        return Some(
            Diagnostic::error(format!("{path} does not export `{name}`"))
                .file(&meta.file.rel)
                .rule(format!(
                    "`{}` is answered by the file's `pub async fn {name}`",
                    meta.pattern()
                ))
                .help(format!("add `pub async fn {name}() -> {returns}`")),
        );
    }
    let takes_id = exports
        .signature(name)
        .is_some_and(|s| s.args.iter().any(|a| a.ends_with("MetadataId")));
    if takes_id && !meta.generates_ids() {
        let generator = meta.kind.generator().unwrap_or("generate_sitemaps");
        return Some(
            Diagnostic::error(format!("{path} takes a `MetadataId` it is never given"))
                .file(&meta.file.rel)
                .rule(format!(
                    "a metadata file is served under ids only when it exports `{generator}`, which lists them"
                ))
                .help(format!(
                    "add `pub async fn {generator}() -> Vec<...>`, or take no `MetadataId`"
                )),
        );
    }
    if meta.kind.is_image() {
        let content_type = exports
            .const_strings
            .iter()
            .find(|(name, _)| name == "CONTENT_TYPE");
        if let Some((_, value)) = content_type.filter(|(_, v)| v != "image/png") {
            return Some(
                Diagnostic::error(format!("{path} asks for `{value}`"))
                    .file(&meta.file.rel)
                    .rule("`arbor::image::ImageResponse` renders PNG images")
                    .help("set `pub const CONTENT_TYPE: &str = \"image/png\";`, or leave it out"),
            );
        }
    }
    let pattern = meta.pattern();
    let route = model.endpoints.iter().find(|r| r.pattern() == pattern)?;
    Some(
        Diagnostic::error(format!("two files answer `{pattern}`"))
            .file(&meta.file.rel)
            .file(&route.file.rel)
            .rule(format!("{path} answers `{pattern}` itself"))
            .help("remove the route, or the metadata file"),
    )
}

/// A page file exports `page`.
fn page_file(file: &SourceFile, exports: &RouteExports) -> Option<Diagnostic> {
    if exports.signature("page").is_some() || exports.functions.iter().any(|f| f == "page") {
        return None;
    }
    Some(
        Diagnostic::error(format!("{} does not export `page`", display_path(&file.rel)))
            .file(&file.rel)
            .rule("a page.rs answers GET with the HTML of its `pub async fn page`")
            .help("add `pub async fn page() -> Markup { html! { h1 { \"Hello\" } } }` (with `use arbor::prelude::*;`)"),
    )
}

/// What the files need among the crate's dependencies: maud for `html!` in pages and
/// layouts, the `image` feature of arbor for generated images.
fn check_dependencies(model: &AppModel, out: &mut Vec<Diagnostic>) {
    let Some(dependencies) = &model.dependencies else {
        return;
    };
    let declared = |name: &str| dependencies.iter().find(|(n, _)| n == name);
    let html_file = model
        .layouts
        .first()
        .map(|l| &l.file)
        .or_else(|| model.pages().next().map(|p| &p.file));
    if let (Some(file), None) = (html_file, declared("maud")) {
        out.push(
            Diagnostic::error(format!(
                "{} writes HTML, but maud is not a dependency",
                display_path(&file.rel)
            ))
            .file(&file.rel)
            .rule(
                "pages and layouts write HTML with maud's `html!`, which the crate must depend on",
            )
            .help("add `maud = \"0.27\"` under [dependencies] in Cargo.toml"),
        );
    }
    let image = model.metadata.iter().find(|m| m.kind.is_image());
    let arbor = declared("arbor").map(|(_, spec)| spec.as_str());
    if let (Some(image), Some(spec)) = (image, arbor) {
        // A workspace dependency may take its features from the workspace's declaration.
        if !spec.contains("\"image\"") && !spec.contains("workspace") {
            out.push(
                Diagnostic::error(format!(
                    "{} renders an image, but arbor's `image` feature is off",
                    display_path(&image.file.rel)
                ))
                .file(&image.file.rel)
                .rule("generated images (icon.rs, opengraph-image.rs...) are rendered by `arbor::image`, behind arbor's `image` feature")
                .help("declare arbor with `features = [\"image\"]` under [dependencies] in Cargo.toml"),
            );
        }
    }
}

/// Every layout exports `layout`, and a page has a root layout.
fn check_layouts(model: &AppModel, out: &mut Vec<Diagnostic>) {
    for layout in &model.layouts {
        let Some(exports) = &layout.exports else {
            continue;
        };
        if !exports.functions.iter().any(|f| f == "layout") {
            out.push(
                Diagnostic::error(format!(
                    "{} does not export `layout`",
                    display_path(&layout.file.rel)
                ))
                .file(&layout.file.rel)
                .rule("a layout.rs wraps the pages below it with its `pub fn layout(children: Markup) -> Markup`")
                .help("add `pub fn layout(children: Markup) -> Markup { html! { main { (children) } } }`"),
            );
        }
    }
    if model.root_layout().is_some() {
        return;
    }
    if let Some(page) = model.pages().next() {
        let root = model.app_dir.join("layout.rs");
        out.push(
            Diagnostic::error(format!(
                "{} has no root layout",
                display_path(&page.file.rel)
            ))
            .file(&page.file.rel)
            .rule("pages render inside the root layout, app/layout.rs, which writes the document (<html>, <head>, <body>)")
            .help(format!(
                "create {} with `pub fn layout(children: Markup) -> Markup {{ html! {{ html lang=\"en\" {{ body {{ (children) }} }} }} }}`",
                display_path(&root)
            )),
        );
    }
}

/// A route file's own rules: segment config as literals, one body reader per handler, and
/// warnings for what is exported but not routed.
fn route_file(file: &SourceFile, pattern: &str, exports: &RouteExports) -> Vec<Diagnostic> {
    let path = display_path(&file.rel);
    let mut out = Vec::new();
    for (found, expected) in &exports.config.invalid {
        out.push(
            Diagnostic::error(format!("invalid segment config in {path}: `{found}`"))
                .file(&file.rel)
                .rule("segment config is read at build time, so it is written as a literal")
                .help(format!("write {expected}")),
        );
    }
    for name in &exports.lower_case {
        let upper = name.to_ascii_uppercase();
        out.push(Diagnostic::warning(format!(
            "{path}: `{name}` is not routed: method handlers are named in upper case; rename it to `{upper}`"
        )));
    }
    for method in &exports.private_methods {
        out.push(Diagnostic::warning(format!(
            "{path}: `{method}` is not routed because it is private; declare it `pub async fn {method}`"
        )));
    }
    for (method, readers) in &exports.body_read_twice {
        let listed = readers
            .iter()
            .map(|r| format!("`{r}`"))
            .collect::<Vec<_>>()
            .join(" and ");
        out.push(
            Diagnostic::error(format!(
                "`{method}` in {path} reads the request body twice: through {listed}"
            ))
            .file(&file.rel)
            .rule("a handler reads the request body through one argument: `Request` (the Next.js shape) or one extractor such as `Json<T>` or `Form<T>`")
            .help("take `Request` alone and read the body with `req.json().await?` or `req.form().await?`, or drop `Request` and keep the extractor"),
        );
    }
    if exports.methods.is_empty() {
        out.push(Diagnostic::warning(format!(
            "{path} exports no method handler, so every request to `{pattern}` gets 405; export one, such as `pub async fn GET`"
        )));
    }
    out
}

/// `app/not-found.rs` must export its handler.
fn not_found_file(file: &SourceFile, exports: Option<&RouteExports>) -> Option<Diagnostic> {
    let exports = exports?;
    if exports.functions.iter().any(|f| f == "not_found") {
        return None;
    }
    Some(Diagnostic::error("app/not-found.rs does not export `not_found`")
        .file(&file.rel)
        .rule("the not-found file answers unmatched URLs with its `pub async fn not_found` handler")
        .help("add `pub async fn not_found(req: Request) -> Response`; its response is sent with status 404"))
}

/// §1.2: repeated slugs, slugs differing only by symbols, catch-alls not last.
fn check_params(endpoint: &Endpoint, out: &mut Vec<Diagnostic>) {
    let url: Vec<&Segment> = endpoint.url_segments().collect();
    let pattern = endpoint.pattern();
    let mut seen: Vec<&str> = Vec::new();
    for (i, segment) in url.iter().enumerate() {
        let Some(param) = segment.param() else {
            continue;
        };
        if seen.contains(&param) {
            out.push(
                Diagnostic::error(format!("the parameter `{param}` appears twice in `{pattern}`"))
                    .file(&endpoint.file.rel)
                    .rule("a dynamic path cannot repeat a slug name, each one becomes a field of `Params`")
                    .help(format!("rename one of the `{param}` folders")),
            );
        } else if let Some(other) = seen.iter().find(|s| rust_name(s) == rust_name(param)) {
            out.push(
                Diagnostic::error(format!(
                    "the parameters `{other}` and `{param}` in `{pattern}` differ only by symbols"
                ))
                .file(&endpoint.file.rel)
                .rule(format!(
                    "slug names within one dynamic path must differ by more than symbols: both become the `Params` field `{}`",
                    rust_name(param)
                ))
                .help(format!("rename `{param}` so it cannot be mistaken for `{other}`")),
            );
        }
        seen.push(param);
        let last = i + 1 == url.len();
        let kind = match segment {
            Segment::CatchAll(_) => Some("catch-all"),
            Segment::OptionalCatchAll(_) => Some("optional catch-all"),
            _ => None,
        };
        if let (Some(kind), false) = (kind, last) {
            out.push(
                Diagnostic::error(format!(
                    "the {kind} `{}` is not the last part of `{pattern}`",
                    segment.pattern().unwrap_or_default()
                ))
                .file(&endpoint.file.rel)
                .rule(format!("a {kind} takes every remaining segment, so nothing can follow it"))
                .help("move this route out of the catch-all folder, or make the catch-all the deepest folder"),
            );
        }
    }
}

/// §1.3: a route and a page in one folder.
fn check_same_folder(endpoints: &[Endpoint], out: &mut Vec<Diagnostic>) {
    for route in endpoints.iter().filter(|e| e.kind == Kind::Route) {
        let folder = route.file.rel.parent();
        if let Some(page) = endpoints
            .iter()
            .find(|e| e.kind == Kind::Page && e.file.rel.parent() == folder)
        {
            out.push(
                Diagnostic::error(format!(
                    "conflicting route and page at `{}`",
                    route.pattern()
                ))
                .file(&route.file.rel)
                .file(&page.file.rel)
                .rule("a folder holds either a route.rs or a page.rs, never both: neither takes precedence")
                .help(format!(
                    "move the route into a sub-folder (for example `{}/api/route.rs`) or remove one of the two files",
                    display_path(folder.unwrap_or(route.file.rel.as_path()))
                )),
            );
        }
    }
}

/// The URL shape of one level: static names are distinct, every dynamic kind is one slot.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Shape {
    Static(String),
    Dynamic,
    CatchAll,
    OptionalCatchAll,
}

#[derive(Default)]
struct Node<'a> {
    children: BTreeMap<Shape, (String, &'a Endpoint, Node<'a>)>,
    terminal: Option<&'a Endpoint>,
}

/// §1.3: one URL answered twice, slug names that disagree, catch-alls that overlap.
fn check_url_tree(endpoints: &[Endpoint], out: &mut Vec<Diagnostic>) {
    let mut root = Node::default();
    for endpoint in endpoints {
        insert(&mut root, endpoint, out);
    }
    check_overlaps(&root, out);
}

fn insert<'a>(root: &mut Node<'a>, endpoint: &'a Endpoint, out: &mut Vec<Diagnostic>) {
    let mut node = root;
    for segment in endpoint.url_segments() {
        let (shape, name) = match segment {
            Segment::Static(s) => (Shape::Static(s.clone()), s.clone()),
            Segment::Dynamic(p) => (Shape::Dynamic, p.clone()),
            Segment::CatchAll(p) => (Shape::CatchAll, p.clone()),
            Segment::OptionalCatchAll(p) => (Shape::OptionalCatchAll, p.clone()),
            Segment::Group(_) | Segment::Slot(_) | Segment::Private => continue,
        };
        let entry = node
            .children
            .entry(shape.clone())
            .or_insert_with(|| (name.clone(), endpoint, Node::default()));
        if entry.0 != name {
            out.push(slug_conflict(&shape, &entry.0, &name, entry.1, endpoint));
            return;
        }
        node = &mut entry.2;
    }
    match node.terminal {
        None => node.terminal = Some(endpoint),
        // A route and a page in one folder are reported by `check_same_folder`.
        Some(existing) if existing.file.rel.parent() == endpoint.file.rel.parent() => {}
        Some(existing) => out.push(same_url(existing, endpoint)),
    }
}

fn slug_conflict(
    shape: &Shape,
    first: &str,
    second: &str,
    a: &Endpoint,
    b: &Endpoint,
) -> Diagnostic {
    let written = |name: &str| match shape {
        Shape::CatchAll => format!("[...{name}]"),
        Shape::OptionalCatchAll => format!("[[...{name}]]"),
        _ => format!("[{name}]"),
    };
    let same_shape = shape_of(a) == shape_of(b);
    let message = if same_shape {
        format!(
            "ambiguous routes: `{}` and `{}` match exactly the same URLs",
            a.pattern(),
            b.pattern()
        )
    } else {
        format!(
            "different slug names for the same dynamic path: `{}` and `{}`",
            written(first),
            written(second)
        )
    };
    Diagnostic::error(message)
        .file(&a.file.rel)
        .file(&b.file.rel)
        .rule("dynamic folders at the same level must use one name, since a URL cannot tell them apart")
        .help(format!(
            "rename `{}` to `{}` (or the other way round) so both routes share one folder",
            written(second),
            written(first)
        ))
}

fn shape_of(endpoint: &Endpoint) -> Vec<Shape> {
    endpoint
        .url_segments()
        .map(|s| match s {
            Segment::Static(s) => Shape::Static(s.clone()),
            Segment::Dynamic(_) => Shape::Dynamic,
            Segment::CatchAll(_) => Shape::CatchAll,
            _ => Shape::OptionalCatchAll,
        })
        .collect()
}

fn same_url(a: &Endpoint, b: &Endpoint) -> Diagnostic {
    let (message, rule) = match (a.kind, b.kind) {
        (Kind::Route, Kind::Route) => (
            format!("conflicting routes at `{}`", a.pattern()),
            "route groups `(name)` add nothing to the URL, so these folders resolve to one URL, and a URL has one route.rs",
        ),
        (Kind::Page, Kind::Page) => (
            format!("conflicting pages at `{}`", a.pattern()),
            "route groups `(name)` add nothing to the URL, so these folders resolve to one URL, and a URL has one page",
        ),
        _ => (
            format!("conflicting route and page at `{}`", a.pattern()),
            "a URL is answered by a route.rs or a page.rs, never both: neither takes precedence",
        ),
    };
    Diagnostic::error(message)
        .file(&a.file.rel)
        .file(&b.file.rel)
        .rule(format!(
            "{rule} (`{}` and `{}`)",
            a.disk_path(),
            b.disk_path()
        ))
        .help("rename or move one of the two folders so that each URL is answered by one file")
}

fn check_overlaps(node: &Node<'_>, out: &mut Vec<Diagnostic>) {
    let optional = node.children.get(&Shape::OptionalCatchAll);
    if let (Some(here), Some((_, opt, _))) = (node.terminal, optional) {
        out.push(
            Diagnostic::error(format!(
                "`{}` has the same specificity as the optional catch-all `{}`",
                here.pattern(),
                opt.pattern()
            ))
            .file(&here.file.rel)
            .file(&opt.file.rel)
            .rule("an optional catch-all also matches its bare prefix, so both files answer that URL")
            .help(format!(
                "remove `{}` and handle the bare URL in the optional catch-all (its parameter is `None` there), or make it a required catch-all `[...name]`",
                display_path(&here.file.rel)
            )),
        );
    }
    if let (Some((a_name, a, _)), Some((b_name, b, _))) =
        (node.children.get(&Shape::CatchAll), optional)
    {
        out.push(
            Diagnostic::error(format!(
                "a required and an optional catch-all at the same level: `[...{a_name}]` and `[[...{b_name}]]`"
            ))
            .file(&a.file.rel)
            .file(&b.file.rel)
            .rule("both catch every deeper URL, so neither could ever be chosen over the other")
            .help("keep only the optional catch-all `[[...name]]` (it also matches the bare URL), or only the required one"),
        );
    }
    for (_, _, child) in node.children.values() {
        check_overlaps(child, out);
    }
}
