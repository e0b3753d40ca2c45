//! The one typed model of an app, read once from its files: the folder tree, every route and
//! page with what its file exports, the not-found file and the middleware. Every rule is
//! checked on it ([`crate::Builder::render`] refuses an app that breaks one), code is printed
//! from it, and tools read it: [`crate::Builder::model`] gives it to them.
//!
//! ```no_run
//! let model = arbor_build::Builder::new(".").model()?;
//! for route in model.routes() {
//!     let methods = route.exports.as_ref().map(|e| e.methods.len()).unwrap_or(0);
//!     println!("{}  {}  {methods} methods", route.pattern(), route.file.rel.display());
//! }
//! # Ok::<(), arbor_build::Error>(())
//! ```

use std::fs;
use std::path::{Path, PathBuf};

use crate::diagnostic::{display_path, Diagnostic};
use crate::{middleware, parse, scan, Error};

pub use crate::middleware::{Condition, Matcher, Middleware};
pub use crate::parse::{Method, RouteExports, SegmentConfig};
pub use crate::scan::{AppTree, Folder, ModuleDir, SourceFile};
pub use crate::segment::Segment;

/// The folder of files served at `/`, beside `Cargo.toml`.
pub const PUBLIC_DIR: &str = "public";

/// An app, as its files define it.
#[derive(Debug)]
pub struct AppModel {
    /// The `app/` folder, relative to the crate root (`app` or `src/app`).
    pub app_dir: PathBuf,
    /// The folders of `app/`, routed and private, as the module tree declares them.
    pub tree: AppTree,
    /// Every route and page, in folder order.
    pub endpoints: Vec<Endpoint>,
    /// `app/not-found.rs`, if present.
    pub not_found: Option<NotFound>,
    /// The middleware file (`middleware.rs` or `proxy.rs`), if present and well-formed.
    pub middleware: Option<Middleware>,
    /// `arbor.config.rs`: redirects, rewrites and headers (empty without the file).
    pub config: crate::config::AppConfig,
    /// `instrumentation.rs`, if present.
    pub instrumentation: Option<crate::instrumentation::Instrumentation>,
    /// The `public/` folder beside `Cargo.toml`, if present: its files are served at `/`.
    pub public: Option<PathBuf>,
    /// The files of `public/` (dotfiles left out), by URL path.
    pub public_files: Vec<PublicFile>,
    /// The metadata files (`robots.rs`, `sitemap.rs`, `manifest.rs`), wherever they are.
    pub metadata: Vec<MetadataRoute>,
    /// The static metadata files (`favicon.ico`, `icon.png`, `opengraph-image.png`,
    /// `robots.txt`...), served as they are at their own names.
    pub static_files: Vec<StaticFile>,
    /// The layouts, outermost (`app/layout.rs`) first.
    pub layouts: Vec<Layout>,
    /// The `[dependencies]` of the crate's `Cargo.toml` (name, then its declaration as
    /// written); `None` without a `Cargo.toml`.
    pub dependencies: Option<Vec<(String, String)>>,
}

/// The `[dependencies]` of a `Cargo.toml`, read line by line: each name with the text that
/// declares it (`{ workspace = true, features = ["image"] }`). Enough to tell whether a
/// dependency is there and what it says; Cargo itself reads the file for real.
fn dependencies(manifest: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut section = String::new();
    for line in manifest.lines() {
        let line = line.trim();
        if let Some(header) = line.strip_prefix('[') {
            section = header.trim_end_matches(']').trim().to_owned();
            if let Some(name) = section.strip_prefix("dependencies.") {
                out.push((name.trim().to_owned(), String::new()));
            }
            continue;
        }
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        if let Some(name) = section.strip_prefix("dependencies.") {
            if let Some(entry) = out.iter_mut().rev().find(|(n, _)| n == name.trim()) {
                entry.1.push_str(line);
                entry.1.push(' ');
            }
            continue;
        }
        if section != "dependencies" {
            continue;
        }
        if let Some((key, value)) = line.split_once('=') {
            let key = key.trim();
            let (name, rest) = key.split_once('.').unwrap_or((key, ""));
            out.push((name.trim().to_owned(), format!("{rest} = {}", value.trim())));
        }
    }
    out
}

