//! No import cycles in `arbor/src`: each module's `crate::…` and `super::…` paths are read
//! off its source, and the graph of modules they make must have no cycle. A path to an item
//! the crate root re-exports (`crate::Error`) counts as a path to the module it comes from.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// `a::b` for `src/a/b.rs` and `src/a/b/mod.rs`; `` for `lib.rs`.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts.join("::")
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The source without comments and string literals, so a doc comment naming `crate::x` is
/// not an import.
fn code(source: &str) -> String {
    source
        .lines()
        .map(|line| {
            let line = line.split("//").next().unwrap_or("");
            let mut out = String::new();
            let mut in_string = false;
            for c in line.chars() {
                if c == '"' {
                    in_string = !in_string;
                } else if !in_string {
                    out.push(c);
                }
            }
            out
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths after `crate::` and `super::` in a module's code, as segment lists, with the
/// segments after `{` of a `use` group each taken too.
fn paths(code: &str, module: &str, is_mod_file: bool) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let text = code;
    let _ = is_mod_file;
    let parent = {
        let mut parent: Vec<String> = module
            .split("::")
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        parent.pop();
        parent
    };
    for (anchor, base) in [("crate::", Vec::<String>::new()), ("super::", parent)] {
        let mut from = 0;
        while let Some(at) = text[from..].find(anchor) {
            let start = from + at;
            from = start + anchor.len();
            // Not part of a longer identifier (`$crate::`, `my_crate::`).
            if start > 0 {
                let before = text[..start].chars().last().unwrap();
                if before.is_alphanumeric() || before == '_' || before == '$' {
                    continue;
                }
            }
            let rest = &text[from..];
            let mut segments = base.clone();
            for segment in rest.split("::") {
                let name: String = segment
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if name.is_empty() {
                    // A `{` group: each item names a child of what came before.
                    if let Some(group) = segment.strip_prefix('{') {
                        let group = group.split('}').next().unwrap_or("");
                        for item in group.split(',') {
                            let item = item.trim().split("::").next().unwrap_or("").trim();
                            if !item.is_empty() && item != "self" {
                                let mut path = segments.clone();
                                path.push(item.to_owned());
                                out.push(path);
                            }
                        }
                    }
                    break;
                }
                segments.push(name.clone());
                if segment.len() != name.len() {
                    break;
                }
            }
            out.push(segments);
        }
    }
    out
}

#[test]
fn modules_import_no_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    let modules: BTreeSet<String> = all.iter().map(|f| module_of(&src, f)).collect();

    // What the crate root re-exports, by name: `pub use error::{Error, Result};`.
    let lib = code(&fs::read_to_string(src.join("lib.rs")).unwrap());
    let mut reexports: BTreeMap<String, String> = BTreeMap::new();
    for line in lib.split(';') {
        let line = line.trim();
        let Some(rest) = line.strip_prefix("pub use ") else {
            continue;
        };
        let (module, names) = match rest.split_once("::{") {
            Some((module, names)) => (module, names.trim_end_matches('}').to_owned()),
            None => match rest.rsplit_once("::") {
                Some((module, name)) => (module, name.to_owned()),
                None => continue,
            },
        };
        if modules.contains(module) {
            for name in names.split(',') {
                reexports.insert(name.trim().to_owned(), module.to_owned());
            }
        }
    }

    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &all {
        let module = module_of(&src, file);
        if module.is_empty() {
            continue; // The root is the facade: it declares and re-exports.
        }
        let is_mod_file = file.file_name().is_some_and(|n| n == "mod.rs");
        let source = code(&fs::read_to_string(file).unwrap());
        let mut found = paths(&source, &module, is_mod_file);
        // `use child::…` and `pub use child::…` name a child module by a relative path.
        for line in source.lines() {
            let line = line.trim_start();
            let rest = ["use ", "pub use ", "pub(crate) use "]
                .iter()
                .find_map(|start| line.strip_prefix(start));
            let Some(rest) = rest else { continue };
            let first: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let child = format!("{module}::{first}");
            if modules.contains(&child) {
                found.push(child.split("::").map(String::from).collect());
            }
        }
        for path in found {
            // The longest module the path names; a root re-export names its own module.
            let mut target = String::new();
            for i in (1..=path.len()).rev() {
                let candidate = path[..i].join("::");
                if modules.contains(&candidate) {
                    target = candidate;
                    break;
                }
            }
            if target.is_empty() {
                match path.first().and_then(|name| reexports.get(name)) {
                    Some(module) => target = module.clone(),
                    None => continue,
                }
            }
            let own_ancestor = module.starts_with(&format!("{target}::"));
            if target != module && !(own_ancestor && path.len() == target.split("::").count()) {
                edges.entry(module.clone()).or_default().insert(target);
            }
        }
    }

    // Depth-first search for a cycle.
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match state.get(node) {
            Some(1) => {
                let at = stack.iter().position(|n| n == node).unwrap();
                let mut cycle = stack[at..].to_vec();
                cycle.push(node.to_owned());
                return Some(cycle);
            }
            Some(2) => return None,
            _ => {}
        }
        state.insert(node.to_owned(), 1);
        stack.push(node.to_owned());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, edges, state, stack) {
                return Some(cycle);
            }
        }
        stack.pop();
        state.insert(node.to_owned(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for module in &modules {
        let mut stack = Vec::new();
        if let Some(cycle) = visit(module, &edges, &mut state, &mut stack) {
            panic!("import cycle: {}", cycle.join(" -> "));
        }
    }
    // The check sees the imports it should.
    assert!(edges["flow"].contains("flow::middleware"), "{edges:?}");
    assert!(edges["request"].contains("error"), "{edges:?}");
}
