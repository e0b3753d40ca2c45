//! Walking `app/`: which folders exist, what each holds, what each means for the URL.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::segment::Segment;

/// The file that makes a folder an endpoint.
pub const ROUTE_FILE: &str = "route.rs";
/// The file that makes a folder a page (not served yet, but it conflicts with a route).
pub const PAGE_FILE: &str = "page.rs";
/// The file that wraps the pages of its folder and below.
pub const LAYOUT_FILE: &str = "layout.rs";
/// The metadata files a folder may hold: special route handlers (`app/robots.rs` answers
/// `/robots.txt`, `app/blog/opengraph-image.rs` answers `/blog/opengraph-image`).
pub const METADATA_FILES: [&str; 7] = [
    "robots.rs",
    "sitemap.rs",
    "manifest.rs",
    "icon.rs",
    "apple-icon.rs",
    "opengraph-image.rs",
    "twitter-image.rs",
];
/// The root file that answers URLs no route matches.
pub const NOT_FOUND_FILE: &str = "not-found.rs";

/// The scanned `app/` folder.
#[derive(Debug)]
pub struct AppTree {
    /// `app/` itself.
    pub root: Folder,
    /// `app/not-found.rs`, if present.
    pub not_found: Option<SourceFile>,
}

/// A `.rs` file, known by its path relative to the crate root and its absolute path.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Relative to the crate root, as shown in messages (`app/comments/route.rs`).
    pub rel: PathBuf,
    /// Absolute, as written into `#[path]`.
    pub abs: PathBuf,
}

/// One routed folder.
#[derive(Debug)]
pub struct Folder {
    /// The folder name on disk (`""` for `app/`).
    pub name: String,
    /// What the folder means for the URL (`None` for `app/`).
    pub segment: Option<Segment>,
    /// `route.rs`, if present.
    pub route: Option<SourceFile>,
    /// `page.rs`, if present.
    pub page: Option<SourceFile>,
    /// `layout.rs`, if present.
    pub layout: Option<SourceFile>,
    /// Metadata files (`robots.rs`, `sitemap.rs`, `manifest.rs`) in this folder.
    pub metadata: Vec<SourceFile>,
    /// Other files that are not Rust (`icon.png`, `favicon.ico`...), sorted by name: the
    /// static metadata files among them are served.
    pub assets: Vec<SourceFile>,
    /// Routed sub-folders, sorted by name.
    pub children: Vec<Folder>,
    /// Private sub-folders (`_name`), compiled as plain modules, never routed.
    pub private: Vec<ModuleDir>,
}

/// A private folder: its `.rs` files become modules, nothing is routed.
#[derive(Debug)]
pub struct ModuleDir {
    /// The folder name on disk.
    pub name: String,
    /// `mod.rs`, when the folder has one (then it declares its own children).
    pub mod_rs: Option<SourceFile>,
    /// Other `.rs` files, sorted by name.
    pub files: Vec<SourceFile>,
    /// Sub-folders, sorted by name.
    pub children: Vec<ModuleDir>,
}

/// Reads `app_dir` (given relative to `crate_root`). Bad folder names become diagnostics.
pub fn scan(
    crate_root: &Path,
    app_rel: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> io::Result<AppTree> {
    let abs = crate_root.join(app_rel);
    let root = scan_folder(&abs, app_rel, String::new(), None, diagnostics)?;
    let not_found = file_if_exists(&abs, app_rel, NOT_FOUND_FILE);
    Ok(AppTree { root, not_found })
}

fn file_if_exists(abs_dir: &Path, rel_dir: &Path, name: &str) -> Option<SourceFile> {
    let abs = abs_dir.join(name);
    abs.is_file().then(|| SourceFile {
        rel: rel_dir.join(name),
        abs,
    })
}

/// Directory entries without dotfiles, sorted by name so output never depends on the filesystem.
fn entries(dir: &Path) -> io::Result<Vec<(String, PathBuf, bool)>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let is_dir = entry.file_type()?.is_dir();
        out.push((name, entry.path(), is_dir));
    }
    out.sort();
    Ok(out)
}

fn scan_folder(
    abs: &Path,
    rel: &Path,
    name: String,
    segment: Option<Segment>,
    diagnostics: &mut Vec<Diagnostic>,
) -> io::Result<Folder> {
    let mut folder = Folder {
        name,
        segment,
        route: file_if_exists(abs, rel, ROUTE_FILE),
        page: file_if_exists(abs, rel, PAGE_FILE),
        layout: file_if_exists(abs, rel, LAYOUT_FILE),
        metadata: METADATA_FILES
            .iter()
            .filter_map(|name| file_if_exists(abs, rel, name))
            .collect(),
        assets: Vec::new(),
        children: Vec::new(),
        private: Vec::new(),
    };
    for (name, path, is_dir) in entries(abs)? {
        if !is_dir {
            if !name.ends_with(".rs") {
                folder.assets.push(SourceFile {
                    rel: rel.join(&name),
                    abs: path,
                });
            }
            continue;
        }
        let child_rel = rel.join(&name);
        match Segment::parse(&name) {
            Ok(Segment::Private) => folder
                .private
                .push(scan_module_dir(&path, &child_rel, name)?),
            Ok(segment) => {
                folder.children.push(scan_folder(
                    &path,
                    &child_rel,
                    name,
                    Some(segment),
                    diagnostics,
                )?);
            }
            Err(err) => {
                diagnostics.push(
                    Diagnostic::error(format!("invalid folder name `{name}`"))
                        .file(&child_rel)
                        .rule(err.to_string())
                        .help(err.help()),
                );
            }
        }
    }
    Ok(folder)
}

fn scan_module_dir(abs: &Path, rel: &Path, name: String) -> io::Result<ModuleDir> {
    let mut dir = ModuleDir {
        name,
        mod_rs: file_if_exists(abs, rel, "mod.rs"),
        files: Vec::new(),
        children: Vec::new(),
    };
    for (name, path, is_dir) in entries(abs)? {
        if is_dir {
            dir.children
                .push(scan_module_dir(&path, &rel.join(&name), name)?);
        } else if name.ends_with(".rs") && name != "mod.rs" {
            dir.files.push(SourceFile {
                rel: rel.join(&name),
                abs: path,
            });
        }
    }
    Ok(dir)
}