/// A static metadata file: served as it is, at the URL of its folder and its name.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// The file.
    pub file: SourceFile,
    /// The URL pattern it answers (`/blog/opengraph-image.png`).
    pub pattern: String,
    /// Its `Content-Type`.
    pub content_type: &'static str,
    /// What is wrong with it, if anything: (the rule, the fix).
    pub problem: Option<(String, String)>,
}

/// A kind of static metadata file Next.js serves.
struct StaticKind {
    /// The name before the extension (`opengraph-image`).
    base: &'static str,
    extensions: &'static [&'static str],
    /// Whether it belongs at the root of `app/` only.
    root_only: bool,
    /// Whether numbered variants (`icon1.png`) are served too.
    numbered: bool,
    /// The largest size it may have.
    max_bytes: Option<u64>,
}

const IMAGES: &[&str] = &["jpg", "jpeg", "png", "gif"];

const STATIC_FILES: [StaticKind; 8] = [
    StaticKind {
        base: "favicon",
        extensions: &["ico"],
        root_only: true,
        numbered: false,
        max_bytes: None,
    },
    StaticKind {
        base: "icon",
        extensions: &["ico", "jpg", "jpeg", "png", "svg", "webp", "avif"],
        root_only: false,
        numbered: true,
        max_bytes: None,
    },
    StaticKind {
        base: "apple-icon",
        extensions: &["jpg", "jpeg", "png", "webp"],
        root_only: false,
        numbered: true,
        max_bytes: None,
    },
    StaticKind {
        base: "opengraph-image",
        extensions: IMAGES,
        root_only: false,
        numbered: true,
        max_bytes: Some(8 * 1024 * 1024),
    },
    StaticKind {
        base: "twitter-image",
        extensions: IMAGES,
        root_only: false,
        numbered: true,
        max_bytes: Some(5 * 1024 * 1024),
    },
    StaticKind {
        base: "robots",
        extensions: &["txt"],
        root_only: true,
        numbered: false,
        max_bytes: None,
    },
    StaticKind {
        base: "sitemap",
        extensions: &["xml"],
        root_only: false,
        numbered: false,
        max_bytes: None,
    },
    StaticKind {
        base: "manifest",
        extensions: &["json", "webmanifest"],
        root_only: true,
        numbered: false,
        max_bytes: None,
    },
];

