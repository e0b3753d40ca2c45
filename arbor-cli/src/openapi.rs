//! `arbor openapi` and `arbor client`: the app's OpenAPI document, and a TypeScript client
//! written from it.
//!
//! The schemas come from the app's compiled types, so the document is made by the app's own
//! code: `arbor-build` generates `app::openapi()` and a test beside it that writes the
//! document where `ARBOR_OPENAPI_OUT` says. These commands build and run that one test, which
//! needs no port, no database and none of `main`'s start-up.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::error::CliError;
use crate::project::{cargo, Project};
use crate::{style, Result};

/// The committed document's file, beside `Cargo.toml` (as `arbor::openapi::FILE`).
const FILE: &str = "openapi.json";

/// When the app's generated test did not run: where `arbor::app!()` belongs.
const NO_TEST: &str = "the app's test `openapi_json::is_current` did not run: is `arbor::app!()` in the crate's src/lib.rs (or src/main.rs without a lib)?";

/// `arbor openapi`: writes the document (to `out`, else `openapi.json`), or with `check`
/// fails when the file there differs from the routes.
pub fn run(package: Option<&str>, out: Option<PathBuf>, check: bool) -> Result {
    let project = Project::find(package)?;
    let out = out.unwrap_or_else(|| project.root.join(FILE));
    let out = std::path::absolute(&out)?;
    if check {
        // The app's test compares, and says where the two differ.
        run_test(&project, "ARBOR_OPENAPI_CHECK", &out)?;
        eprintln!("{} {} matches the routes", style::ok("✓"), out.display());
        return Ok(());
    }
    run_test(&project, "ARBOR_OPENAPI_OUT", &out)?;
    eprintln!("{} wrote {}", style::ok("✓"), out.display());
    Ok(())
}

/// `arbor client --ts DIR`: writes `DIR/client.ts`.
pub fn client(package: Option<&str>, dir: &Path) -> Result {
    let project = Project::find(package)?;
    let document = document(&project)?;
    let value: serde_json::Value = serde_json::from_str(&document)
        .map_err(|e| CliError::new(format!("the app wrote a document that is not JSON: {e}")))?;
    let ts = arbor_build::client::typescript(&value).map_err(|e| CliError::new(e.to_string()))?;
    std::fs::create_dir_all(dir)?;
    let file = dir.join("client.ts");
    std::fs::write(&file, ts)
        .map_err(|e| CliError::new(format!("cannot write {}: {e}", file.display())))?;
    eprintln!("{} wrote {}", style::ok("✓"), file.display());
    Ok(())
}

/// The document, as the app's generated test writes it.
fn document(project: &Project) -> Result<String> {
    let out = std::env::temp_dir().join(format!("arbor-openapi-{}.json", std::process::id()));
    let written = run_test(project, "ARBOR_OPENAPI_OUT", &out)
        .and_then(|()| std::fs::read_to_string(&out).map_err(|_| CliError::new(NO_TEST)));
    let _ = std::fs::remove_file(&out);
    written
}

/// Builds and runs the app's generated test `openapi_json::is_current` with `env` set to
/// `file`: `ARBOR_OPENAPI_OUT` writes the document there, `ARBOR_OPENAPI_CHECK` compares.
fn run_test(project: &Project, env: &str, file: &Path) -> Result {
    let model = crate::routes::model(project)?;
    if model.config.openapi.is_none() {
        return Err(CliError::new(format!(
            "{} does not document its API: declare it in arbor.config.rs (beside Cargo.toml):\n\n    \
             pub const OPENAPI: arbor::config::OpenApi = arbor::config::OpenApi::new(\"{}\", \"0.1.0\");",
            project.name, project.name
        )));
    }
    eprintln!(
        "building {}'s tests to read its API (the schemas come from its types)...",
        project.name
    );
    let mut command = Command::new(cargo());
    command.args(["test", "-p", &project.name]);
    if project.has_lib {
        command.arg("--lib");
    } else {
        command.args(["--bin", &project.bin]);
    }
    let output = command
        .args(["--", "openapi_json::is_current"])
        .env(env, file)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .output()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        // The test's own message (a difference, a file it cannot write), else cargo's.
        let reason = stdout
            .lines()
            .skip_while(|l| !l.contains("panicked at"))
            .nth(1)
            .unwrap_or("the app's tests did not build (the compiler's errors are above)");
        return Err(CliError::new(reason.trim().to_owned()));
    }
    if !stdout.contains("1 passed") {
        return Err(CliError::new(NO_TEST));
    }
    Ok(())
}
