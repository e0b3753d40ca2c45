//! The build-time half of [Arbor](https://docs.rs/arbor): reads the `app/` folder of a crate,
//! checks it, and generates its router.
//!
//! Call it from `build.rs`:
//!
//! ```text
//! fn main() {
//!     arbor_build::generate();
//! }
//! ```
//!
//! then declare the result in `src/main.rs` with `arbor::app!()`.
//!
//! Two files are written: the router, into `OUT_DIR`, and the module tree, `src/app.rs`, which
//! declares every folder of `app/` as a module and each `route.rs` beside its `Params`. The
//! module tree changes only when folders are added, renamed or removed; `build.rs` rewrites it
//! then, and it is meant to be committed: editors follow it into the route files.
//!
//! [`generate`] walks `app/` (or `src/app/`): every `route.rs` is an endpoint at the URL its
//! folders spell, `[id]`, `[...slug]` and `[[...slug]]` folders are parameters, `(group)`
//! folders add nothing to the URL and `_private` folders are never routed. Every rule a tree
//! can break (two routes at one URL, a route and a page in one folder, slug names that
//! disagree) stops the build with a message naming the files, the rule and the fix.
//! Nothing is discovered at run time.

#![warn(missing_docs)]

pub mod client;
mod codegen;
pub mod config;
mod diagnostic;
pub mod instrumentation;
pub mod matcher;
mod middleware;
pub mod model;
mod openapi;
mod parse;
mod scan;
mod segment;
mod validate;

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

pub use diagnostic::{Diagnostic, Severity};
pub use parse::Method;

use model::{AppModel, Endpoint};

/// The router, written inside `OUT_DIR` and included by the module tree.
pub const GENERATED_FILE: &str = "arbor_app.rs";

/// The module tree, written beside the crate's `main.rs` / `lib.rs` and declared by
/// `arbor::app!()`. Commit it: it is what rust-analyzer follows into the route files.
pub const TREE_FILE: &str = "src/app.rs";

/// Generates the router for this crate's `app/` folder. Call it from `build.rs`.
///
/// Warnings are printed by cargo; an error prints its diagnostics and stops the build.
pub fn generate() {
    let result = Builder::from_cargo_env().and_then(|b| b.generate());
    match result {
        Ok(report) => {
            for warning in report.warnings() {
                for line in warning.to_string().lines() {
                    println!("cargo:warning={line}");
                }
            }
        }
        Err(err) => {
            eprintln!("{err}");
            std::process::exit(1);
        }
    }
}

/// Configures where the app lives and where the router is written.
///
/// [`generate`] is `Builder::from_cargo_env()?.generate()`; use the builder directly to read
/// another folder or to inspect diagnostics without writing anything.
#[derive(Debug, Clone)]
pub struct Builder {
    crate_root: PathBuf,
    app_dir: Option<PathBuf>,
    out_dir: Option<PathBuf>,
    print_rerun: bool,
    embed_public: bool,
}

/// What a successful generation found.
#[derive(Debug)]
pub struct Report {
    diagnostics: Vec<Diagnostic>,
    routes: Vec<String>,
    tree: String,
    router: String,
}

impl Report {
    /// Warnings about the tree (lower-case method names, files exporting no method...).
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| !d.is_error())
    }

    /// The URL pattern of every route, in folder order.
    pub fn routes(&self) -> &[String] {
        &self.routes
    }

    /// The module tree, as written to `src/app.rs`.
    pub fn tree(&self) -> &str {
        &self.tree
    }

    /// The router, as written to `OUT_DIR/arbor_app.rs`.
    pub fn router(&self) -> &str {
        &self.router
    }
}

/// Why the router could not be generated.
#[derive(Debug)]
pub enum Error {
    /// The tree breaks one or more rules.
    Invalid(Vec<Diagnostic>),
    /// No `app/` folder.
    MissingApp(PathBuf),
    /// Both `app/` and `src/app/` exist.
    TwoApps,
    /// A variable cargo sets for build scripts is missing: not running under cargo.
    NotInBuildScript(&'static str),
    /// Reading the tree or writing the output failed.
    Io(PathBuf, io::Error),
}

impl Error {
    /// The rule diagnostics, when the tree is invalid.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Invalid(d) => d,
            _ => &[],
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Invalid(diagnostics) => {
                let errors = diagnostics.iter().filter(|d| d.is_error()).count();
                for d in diagnostics.iter().filter(|d| d.is_error()) {
                    writeln!(f, "{d}\n")?;
                }
                let s = if errors == 1 { "" } else { "s" };
                write!(f, "error: arbor found {errors} problem{s} in app/; the router was not generated")
            }
            Error::MissingApp(root) => write!(
                f,
                "error: no app/ folder in {}\n  = rule: arbor-build reads the routes from `app/` (or `src/app/`) beside Cargo.toml\n  = help: create `app/route.rs` exporting `pub async fn GET`",
                root.display()
            ),
            Error::TwoApps => write!(
                f,
                "error: both app/ and src/app/ exist\n  = rule: an app has one route tree\n  = help: move everything into one of the two folders"
            ),
            Error::NotInBuildScript(var) => write!(
                f,
                "error: {var} is not set\n  = rule: `arbor_build::generate()` runs inside a build script, where cargo sets it\n  = help: call it from `build.rs`, or use `Builder::new` with explicit paths"
            ),
            Error::Io(path, err) => write!(f, "error: {}: {err}", path.display()),
        }
    }
}

impl std::error::Error for Error {}

impl Builder {
    /// Reads the crate at `crate_root` (the folder holding `Cargo.toml`).
    pub fn new(crate_root: impl Into<PathBuf>) -> Self {
        Builder {
            crate_root: crate_root.into(),
            app_dir: None,
            out_dir: None,
            print_rerun: false,
            embed_public: false,
        }
    }