fn content_type(extension: &str, base: &str) -> &'static str {
    match extension {
        "ico" => "image/x-icon",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "gif" => "image/gif",
        "txt" => "text/plain",
        "xml" => "application/xml",
        "json" | "webmanifest" if base == "manifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

/// The static metadata files of a folder at `pattern` (`""` for the root).
fn static_files(folder: &Folder, pattern: &str, out: &mut Vec<StaticFile>) {
    for asset in &folder.assets {
        let Some(name) = asset.rel.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some((stem, extension)) = name.rsplit_once('.') else {
            continue;
        };
        // `icon1.png`: numbered variants, as Next.js has them.
        let base = stem.trim_end_matches(|c: char| c.is_ascii_digit());
        let Some(known) = STATIC_FILES.iter().find(|k| k.base == base) else {
            continue;
        };
        if base != stem && !known.numbered {
            continue;
        }
        let extension = extension.to_ascii_lowercase();
        let mut problem = None;
        if !known.extensions.contains(&extension.as_str()) {
            problem = Some((
                format!(
                    "`{base}` files are {}",
                    known
                        .extensions
                        .iter()
                        .map(|e| format!(".{e}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                "convert it to one of them, or rename it if it is not meant as one".to_owned(),
            ));
        } else if known.root_only && !pattern.is_empty() {
            problem = Some((
                format!("`{base}.{extension}` is served from the root of app/ only"),
                format!("move it to app/{name}"),
            ));
        } else if let Some(max) = known.max_bytes {
            let size = std::fs::metadata(&asset.abs).map(|m| m.len()).unwrap_or(0);
            if size > max {
                problem = Some((
                    format!(
                        "a `{base}` is at most {} MB ({size} bytes here)",
                        max / (1024 * 1024)
                    ),
                    "make the image smaller".to_owned(),
                ));
            }
        }
        out.push(StaticFile {
            file: asset.clone(),
            pattern: format!("{pattern}/{name}"),
            content_type: content_type(&extension, base),
            problem,
        });
    }
    for child in &folder.children {
        let child_pattern = match child.segment.as_ref().and_then(Segment::pattern) {
            Some(part) => format!("{pattern}/{part}"),
            None => pattern.to_owned(),
        };
        static_files(child, &child_pattern, out);
    }
}

/// A file of `public/`.
#[derive(Debug, Clone)]
pub struct PublicFile {
    /// The URL path that serves it (`/images/logo.svg`).
    pub url: String,
    /// Its path relative to the crate root (`public/images/logo.svg`).
    pub rel: PathBuf,
    /// When it was last modified, in seconds since 1970.
    pub modified: u64,
}

fn list_public(
    crate_root: &Path,
    rel: &Path,
    url: &str,
    out: &mut Vec<PublicFile>,
) -> std::io::Result<()> {
    let mut entries: Vec<_> = fs::read_dir(crate_root.join(rel))?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        let child_rel = rel.join(&name);
        let child_url = format!("{url}/{name}");
        let meta = entry.metadata()?;
        if meta.is_dir() {
            list_public(crate_root, &child_rel, &child_url, out)?;
        } else if meta.is_file() {
            let modified = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_secs());
            out.push(PublicFile {
                url: child_url,
                rel: child_rel,
                modified,
            });
        }
    }
    Ok(())
}

/// A special route handler: a metadata file and the URL it answers.
#[derive(Debug, Clone)]
pub struct MetadataRoute {
    /// Which file.
    pub kind: MetadataKind,
    /// The file.
    pub file: SourceFile,
    /// Whether it sits at the root of `app/`.
    pub at_root: bool,
    /// Its folder's segments from `app/` down, groups included.
    pub segments: Vec<Segment>,
    /// What it exports; `None` when it does not parse.
    pub exports: Option<RouteExports>,
}

impl MetadataRoute {
    /// The URL pattern of its folder (`/posts/[slug]`, `""` at the root).
    pub fn folder_pattern(&self) -> String {
        let parts: Vec<String> = self.segments.iter().filter_map(Segment::pattern).collect();
        if parts.is_empty() {
            String::new()
        } else {
            format!("/{}", parts.join("/"))
        }
    }

    /// Whether it exports `generate_sitemaps` / `generate_image_metadata`: then it answers one
    /// URL per id it generates (`/products/sitemap/0.xml`, `/gallery/icon/small`).
    pub fn generates_ids(&self) -> bool {
        self.kind.generator().is_some_and(|name| {
            self.exports
                .as_ref()
                .is_some_and(|e| e.functions.iter().any(|f| f == name))
        })
    }

    /// The URL pattern it answers (`/blog/opengraph-image`; `/products/sitemap/[__metadata_id__]`
    /// when it generates ids, the id of a sitemap followed by `.xml`).
    pub fn pattern(&self) -> String {
        let folder = self.folder_pattern();
        let file = self.kind.file_url();
        if self.generates_ids() {
            format!("{}[{METADATA_ID}]", self.id_prefix())
        } else {
            format!("{folder}/{file}")
        }
    }

    /// What comes before a generated id in its URL (`/products/sitemap/`).
    pub fn id_prefix(&self) -> String {
        let stem = self.kind.file_url().trim_end_matches(".xml");
        format!("{}/{stem}/", self.folder_pattern())
    }

    /// What follows a generated id in its URL (`.xml` for a sitemap).
    pub fn id_suffix(&self) -> &'static str {
        if self.kind == MetadataKind::Sitemap {
            ".xml"
        } else {
            ""
        }
    }

    /// Whether its URL has a dynamic segment (its folder's, or the generated id).
    pub fn is_dynamic(&self) -> bool {
        self.segments.iter().any(|s| s.param().is_some())
    }

    /// Whether it is answered from the cache, rendered once: unless it has dynamic segments,
    /// reads the request, or sets `DYNAMIC` / `REVALIDATE`.
    pub fn is_static(&self) -> bool {
        let Some(exports) = &self.exports else {
            return true;
        };
        let reads = exports
            .signature(self.kind.name())
            .is_some_and(|s| s.reads_request());
        !self.is_dynamic() && !reads && !exports.config.dynamic && !exports.config.revalidate
    }
}

/// The name of the parameter that carries a generated id (`generate_sitemaps`).
pub const METADATA_ID: &str = "__metadata_id__";

/// The kinds of metadata file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetadataKind {
    /// `robots.rs`: `/robots.txt`.
    Robots,
    /// `sitemap.rs`: `sitemap.xml` at its folder.
    Sitemap,
    /// `manifest.rs`: `/manifest.webmanifest`.
    Manifest,
    /// `icon.rs`: `icon` at its folder, an image.
    Icon,
    /// `apple-icon.rs`: `apple-icon` at its folder.
    AppleIcon,
    /// `opengraph-image.rs`: `opengraph-image` at its folder.
    OpenGraphImage,
    /// `twitter-image.rs`: `twitter-image` at its folder.
    TwitterImage,
}

