//! The route tree: URL patterns in, the route for a path out, with Next.js's precedence.
//!
//! At every level the route ending there is tried first, then the static child of that name,
//! then the `[param]` child, then a `[...catch-all]`, then an `[[...optional]]` catch-all; a
//! branch that fails further down falls back to the next candidate (`/shop/new/x` reaches
//! `shop/[...all]` when there is no `shop/new/x`). Static paths are also looked up whole first.

use rustc_hash::FxHashMap as HashMap;
use smallvec::SmallVec;

// The maps hold the app's own segments and are never written after start-up, so a client
// cannot fill them with colliding keys: the fast hash is safe here.

/// One captured, still-encoded parameter value, borrowed from the request path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Raw<'p> {
    /// `[param]`: one segment.
    One(&'p str),
    /// `[...all]` or `[[...all]]`: the rest of the path, `/`-separated.
    Many(&'p str),
    /// `[[...all]]` with nothing left.
    Absent,
}

/// The captures of one match, inline for the common case of a few parameters.
pub(crate) type Captures<'p> = SmallVec<[Raw<'p>; 4]>;

/// A parsed pattern segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PatternSegment {
    Static(String),
    Param,
    CatchAll,
    OptionalCatchAll,
}

/// Why a pattern cannot be added. `arbor-build` rejects these trees at build time; the check
/// here guards routes registered by hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PatternError {
    /// Another route already answers this pattern.
    Duplicate,
    /// A catch-all that is not the last segment.
    CatchAllNotLast,
}

/// Splits `/comments/[id]` into segments.
pub(crate) fn parse_pattern(pattern: &str) -> Result<Vec<PatternSegment>, PatternError> {
    let parts: Vec<&str> = pattern.split('/').filter(|s| !s.is_empty()).collect();
    let mut out = Vec::with_capacity(parts.len());
    for (i, part) in parts.iter().enumerate() {
        let segment = if part.starts_with("[[...") && part.ends_with("]]") {
            PatternSegment::OptionalCatchAll
        } else if part.starts_with("[...") && part.ends_with(']') {
            PatternSegment::CatchAll
        } else if part.starts_with('[') && part.ends_with(']') {
            PatternSegment::Param
        } else {
            PatternSegment::Static((*part).to_owned())
        };
        let is_catch_all = matches!(
            segment,
            PatternSegment::CatchAll | PatternSegment::OptionalCatchAll
        );
        if is_catch_all && i + 1 != parts.len() {
            return Err(PatternError::CatchAllNotLast);
        }
        out.push(segment);
    }
    Ok(out)
}

#[derive(Debug, Default)]
struct Node {
    route: Option<usize>,
    statics: HashMap<Box<str>, Node>,
    param: Option<Box<Node>>,
    catch_all: Option<usize>,
    optional: Option<usize>,
}

/// All routes of an app, ready for matching.
#[derive(Debug, Default)]
pub(crate) struct Tree {
    root: Node,
    /// Fully static patterns, looked up before walking the tree.
    exact: HashMap<Box<str>, usize>,
}

impl Tree {
    /// Adds the route numbered `id` at `pattern`.
    pub(crate) fn insert(&mut self, pattern: &str, id: usize) -> Result<(), PatternError> {
        let segments = parse_pattern(pattern)?;
        let mut node = &mut self.root;
        let mut slot = None;
        for segment in &segments {
            match segment {
                PatternSegment::Static(name) => {
                    node = node.statics.entry(name.as_str().into()).or_default();
                }
                PatternSegment::Param => node = node.param.get_or_insert_with(Box::default),
                PatternSegment::CatchAll => slot = Some(&mut node.catch_all),
                PatternSegment::OptionalCatchAll => slot = Some(&mut node.optional),
            }
        }
        let slot = slot.unwrap_or(&mut node.route);
        if slot.is_some() {
            return Err(PatternError::Duplicate);
        }
        *slot = Some(id);
        if segments
            .iter()
            .all(|s| matches!(s, PatternSegment::Static(_)))
        {
            let canonical = format!(
                "/{}",
                segments
                    .iter()
                    .filter_map(|s| match s {
                        PatternSegment::Static(name) => Some(name.as_str()),
                        _ => None,
                    })
                    .collect::<Vec<_>>()
                    .join("/")
            );
            self.exact.insert(canonical.into(), id);
        }
        Ok(())
    }

