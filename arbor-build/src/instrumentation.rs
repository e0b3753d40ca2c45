//! `instrumentation.rs` beside `Cargo.toml` (or in `src/`): `register()` and
//! `on_request_error()`, as Next.js's `instrumentation.ts` exports them.

use std::fs;
use std::path::Path;

use syn::{FnArg, Item};

use crate::diagnostic::{display_path, Diagnostic};
use crate::scan::SourceFile;

/// The file's name.
pub const FILE: &str = "instrumentation.rs";

/// The instrumentation file, checked.
#[derive(Debug)]
pub struct Instrumentation {
    /// The file.
    pub file: SourceFile,
    /// `register`, if exported: whether it is `async`.
    pub register: Option<bool>,
    /// `on_request_error`, if exported: whether it is `async`.
    pub on_request_error: Option<bool>,
}

/// Finds and reads the file, beside `Cargo.toml` or in `src/`.
pub fn read(crate_root: &Path, print_rerun: bool) -> Result<Option<Instrumentation>, Diagnostic> {
    let mut found = Vec::new();
    for dir in ["", "src"] {
        let rel = Path::new(dir).join(FILE);
        let abs = crate_root.join(&rel);
        if print_rerun {
            println!("cargo:rerun-if-changed={}", abs.display());
        }
        if abs.is_file() {
            found.push(SourceFile { rel, abs });
        }
    }
    let file = match found.len() {
        0 => return Ok(None),
        1 => found.remove(0),
        _ => {
            return Err(Diagnostic::error("two instrumentation files")
                .file(&found[0].rel)
                .file(&found[1].rel)
                .rule("an app has one `instrumentation.rs`, beside Cargo.toml or in src/")
                .help("keep one and move the other's functions into it"))
        }
    };
    let path = display_path(&file.rel);
    let source = fs::read_to_string(&file.abs)
        .map_err(|e| Diagnostic::error(format!("cannot read {path}: {e}")).file(&file.rel))?;
    let mut register = None;
    let mut on_request_error = None;
    // A file that does not parse is reported by the compiler.
    if let Ok(parsed) = syn::parse_file(&source) {
        for item in &parsed.items {
            let Item::Fn(f) = item else { continue };
            if !matches!(f.vis, syn::Visibility::Public(_)) {
                continue;
            }
            let is_async = f.sig.asyncness.is_some();
            let args = f
                .sig
                .inputs
                .iter()
                .filter(|a| matches!(a, FnArg::Typed(_)))
                .count();
            match f.sig.ident.to_string().as_str() {
                "register" if args == 0 => register = Some(is_async),
                "register" => {
                    return Err(Diagnostic::error(format!(
                        "`register` in {path} takes arguments"
                    ))
                    .file(&file.rel)
                    .rule("`register()` runs once at start-up, before any request: there is nothing to give it")
                    .help("write `pub async fn register() -> Result<(), E>` (or return nothing)"))
                }
                "on_request_error" if args == 3 => on_request_error = Some(is_async),
                "on_request_error" => {
                    let plural = if args == 1 { "" } else { "s" };
                    return Err(Diagnostic::error(format!(
                        "`on_request_error` in {path} takes {args} argument{plural}, not 3"
                    ))
                    .file(&file.rel)
                    .rule("`on_request_error(error, request, context)` is told what failed, for which request, and where, as Next.js's `onRequestError`")
                    .help("write `pub async fn on_request_error(error: RequestError, request: ErrorRequest, context: ErrorContext)` with the types of `arbor::instrumentation`"))
                }
                _ => {}
            }
        }
        if register.is_none() && on_request_error.is_none() {
            return Err(Diagnostic::error(format!(
                "{path} exports neither `register` nor `on_request_error`"
            ))
            .file(&file.rel)
            .rule("the instrumentation file exports `pub async fn register()`, run once at start-up, and/or `pub async fn on_request_error(..)`, told of every failed request")
            .help("add one of them, or delete the file"));
        }
    }
    Ok(Some(Instrumentation {
        file,
        register,
        on_request_error,
    }))
}
