//! Which package a command works on, found with `cargo metadata`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::CliError;
use crate::Result;

/// A package of the workspace: where it is, what its binary is called, where cargo builds.
#[derive(Debug, Clone)]
pub struct Project {
    /// The package's name.
    pub name: String,
    /// The folder holding its `Cargo.toml`.
    pub root: PathBuf,
    /// The name of its binary.
    pub bin: String,
    /// Whether it has a library target (`src/lib.rs`).
    pub has_lib: bool,
    /// Cargo's target folder.
    pub target_dir: PathBuf,
}

impl Project {
    /// The package named `package`, else the one whose folder is the current one.
    pub fn find(package: Option<&str>) -> Result<Project> {
        let output = Command::new(cargo())
            .args(["metadata", "--format-version", "1", "--no-deps"])
            .output()
            .map_err(|e| CliError::new(format!("cannot run cargo: {e}")))?;
        if !output.status.success() {
            return Err(CliError::new(format!(
                "`cargo metadata` failed (is there a Cargo.toml here?):\n{}",
                String::from_utf8_lossy(&output.stderr).trim()
            )));
        }
        let metadata: serde_json::Value = serde_json::from_slice(&output.stdout)
            .map_err(|e| CliError::new(format!("cannot read `cargo metadata`: {e}")))?;
        let here = std::env::current_dir()?;
        let packages = metadata["packages"].as_array().cloned().unwrap_or_default();
        let chosen = packages.iter().find(|p| match package {
            Some(name) => p["name"].as_str() == Some(name),
            None => {
                let manifest = Path::new(p["manifest_path"].as_str().unwrap_or_default());
                manifest.parent() == Some(here.as_path())
            }
        });
        let Some(chosen) = chosen else {
            return Err(CliError::new(match package {
                Some(name) => format!("no package named `{name}` in this workspace"),
                None => "no package in the current folder: run this in an app's folder, or name one with -p".to_owned(),
            }));
        };
        let name = chosen["name"].as_str().unwrap_or_default().to_owned();
        let root = Path::new(chosen["manifest_path"].as_str().unwrap_or_default())
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let bin = chosen["targets"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|t| {
                t["kind"]
                    .as_array()
                    .is_some_and(|k| k.iter().any(|k| k == "bin"))
            })
            .and_then(|t| t["name"].as_str())
            .unwrap_or(&name)
            .to_owned();
        let has_lib = chosen["targets"].as_array().into_iter().flatten().any(|t| {
            t["kind"]
                .as_array()
                .is_some_and(|k| k.iter().any(|k| k == "lib"))
        });
        let target_dir = PathBuf::from(metadata["target_directory"].as_str().unwrap_or("target"));
        Ok(Project {
            name,
            root,
            bin,
            has_lib,
            target_dir,
        })
    }
}

/// The cargo that runs this command (`CARGO` under cargo), else `cargo`.
pub fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}