impl MetadataKind {
    /// Every kind.
    pub const ALL: [MetadataKind; 7] = [
        MetadataKind::Robots,
        MetadataKind::Sitemap,
        MetadataKind::Manifest,
        MetadataKind::Icon,
        MetadataKind::AppleIcon,
        MetadataKind::OpenGraphImage,
        MetadataKind::TwitterImage,
    ];

    /// The kind of a file name (`robots.rs`).
    fn of(name: &str) -> Option<MetadataKind> {
        MetadataKind::ALL
            .into_iter()
            .find(|k| k.file_name() == name)
    }

    /// Its file's name (`opengraph-image.rs`).
    pub fn file_name(self) -> &'static str {
        match self {
            MetadataKind::Robots => "robots.rs",
            MetadataKind::Sitemap => "sitemap.rs",
            MetadataKind::Manifest => "manifest.rs",
            MetadataKind::Icon => "icon.rs",
            MetadataKind::AppleIcon => "apple-icon.rs",
            MetadataKind::OpenGraphImage => "opengraph-image.rs",
            MetadataKind::TwitterImage => "twitter-image.rs",
        }
    }

    /// The last part of the URL it answers (`robots.txt`, `opengraph-image`).
    pub fn file_url(self) -> &'static str {
        match self {
            MetadataKind::Robots => "robots.txt",
            MetadataKind::Sitemap => "sitemap.xml",
            MetadataKind::Manifest => "manifest.webmanifest",
            MetadataKind::Icon => "icon",
            MetadataKind::AppleIcon => "apple-icon",
            MetadataKind::OpenGraphImage => "opengraph-image",
            MetadataKind::TwitterImage => "twitter-image",
        }
    }

    /// The URL it answers at the root.
    pub fn url(self) -> String {
        format!("/{}", self.file_url())
    }

    /// The module, and the function it exports (`opengraph_image`).
    pub fn name(self) -> &'static str {
        match self {
            MetadataKind::Robots => "robots",
            MetadataKind::Sitemap => "sitemap",
            MetadataKind::Manifest => "manifest",
            MetadataKind::Icon => "icon",
            MetadataKind::AppleIcon => "apple_icon",
            MetadataKind::OpenGraphImage => "opengraph_image",
            MetadataKind::TwitterImage => "twitter_image",
        }
    }

    /// Whether it is an image, rendered by `arbor::image`.
    pub fn is_image(self) -> bool {
        matches!(
            self,
            MetadataKind::Icon
                | MetadataKind::AppleIcon
                | MetadataKind::OpenGraphImage
                | MetadataKind::TwitterImage
        )
    }

    /// Whether a site has one, at the root of `app/`.
    pub fn root_only(self) -> bool {
        matches!(self, MetadataKind::Robots | MetadataKind::Manifest)
    }

    /// The function that lists the ids it is served under, if it can have any.
    pub fn generator(self) -> Option<&'static str> {
        match self {
            MetadataKind::Sitemap => Some("generate_sitemaps"),
            MetadataKind::Robots | MetadataKind::Manifest => None,
            _ => Some("generate_image_metadata"),
        }
    }
}

fn metadata_routes(folder: &Folder, segments: &mut Vec<Segment>, out: &mut Vec<MetadataRoute>) {
    if let Some(segment) = &folder.segment {
        segments.push(segment.clone());
    }
    for file in &folder.metadata {
        let name = file
            .rel
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if let Some(kind) = MetadataKind::of(name) {
            out.push(MetadataRoute {
                kind,
                file: file.clone(),
                at_root: segments.is_empty(),
                segments: segments.clone(),
                exports: None,
            });
        }
    }
    for child in &folder.children {
        metadata_routes(child, segments, out);
    }
    if folder.segment.is_some() {
        segments.pop();
    }
}