    /// The builder cargo describes to a build script: `CARGO_MANIFEST_DIR` and `OUT_DIR`.
    pub fn from_cargo_env() -> Result<Self, Error> {
        let root = std::env::var_os("CARGO_MANIFEST_DIR")
            .ok_or(Error::NotInBuildScript("CARGO_MANIFEST_DIR"))?;
        let out = std::env::var_os("OUT_DIR").ok_or(Error::NotInBuildScript("OUT_DIR"))?;
        let mut builder = Builder::new(root).out_dir(out);
        builder.print_rerun = true;
        Ok(builder)
    }

    /// Reads routes from this folder (relative to the crate root) instead of `app/`.
    pub fn app_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.app_dir = Some(dir.into());
        self
    }

    /// Builds the files of `public/` into the binary, so that the app deploys as one file
    /// (default: served from the folder, found beside `Cargo.toml` at run time).
    ///
    /// ```no_run
    /// // in build.rs, instead of `arbor_build::generate()`:
    /// let built = arbor_build::Builder::from_cargo_env().and_then(|b| b.embed_public(true).generate());
    /// if let Err(err) = built {
    ///     eprintln!("{err}");
    ///     std::process::exit(1);
    /// }
    /// ```
    pub fn embed_public(mut self, embed: bool) -> Self {
        self.embed_public = embed;
        self
    }

    /// Writes the router into this folder (cargo's `OUT_DIR` by default).
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    fn app_rel(&self) -> Result<PathBuf, Error> {
        if let Some(dir) = &self.app_dir {
            return Ok(dir.clone());
        }
        let top = Path::new("app");
        let src = Path::new("src").join("app");
        match (
            self.crate_root.join(top).is_dir(),
            self.crate_root.join(&src).is_dir(),
        ) {
            (true, true) => Err(Error::TwoApps),
            (true, false) => Ok(top.to_path_buf()),
            (false, true) => Ok(src),
            (false, false) => Err(Error::MissingApp(self.crate_root.clone())),
        }
    }

    /// Reads the app into its model and checks every rule, without generating anything:
    /// what tools (a route table, an API description) start from.
    pub fn model(&self) -> Result<AppModel, Error> {
        self.checked().map(|(model, _)| model)
    }

    /// The model and its warnings, or every broken rule.
    fn checked(&self) -> Result<(AppModel, Vec<Diagnostic>), Error> {
        let app_rel = self.app_rel()?;
        if self.print_rerun {
            println!(
                "cargo:rerun-if-changed={}",
                self.crate_root.join(&app_rel).display()
            );
        }
        let (model, mut diagnostics) = model::read(&self.crate_root, &app_rel, self.print_rerun)?;
        diagnostics.extend(validate::check(&model));
        if self.print_rerun {
            for dir in ["", "src"] {
                for name in ["middleware.rs", "proxy.rs"] {
                    let path = self.crate_root.join(dir).join(name);
                    if !path.exists() {
                        // Watching a missing file reruns the build script when it appears.
                        println!("cargo:rerun-if-changed={}", path.display());
                    }
                }
            }
        }
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Err(Error::Invalid(diagnostics));
        }
        Ok((model, diagnostics))
    }

    /// Checks the tree and renders the router without writing it.
    pub fn render(&self) -> Result<Report, Error> {
        let (model, diagnostics) = self.checked()?;
        let app_from_src = match model.app_dir.strip_prefix("src") {
            Ok(inside) => diagnostic::display_path(inside),
            Err(_) => format!("../{}", diagnostic::display_path(&model.app_dir)),
        };
        let output = codegen::render(&model, app_from_src, self.embed_public);
        let routes = model.routes().map(Endpoint::pattern).collect();
        Ok(Report {
            diagnostics,
            routes,
            tree: output.tree,
            router: output.router,
        })
    }

    /// Checks the tree, writes the router to `OUT_DIR/arbor_app.rs` and brings `src/app.rs`
    /// up to date.
    pub fn generate(&self) -> Result<Report, Error> {
        let report = self.render()?;
        let out_dir = self
            .out_dir
            .clone()
            .ok_or(Error::NotInBuildScript("OUT_DIR"))?;
        write_if_changed(&out_dir.join(GENERATED_FILE), report.router())?;
        let secret = out_dir.join(DRAFT_SECRET_FILE);
        if !secret.is_file() {
            // One per build directory: kept across rebuilds, so draft cookies stay valid
            // while the app is edited, and new for a fresh build, as Next.js's build makes one.
            write_if_changed(&secret, &draft_secret())?;
        }
        let tree_file = self.crate_root.join(TREE_FILE);
        if self.print_rerun {
            println!("cargo:rerun-if-changed={}", tree_file.display());
        }
        write_if_changed(&tree_file, report.tree())?;
        Ok(report)
    }
}

/// The draft-mode secret of this build, beside the router in `OUT_DIR`.
pub const DRAFT_SECRET_FILE: &str = "arbor_draft_secret";

/// A new draft-mode secret: 128 bits from the standard library's random hasher keys.
fn draft_secret() -> String {
    use std::hash::BuildHasher;
    // `RandomState` keys come from randomness the operating system gave this thread.
    let state = std::collections::hash_map::RandomState::new();
    format!("{:016x}{:016x}", state.hash_one(1u8), state.hash_one(2u8))
}

/// Writes only on change, so an unchanged tree recompiles nothing and a committed file stays
/// untouched.
fn write_if_changed(path: &Path, contents: &str) -> Result<(), Error> {
    if fs::read_to_string(path).ok().as_deref() == Some(contents) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| Error::Io(parent.to_path_buf(), e))?;
    }
    fs::write(path, contents).map_err(|e| Error::Io(path.to_path_buf(), e))
}
