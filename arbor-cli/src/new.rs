//! `arbor new`: a project that builds, serves and passes its own tests as written.

use std::path::{Path, PathBuf};

use crate::error::CliError;
use crate::{style, Result};

/// The files of the `minimal` template: path in the project, text with `{{name}}`,
/// `{{crate}}`, `{{arbor}}` and `{{arbor_build}}` to fill.
const MINIMAL: &[(&str, &str)] = &[
    (
        "Cargo.toml",
        include_str!("../templates/minimal/Cargo.toml.tmpl"),
    ),
    ("build.rs", include_str!("../templates/minimal/build.rs")),
    (".gitignore", include_str!("../templates/minimal/gitignore")),
    ("README.md", include_str!("../templates/minimal/README.md")),
    (
        "src/lib.rs",
        include_str!("../templates/minimal/src/lib.rs"),
    ),
    (
        "src/main.rs",
        include_str!("../templates/minimal/src/main.rs"),
    ),
    (
        "app/route.rs",
        include_str!("../templates/minimal/app/route.rs"),
    ),
    (
        "app/hello/[name]/route.rs",
        include_str!("../templates/minimal/app/hello/[name]/route.rs"),
    ),
    (
        "tests/app.rs",
        include_str!("../templates/minimal/tests/app.rs"),
    ),
];

/// The files of the `api` template: the comments API of `examples/comments` (its database,
/// its routes), with a proxy and a test of its own.
const API: &[(&str, &str)] = &[
    (
        "Cargo.toml",
        include_str!("../templates/api/Cargo.toml.tmpl"),
    ),
    ("build.rs", include_str!("../templates/minimal/build.rs")),
    (".gitignore", "/target\n/comments.db*\n"),
    ("README.md", include_str!("../templates/api/README.md")),
    ("proxy.rs", include_str!("../templates/api/proxy.rs")),
    (
        "arbor.config.rs",
        include_str!("../../examples/comments/arbor.config.rs"),
    ),
    (
        "src/lib.rs",
        include_str!("../../examples/comments/src/lib.rs"),
    ),
    (
        "src/main.rs",
        include_str!("../../examples/comments/src/main.rs"),
    ),
    (
        "src/db.rs",
        include_str!("../../examples/comments/src/db.rs"),
    ),
    (
        "app/not-found.rs",
        include_str!("../../examples/comments/app/not-found.rs"),
    ),
    (
        "app/_lib/input.rs",
        include_str!("../../examples/comments/app/_lib/input.rs"),
    ),
    (
        "app/comments/route.rs",
        include_str!("../../examples/comments/app/comments/route.rs"),
    ),
    (
        "app/comments/[id]/route.rs",
        include_str!("../../examples/comments/app/comments/[id]/route.rs"),
    ),
    (
        "tests/api.rs",
        include_str!("../templates/api/tests/api.rs"),
    ),
];

/// A starting point of `arbor new`.
#[derive(Debug, Clone, Copy)]
pub enum Template {
    /// A static route and a dynamic one, with a test.
    Minimal,
    /// The comments API on SQLite, with a proxy and a test.
    Api,
}

impl Template {
    fn files(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Template::Minimal => MINIMAL,
            Template::Api => API,
        }
    }
}

/// Where the Arbor sources this command was built from are: their crates are the new
/// project's dependencies unless a published version is asked for.
fn sources() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Writes the project into `dir`.
pub fn run(dir: &Path, template: Template, arbor_version: Option<&str>) -> Result {
    if dir.exists() {
        let empty = std::fs::read_dir(dir)?.next().is_none();
        if !empty {
            return Err(CliError::new(format!(
                "{} is not empty: `arbor new` writes into a new or empty folder",
                dir.display()
            )));
        }
    }
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .map(package_name)
        .filter(|n| n.starts_with(|c: char| c.is_ascii_alphabetic()))
        .ok_or_else(|| {
            CliError::new(format!(
                "{} does not make a package name: the folder's name must start with a letter",
                dir.display()
            ))
        })?;
    let (arbor, arbor_build) = match arbor_version {
        Some(version) => (format!("\"{version}\""), format!("\"{version}\"")),
        None => {
            let root = std::fs::canonicalize(sources())?;
            (
                format!("{{ path = {:?} }}", root.join("arbor")),
                format!("{{ path = {:?} }}", root.join("arbor-build")),
            )
        }
    };
    let crate_name = name.replace('-', "_");
    let files = template.files();
    for (path, text) in files {
        let text = text
            // The example's own crate name, in the files the api template shares with it.
            .replace("comments::", &format!("{crate_name}::"))
            .replace("cargo run -p comments", "cargo run")
            .replace("{{name}}", &name)
            .replace("{{crate}}", &crate_name)
            .replace("{{arbor}}", &arbor)
            .replace("{{arbor_build}}", &arbor_build);
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&target, text)?;
    }
    eprintln!(
        "{} created {} ({} files)\n\n  cd {}\n  cargo run      # http://localhost:3000\n  cargo test\n  arbor dev      # rebuilds on save",
        style::ok("✓"),
        name,
        files.len(),
        dir.display()
    );
    Ok(())
}

/// A package name from a folder name: lower case, `-` for anything else.
fn package_name(folder: &str) -> String {
    let name: String = folder
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    name.trim_matches('-').to_owned()
}
