//! Folder names and what they mean for the URL.

use std::fmt;

/// What one folder under `app/` contributes to the URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// `name`: matches exactly `name` (case-sensitive). `%5F` escapes an underscore.
    Static(String),
    /// `[name]`: one segment, captured as `name: String`.
    Dynamic(String),
    /// `[...name]`: one or more segments, captured as `name: Vec<String>`.
    CatchAll(String),
    /// `[[...name]]`: zero or more segments, captured as `name: Option<Vec<String>>`.
    OptionalCatchAll(String),
    /// `(name)`: a route group; adds nothing to the URL.
    Group(String),
    /// `@name`: a parallel-route slot; adds nothing to the URL.
    Slot(String),
    /// `_name`: a private folder; nothing below it is routed.
    Private,
}

/// Why a folder name is not a valid route segment (`nextjs-semantics.md` §1.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SegmentError {
    /// `[]`, `[...]`, `[[...]]`.
    EmptyName,
    /// `[…slug]` written with the one-character ellipsis.
    ThreeDotCharacter(String),
    /// `[[id]]`: an optional parameter that is not a catch-all.
    OptionalNotCatchAll(String),
    /// `[[[x]]]`, `[x]]`, `[[x]`.
    ExtraBrackets(String),
    /// `[.x]`, `[..x]`.
    ErroneousPeriods(String),
}

impl Segment {
    /// Reads a folder name.
    pub fn parse(name: &str) -> Result<Segment, SegmentError> {
        if name.starts_with('_') {
            return Ok(Segment::Private);
        }
        if let Some(slot) = name.strip_prefix('@') {
            return Ok(Segment::Slot(slot.to_owned()));
        }
        if name.starts_with('(') && name.ends_with(')') && name.len() > 2 {
            return Ok(Segment::Group(name[1..name.len() - 1].to_owned()));
        }
        if !name.starts_with('[') {
            if name.ends_with(']') {
                return Err(SegmentError::ExtraBrackets(name.to_owned()));
            }
            return Ok(Segment::Static(unescape_underscores(name)));
        }
        let (optional, inner) = match name.strip_prefix("[[").and_then(|n| n.strip_suffix("]]")) {
            Some(inner) => (true, inner),
            None => match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
                Some(inner) => (false, inner),
                None => return Err(SegmentError::ExtraBrackets(name.to_owned())),
            },
        };
        if inner.starts_with('[') || inner.ends_with(']') {
            return Err(SegmentError::ExtraBrackets(name.to_owned()));
        }
        if inner.contains('…') {
            return Err(SegmentError::ThreeDotCharacter(inner.replace('…', "")));
        }
        let (catch_all, param) = match inner.strip_prefix("...") {
            Some(param) => (true, param),
            None => (false, inner),
        };
        if param.is_empty() {
            return Err(SegmentError::EmptyName);
        }
        if param.starts_with('.') {
            return Err(SegmentError::ErroneousPeriods(param.to_owned()));
        }
        match (optional, catch_all) {
            (true, true) => Ok(Segment::OptionalCatchAll(param.to_owned())),
            (true, false) => Err(SegmentError::OptionalNotCatchAll(param.to_owned())),
            (false, true) => Ok(Segment::CatchAll(param.to_owned())),
            (false, false) => Ok(Segment::Dynamic(param.to_owned())),
        }
    }

    /// The parameter this segment captures, if any.
    pub fn param(&self) -> Option<&str> {
        match self {
            Segment::Dynamic(p) | Segment::CatchAll(p) | Segment::OptionalCatchAll(p) => Some(p),
            _ => None,
        }
    }

    /// Whether the segment appears in the URL at all.
    pub fn in_url(&self) -> bool {
        !matches!(
            self,
            Segment::Group(_) | Segment::Slot(_) | Segment::Private
        )
    }

    /// The segment as it appears in a route pattern (`/comments/[id]`), if it appears at all.
    pub fn pattern(&self) -> Option<String> {
        match self {
            Segment::Static(s) => Some(s.clone()),
            Segment::Dynamic(p) => Some(format!("[{p}]")),
            Segment::CatchAll(p) => Some(format!("[...{p}]")),
            Segment::OptionalCatchAll(p) => Some(format!("[[...{p}]]")),
            Segment::Group(_) | Segment::Slot(_) | Segment::Private => None,
        }
    }
}