/// A `layout.rs`: it wraps the pages of its folder and of every folder below.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The file.
    pub file: SourceFile,
    /// What it exports; `None` when it does not parse.
    pub exports: Option<RouteExports>,
}

impl Layout {
    /// Whether it wraps what is in `folder` (a path relative to the crate root).
    pub fn wraps(&self, folder: &Path) -> bool {
        self.file
            .rel
            .parent()
            .is_some_and(|own| folder.starts_with(own))
    }
}

fn layouts(folder: &Folder, out: &mut Vec<Layout>) {
    if let Some(file) = &folder.layout {
        out.push(Layout {
            file: file.clone(),
            exports: None,
        });
    }
    for child in &folder.children {
        layouts(child, out);
    }
}

impl AppModel {
    /// The route files (`route.rs`), in folder order.
    pub fn routes(&self) -> impl Iterator<Item = &Endpoint> {
        self.endpoints.iter().filter(|e| e.kind == Kind::Route)
    }

    /// The pages (`page.rs`), in folder order.
    pub fn pages(&self) -> impl Iterator<Item = &Endpoint> {
        self.endpoints.iter().filter(|e| e.kind == Kind::Page)
    }

    /// The layouts that wrap the page, or the file, at `rel`: outermost first.
    pub fn layouts_of<'a>(&'a self, rel: &'a Path) -> impl Iterator<Item = &'a Layout> + 'a {
        let folder = rel.parent().unwrap_or(Path::new(""));
        self.layouts.iter().filter(move |l| l.wraps(folder))
    }

    /// The root layout, `app/layout.rs`.
    pub fn root_layout(&self) -> Option<&Layout> {
        self.layouts
            .iter()
            .find(|l| l.file.rel.parent() == Some(self.app_dir.as_path()))
    }

    /// What the route file at `rel` (relative to the crate root) exports.
    pub fn exports_of(&self, rel: &Path) -> Option<&RouteExports> {
        self.endpoints
            .iter()
            .find(|e| e.file.rel == rel)
            .and_then(|e| e.exports.as_ref())
    }
}

/// `app/not-found.rs` and what it exports.
#[derive(Debug, Clone)]
pub struct NotFound {
    /// The file.
    pub file: SourceFile,
    /// What it exports; `None` when it does not parse.
    pub exports: Option<RouteExports>,
}

/// Whether an endpoint file is a route handler or a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `route.rs`
    Route,
    /// `page.rs`
    Page,
}

/// A file that answers a URL: where it lives, the URL it answers, and what it exports.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// Route or page.
    pub kind: Kind,
    /// The file.
    pub file: SourceFile,
    /// Every folder's segment from `app/` down, groups included.
    pub segments: Vec<Segment>,
    /// What the file exports; `None` for a file that does not parse (the compiler then
    /// reports it).
    pub exports: Option<RouteExports>,
}

impl Endpoint {
    /// The URL pattern, Next.js style: `/comments/[id]`, `/` for the root.
    pub fn pattern(&self) -> String {
        let parts: Vec<String> = self.segments.iter().filter_map(Segment::pattern).collect();
        format!("/{}", parts.join("/"))
    }

    /// The segment path as written on disk, groups included (`/(a)/dup`), as Next.js names it.
    pub(crate) fn disk_path(&self) -> String {
        let parent = self.file.rel.parent().map(display_path).unwrap_or_default();
        let inner = parent.split_once('/').map(|(_, rest)| rest).unwrap_or("");
        if inner.is_empty() {
            "/".to_owned()
        } else {
            format!("/{inner}")
        }
    }

    pub(crate) fn url_segments(&self) -> impl Iterator<Item = &Segment> {
        self.segments.iter().filter(|s| s.in_url())
    }
}

/// Every route and page in the tree, in folder order, their exports not yet read.
fn endpoints(tree: &AppTree) -> Vec<Endpoint> {
    let mut out = Vec::new();
    collect(&tree.root, &mut Vec::new(), &mut out);
    out
}