    /// Finds the route for a clean path (`/a/b`, no trailing slash) and its raw captures.
    pub(crate) fn find<'p>(&self, path: &'p str, captures: &mut Captures<'p>) -> Option<usize> {
        if let Some(id) = self.exact.get(path) {
            return Some(*id);
        }
        let rest = path.strip_prefix('/').filter(|r| !r.is_empty());
        self.root.find(rest, captures)
    }
}

impl Node {
    fn find<'p>(&self, rest: Option<&'p str>, captures: &mut Captures<'p>) -> Option<usize> {
        let Some(rest) = rest else {
            if self.route.is_some() {
                return self.route;
            }
            if self.optional.is_some() {
                captures.push(Raw::Absent);
            }
            return self.optional;
        };
        let (segment, tail) = match rest.split_once('/') {
            Some((segment, tail)) => (segment, Some(tail)),
            None => (rest, None),
        };
        if let Some(child) = self.statics.get(segment) {
            if let Some(id) = child.find(tail, captures) {
                return Some(id);
            }
        }
        if let Some(child) = &self.param {
            let before = captures.len();
            captures.push(Raw::One(segment));
            if let Some(id) = child.find(tail, captures) {
                return Some(id);
            }
            captures.truncate(before);
        }
        let catch_all = self.catch_all.or(self.optional);
        if catch_all.is_some() {
            captures.push(Raw::Many(rest));
        }
        catch_all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(patterns: &[&str]) -> Tree {
        let mut tree = Tree::default();
        for (id, p) in patterns.iter().enumerate() {
            tree.insert(p, id).expect("valid pattern");
        }
        tree
    }

    fn find<'p>(tree: &Tree, path: &'p str) -> Option<(usize, Vec<Raw<'p>>)> {
        let mut captures = Captures::new();
        tree.find(path, &mut captures)
            .map(|id| (id, captures.into_vec()))
    }

    #[test]
    fn static_beats_param_beats_catch_all() {
        let t = tree(&["/shop/new", "/shop/[item]", "/shop/[...all]"]);
        assert_eq!(find(&t, "/shop/new"), Some((0, vec![])));
        assert_eq!(find(&t, "/shop/old"), Some((1, vec![Raw::One("old")])));
        assert_eq!(find(&t, "/shop/a/b"), Some((2, vec![Raw::Many("a/b")])));
        assert_eq!(find(&t, "/shop/new/x"), Some((2, vec![Raw::Many("new/x")])));
        assert_eq!(find(&t, "/shop"), None);
    }

    #[test]
    fn backtracks_out_of_a_param_branch() {
        let t = tree(&["/a/[b]/c", "/a/[...rest]"]);
        assert_eq!(find(&t, "/a/1/c"), Some((0, vec![Raw::One("1")])));
        assert_eq!(find(&t, "/a/1/d"), Some((1, vec![Raw::Many("1/d")])));
    }

    #[test]
    fn catch_alls() {
        let t = tree(&["/docs/[...slug]", "/files/[[...path]]", "/[[...all]]"]);
        assert_eq!(find(&t, "/docs"), Some((2, vec![Raw::Many("docs")])));
        assert_eq!(
            find(&t, "/docs/a%2Fb/c"),
            Some((0, vec![Raw::Many("a%2Fb/c")]))
        );
        assert_eq!(find(&t, "/files"), Some((1, vec![Raw::Absent])));
        assert_eq!(find(&t, "/files/x/y"), Some((1, vec![Raw::Many("x/y")])));
        assert_eq!(find(&t, "/"), Some((2, vec![Raw::Absent])));
    }

    #[test]
    fn root_and_nested_params() {
        let t = tree(&["/", "/comments", "/comments/[id]"]);
        assert_eq!(find(&t, "/"), Some((0, vec![])));
        assert_eq!(find(&t, "/comments"), Some((1, vec![])));
        assert_eq!(find(&t, "/comments/7"), Some((2, vec![Raw::One("7")])));
        assert_eq!(find(&t, "/comments/7/x"), None);
        assert_eq!(find(&t, "/COMMENTS"), None);
    }

    #[test]
    fn rejects_duplicates_and_misplaced_catch_alls() {
        let mut t = tree(&["/a/[id]"]);
        assert_eq!(t.insert("/a/[other]", 1), Err(PatternError::Duplicate));
        assert_eq!(
            t.insert("/b/[...x]/c", 2),
            Err(PatternError::CatchAllNotLast)
        );
    }
}
