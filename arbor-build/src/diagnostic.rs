//! Build errors and warnings, written for the person who has to fix them.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a [`Diagnostic`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The build stops.
    Error,
    /// The build goes on; cargo prints the message.
    Warning,
}

/// One problem found in the `app/` tree: what is wrong, where, which rule says so, and the fix.
///
/// Its `Display` is the text the user sees:
///
/// ```text
/// error: two route files answer the same URL `/dup`
///   --> app/(a)/dup/route.rs
///   --> app/(b)/dup/route.rs
///   = rule: route groups add nothing to the URL, so both folders resolve to `/dup`
///   = help: rename or move one of the two folders
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    severity: Severity,
    message: String,
    files: Vec<PathBuf>,
    rule: Option<String>,
    help: Option<String>,
}

impl Diagnostic {
    /// A new error.
    pub fn error(message: impl Into<String>) -> Self {
        Self::new(Severity::Error, message)
    }

    /// A new warning.
    pub fn warning(message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, message)
    }

    fn new(severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            message: message.into(),
            files: Vec::new(),
            rule: None,
            help: None,
        }
    }

    /// Points at a file (relative to the crate root).
    pub fn file(mut self, path: impl AsRef<Path>) -> Self {
        self.files.push(path.as_ref().to_path_buf());
        self
    }

    /// The rule that was broken.
    pub fn rule(mut self, rule: impl Into<String>) -> Self {
        self.rule = Some(rule.into());
        self
    }

    /// How to fix it.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Error or warning.
    pub fn severity(&self) -> Severity {
        self.severity
    }

    /// The one-line summary.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The files involved.
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    /// Whether this diagnostic stops the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: {}", self.message)?;
        for file in &self.files {
            write!(f, "\n  --> {}", display_path(file))?;
        }
        if let Some(rule) = &self.rule {
            write!(f, "\n  = rule: {rule}")?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {help}")?;
        }
        Ok(())
    }
}

/// Paths are shown with `/` on every platform, so messages and snapshots read the same.
pub(crate) fn display_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
