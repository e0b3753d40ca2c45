//! The matcher compiler against path-to-regexp 6's documented behaviour, on generated
//! sources and paths: `:name` takes one segment, `:name?` zero or one, `:name*` zero or
//! more, `:name+` one or more, text matches itself, and a trailing `/` is optional.

use arbor_build::matcher::{compile, literal_prefix, shortcut, Shortcut};
use fancy_regex::Regex;
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Part {
    Text(String),
    Param(&'static str),
}

fn part() -> impl Strategy<Value = Part> {
    prop_oneof![
        "[a-z]{1,4}".prop_map(Part::Text),
        prop::sample::select(vec!["", "?", "*", "+"]).prop_map(Part::Param),
    ]
}

fn source(parts: &[Part]) -> String {
    let mut source = String::new();
    for (i, part) in parts.iter().enumerate() {
        match part {
            Part::Text(text) => source.push_str(&format!("/{text}")),
            Part::Param(modifier) => source.push_str(&format!("/:p{i}{modifier}")),
        }
    }
    source
}

/// Whether `segments` match `parts` as path-to-regexp documents it (a search, not a regex).
fn model(parts: &[Part], segments: &[String]) -> bool {
    let Some((first, rest)) = parts.split_first() else {
        return segments.is_empty();
    };
    match first {
        Part::Text(text) => segments
            .split_first()
            .is_some_and(|(s, tail)| s == text && model(rest, tail)),
        Part::Param(modifier) => {
            let (least, most) = match *modifier {
                "" => (1, 1),
                "?" => (0, 1),
                "*" => (0, segments.len()),
                _ => (1, segments.len()),
            };
            (least..=most.min(segments.len())).any(|n| model(rest, &segments[n..]))
        }
    }
}

fn segments() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(
        prop_oneof!["[a-z]{1,4}", "[a-z0-9_-]{1,6}", Just("x".to_owned())],
        0..6,
    )
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 4096,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn the_compiled_regex_matches_what_path_to_regexp_matches(
        parts in prop::collection::vec(part(), 1..5),
        segments in segments(),
        trailing_slash in any::<bool>(),
    ) {
        let source = source(&parts);
        let regex = Regex::new(&compile(&source).unwrap()).unwrap();
        let mut path = format!("/{}", segments.join("/"));
        if trailing_slash && path != "/" {
            path.push('/');
        }
        let expected = model(&parts, &segments);
        prop_assert_eq!(regex.is_match(&path).unwrap(), expected, "{} on {}", source, path);

        // What the server checks before the regex never turns away a path the regex takes.
        let prefix = literal_prefix(&source).unwrap();
        if expected {
            prop_assert!(path.starts_with(&prefix), "{} on {}: prefix {}", source, path, prefix);
        }
        // And what it takes without the regex, the regex takes too.
        let taken = match shortcut(&source).unwrap() {
            Shortcut::None => false,
            Shortcut::Exact(exact) => path == exact,
            Shortcut::Subtree(root) => path
                .strip_prefix(root.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/')),
        };
        if taken {
            prop_assert!(expected, "{} on {}: the shortcut took it", source, path);
        }
    }

    #[test]
    fn any_source_compiles_or_is_refused_without_panicking(source in "/[a-z:()*+?{}\\\\/.]{0,24}") {
        // A source the compiler accepts gives a regex the server's engine runs.
        if let Ok(regex) = compile(&source) {
            prop_assert!(Regex::new(&regex).is_ok(), "{} gave {}", source, regex);
        }
        let _ = literal_prefix(&source);
        let _ = shortcut(&source);
    }
}