fn collect(folder: &Folder, segments: &mut Vec<Segment>, out: &mut Vec<Endpoint>) {
    if let Some(segment) = &folder.segment {
        segments.push(segment.clone());
    }
    for (kind, file) in [(Kind::Route, &folder.route), (Kind::Page, &folder.page)] {
        if let Some(file) = file {
            out.push(Endpoint {
                kind,
                file: file.clone(),
                segments: segments.clone(),
                exports: None,
            });
        }
    }
    for child in &folder.children {
        collect(child, segments, out);
    }
    if folder.segment.is_some() {
        segments.pop();
    }
}

/// Reads the app: scans `app/`, parses every route file, the not-found file and the
/// middleware once. What cannot be read into the model (a bad folder name, a malformed
/// middleware `CONFIG`) is returned as diagnostics beside it; the rules are checked later.
pub(crate) fn read(
    crate_root: &Path,
    app_rel: &Path,
    print_rerun: bool,
) -> Result<(AppModel, Vec<Diagnostic>), Error> {
    let app_abs = crate_root.join(app_rel);
    let mut diagnostics = Vec::new();
    let tree = scan::scan(crate_root, app_rel, &mut diagnostics)
        .map_err(|e| Error::Io(app_abs.clone(), e))?;
    let mut endpoints = endpoints(&tree);
    for endpoint in &mut endpoints {
        endpoint.exports = parse_file(&endpoint.file)?;
    }
    let mut all_layouts = Vec::new();
    layouts(&tree.root, &mut all_layouts);
    for layout in &mut all_layouts {
        layout.exports = parse_file(&layout.file)?;
    }
    let not_found = match &tree.not_found {
        Some(file) => Some(NotFound {
            file: file.clone(),
            exports: parse_file(file)?,
        }),
        None => None,
    };
    let middleware = match middleware::find(crate_root) {
        Ok(None) => None,
        Ok(Some((file, name))) => {
            if print_rerun {
                println!("cargo:rerun-if-changed={}", file.abs.display());
            }
            match middleware::analyze(file, name) {
                Ok(m) => Some(m),
                Err(errors) => {
                    diagnostics.extend(errors);
                    None
                }
            }
        }
        Err(d) => {
            diagnostics.push(d);
            None
        }
    };
    let instrumentation =
        crate::instrumentation::read(crate_root, print_rerun).unwrap_or_else(|d| {
            diagnostics.push(d);
            None
        });
    let config = crate::config::read(crate_root, print_rerun).unwrap_or_else(|errors| {
        diagnostics.extend(errors);
        crate::config::AppConfig::default()
    });
    if print_rerun {
        // Watched even when missing: creating the folder regenerates the router.
        println!(
            "cargo:rerun-if-changed={}",
            crate_root.join(PUBLIC_DIR).display()
        );
    }
    let public = crate_root
        .join(PUBLIC_DIR)
        .is_dir()
        .then(|| PathBuf::from(PUBLIC_DIR));
    let mut static_metadata = Vec::new();
    static_files(&tree.root, "", &mut static_metadata);
    let mut metadata = Vec::new();
    metadata_routes(&tree.root, &mut Vec::new(), &mut metadata);
    for meta in &mut metadata {
        meta.exports = parse_file(&meta.file)?;
    }
    let mut public_files = Vec::new();
    if public.is_some() {
        list_public(crate_root, Path::new(PUBLIC_DIR), "", &mut public_files)
            .map_err(|e| Error::Io(crate_root.join(PUBLIC_DIR), e))?;
    }
    let model = AppModel {
        public_files,
        metadata,
        static_files: static_metadata,
        layouts: all_layouts,
        dependencies: fs::read_to_string(crate_root.join("Cargo.toml"))
            .ok()
            .map(|text| dependencies(&text)),
        app_dir: app_rel.to_path_buf(),
        tree,
        endpoints,
        not_found,
        middleware,
        config,
        instrumentation,
        public,
    };
    Ok((model, diagnostics))
}

fn parse_file(file: &SourceFile) -> Result<Option<RouteExports>, Error> {
    let source = fs::read_to_string(&file.abs).map_err(|e| Error::Io(file.abs.clone(), e))?;
    Ok(parse::exports(&source))
}