/// The Rust field (or module) name a parameter or folder name becomes: every character that
/// cannot appear in an identifier is `_`, and a leading digit gets a `_` in front.
pub fn rust_name(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// `%5F` in a folder name stands for `_`, so `%5Fescaped` is served at `/_escaped`.
fn unescape_underscores(name: &str) -> String {
    name.replace("%5F", "_").replace("%5f", "_")
}

impl fmt::Display for SegmentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SegmentError::EmptyName => write!(f, "parameter names cannot be empty"),
            SegmentError::ThreeDotCharacter(name) => write!(
                f,
                "the parameter \"{name}\" uses a three-dot character ('…'); did you mean ('...')?"
            ),
            SegmentError::OptionalNotCatchAll(name) => write!(
                f,
                "optional route parameters are only supported as catch-alls (\"[[{name}]]\")"
            ),
            SegmentError::ExtraBrackets(name) => write!(
                f,
                "segment names may not start or end with extra brackets ('{name}')"
            ),
            SegmentError::ErroneousPeriods(name) => write!(
                f,
                "segment names may not start with erroneous periods ('{name}')"
            ),
        }
    }
}

impl SegmentError {
    /// How to fix the folder name.
    pub fn help(&self) -> String {
        match self {
            SegmentError::EmptyName => {
                "name the parameter: `[id]`, `[...slug]` or `[[...slug]]`".to_owned()
            }
            SegmentError::ThreeDotCharacter(name) => {
                format!("rename the folder to `[...{name}]` with three ASCII periods")
            }
            SegmentError::OptionalNotCatchAll(name) => format!(
                "use `[{name}]` for one required segment, or `[[...{name}]]` for zero or more"
            ),
            SegmentError::ExtraBrackets(_) => {
                "use `[name]`, `[...name]` or `[[...name]]` exactly".to_owned()
            }
            SegmentError::ErroneousPeriods(name) => format!(
                "write `[{}]` for one segment or `[...{}]` for a catch-all",
                name.trim_start_matches('.'),
                name.trim_start_matches('.')
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_kinds() {
        assert_eq!(
            Segment::parse("comments"),
            Ok(Segment::Static("comments".into()))
        );
        assert_eq!(Segment::parse("[id]"), Ok(Segment::Dynamic("id".into())));
        assert_eq!(
            Segment::parse("[...slug]"),
            Ok(Segment::CatchAll("slug".into()))
        );
        assert_eq!(
            Segment::parse("[[...path]]"),
            Ok(Segment::OptionalCatchAll("path".into()))
        );
        assert_eq!(
            Segment::parse("(marketing)"),
            Ok(Segment::Group("marketing".into()))
        );
        assert_eq!(Segment::parse("@modal"), Ok(Segment::Slot("modal".into())));
        assert_eq!(Segment::parse("_private"), Ok(Segment::Private));
        assert_eq!(
            Segment::parse("%5Fescaped"),
            Ok(Segment::Static("_escaped".into()))
        );
    }

    #[test]
    fn invalid_names() {
        assert_eq!(Segment::parse("[]"), Err(SegmentError::EmptyName));
        assert_eq!(Segment::parse("[...]"), Err(SegmentError::EmptyName));
        assert_eq!(Segment::parse("[[...]]"), Err(SegmentError::EmptyName));
        assert_eq!(
            Segment::parse("[…slug]"),
            Err(SegmentError::ThreeDotCharacter("slug".into()))
        );
        assert_eq!(
            Segment::parse("[[id]]"),
            Err(SegmentError::OptionalNotCatchAll("id".into()))
        );
        assert_eq!(
            Segment::parse("[[[x]]]"),
            Err(SegmentError::ExtraBrackets("[[[x]]]".into()))
        );
        assert_eq!(
            Segment::parse("[x]]"),
            Err(SegmentError::ExtraBrackets("[x]]".into()))
        );
        assert_eq!(
            Segment::parse("[.x]"),
            Err(SegmentError::ErroneousPeriods(".x".into()))
        );
    }
}
