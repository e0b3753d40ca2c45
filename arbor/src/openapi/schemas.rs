//! A document's `components/schemas`, merged from its two sets: request schemas (how types
//! deserialize) and answer schemas (how they serialize).
//!
//! `schemars` fixes one contract per generator, so each set has a generator of its own, which
//! refers to its definitions under a path of its own ([`INPUTS`], [`OUTPUTS`]). Merging gives
//! every definition its final name and points every `$ref` at `#/components/schemas/`. A name
//! both sets hold for the same schema is kept once; a name whose two schemas differ (a
//! `#[serde(default)]` field, a `skip_serializing_if`) becomes `NameInput` and `NameOutput`.

use std::collections::{BTreeMap, BTreeSet};

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::{Map, Value};

/// Where the request generator puts its definitions, until [`merge`].
pub(super) const INPUTS: &str = "/components/x-arbor-inputs";

/// Where the answer generator puts its definitions, until [`merge`].
pub(super) const OUTPUTS: &str = "/components/x-arbor-outputs";

/// Where the merged definitions are.
const MERGED: &str = "/components/schemas";

/// The bytes a schema name keeps as they are in a `$ref` (a JSON Pointer in a URI fragment),
/// as `schemars` writes them: `~` and `/` are escaped apart, everything else is
/// percent-encoded.
const REF_NAME: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b'-')
    .remove(b'.')
    .remove(b':')
    .remove(b';')
    .remove(b'=')
    .remove(b'?')
    .remove(b'@')
    .remove(b'_')
    .remove(b'~');

/// The final name of each definition of each set.
#[derive(Debug, Default)]
pub(super) struct Names {
    inputs: BTreeMap<String, String>,
    outputs: BTreeMap<String, String>,
}

impl Names {
    /// The `$ref` that replaces `reference`, if it points into one of the two sets.
    fn rewrite(&self, reference: &str) -> Option<String> {
        let pointer = reference.strip_prefix('#')?;
        let (names, encoded) = match pointer.strip_prefix(INPUTS) {
            Some(rest) => (&self.inputs, rest.strip_prefix('/')?),
            None => (
                &self.outputs,
                pointer.strip_prefix(OUTPUTS)?.strip_prefix('/')?,
            ),
        };
        let name = decode(encoded);
        let name = names.get(&name).unwrap_or(&name);
        Some(format!("#{MERGED}/{}", encode(name)))
    }
}

/// The merged definitions, and the names that [`rename`] gives the references to them.
pub(super) fn merge(
    inputs: Map<String, Value>,
    outputs: Map<String, Value>,
) -> (Map<String, Value>, Names) {
    // A name is split when its two schemas differ once their references are final, which
    // depends on which other names are split: grow the split set until it holds still.
    let mut split = BTreeSet::new();
    loop {
        let names = names(&inputs, &outputs, &split);
        let differ: Vec<&String> = inputs
            .iter()
            .filter(|(name, _)| !split.contains(*name))
            .filter_map(|(name, input)| {
                let output = outputs.get(name)?;
                let same = renamed(input, &names) == renamed(output, &names);
                (!same).then_some(name)
            })
            .collect();
        if differ.is_empty() {
            break;
        }
        split.extend(differ.into_iter().cloned());
    }
    let names = names(&inputs, &outputs, &split);
    let mut merged = BTreeMap::new();
    for (set, schemas) in [(&names.inputs, &inputs), (&names.outputs, &outputs)] {
        for (name, schema) in schemas {
            merged.insert(set[name].clone(), renamed(schema, &names));
        }
    }
    (merged.into_iter().collect(), names)
}

/// Points every `$ref` under `value` at its merged definition.
pub(super) fn rename(value: &mut Value, names: &Names) {
    match value {
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                match item {
                    Value::String(reference) if key == "$ref" => {
                        if let Some(new) = names.rewrite(reference) {
                            *reference = new;
                        }
                    }
                    _ => rename(item, names),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| rename(item, names)),
        _ => {}
    }
}

/// Drops the definitions that neither `paths` nor another kept definition refers to (the
/// error schema, which takes its name before any operation is described).
pub(super) fn drop_unused(schemas: &mut Map<String, Value>, paths: &Value) {
    let mut used = BTreeSet::new();
    let mut pending = vec![paths];
    while let Some(value) = pending.pop() {
        match value {
            Value::Object(map) => {
                for (key, item) in map {
                    let target = item
                        .as_str()
                        .filter(|_| key == "$ref")
                        .and_then(|r| r.strip_prefix('#')?.strip_prefix(MERGED)?.strip_prefix('/'))
                        .map(decode);
                    match target {
                        Some(name) => {
                            if let Some(schema) = schemas.get(&name) {
                                if used.insert(name) {
                                    pending.push(schema);
                                }
                            }
                        }
                        None => pending.push(item),
                    }
                }
            }
            Value::Array(items) => pending.extend(items),
            _ => {}
        }
    }
    schemas.retain(|name, _| used.contains(name));
}

/// A definition's name, from its escaped form in a `$ref`.
pub(super) fn decode(encoded: &str) -> String {
    percent_decode_str(encoded)
        .decode_utf8_lossy()
        .replace("~1", "/")
        .replace("~0", "~")
}

fn encode(name: &str) -> String {
    let escaped = name.replace('~', "~0").replace('/', "~1");
    utf8_percent_encode(&escaped, REF_NAME).to_string()
}

fn renamed(schema: &Value, names: &Names) -> Value {
    let mut schema = schema.clone();
    rename(&mut schema, names);
    schema
}

/// Every definition's final name, when the names in `split` take a suffix per set.
fn names(
    inputs: &Map<String, Value>,
    outputs: &Map<String, Value>,
    split: &BTreeSet<String>,
) -> Names {
    let mut taken: BTreeSet<String> = inputs
        .keys()
        .chain(outputs.keys())
        .filter(|name| !split.contains(*name))
        .cloned()
        .collect();
    let mut unique = |name: &str, suffix: &str| {
        let base = format!("{name}{suffix}");
        let name = (1..)
            .map(|n| match n {
                1 => base.clone(),
                n => format!("{base}{n}"),
            })
            .find(|name| !taken.contains(name))
            .unwrap_or(base);
        taken.insert(name.clone());
        name
    };
    let mut names = Names::default();
    for (set, schemas, suffix) in [
        (&mut names.inputs, inputs, "Input"),
        (&mut names.outputs, outputs, "Output"),
    ] {
        for name in schemas.keys() {
            let last = if split.contains(name) {
                unique(name, suffix)
            } else {
                name.clone()
            };
            set.insert(name.clone(), last);
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn input(name: &str) -> Value {
        json!({ "$ref": format!("#{INPUTS}/{name}") })
    }

    fn output(name: &str) -> Value {
        json!({ "$ref": format!("#{OUTPUTS}/{name}") })
    }

    fn map(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn a_schema_both_sets_share_is_kept_once() {
        let comment = json!({ "type": "object", "properties": { "a": output("A") } });
        let (merged, names) = merge(
            map(
                json!({ "Comment": { "type": "object", "properties": { "a": input("A") } },
                        "A": { "type": "string" } }),
            ),
            map(json!({ "Comment": comment, "A": { "type": "string" } })),
        );
        assert_eq!(merged.keys().collect::<Vec<_>>(), ["A", "Comment"]);
        assert_eq!(
            merged["Comment"]["properties"]["a"]["$ref"],
            "#/components/schemas/A"
        );
        let mut answer = output("Comment");
        rename(&mut answer, &names);
        assert_eq!(answer["$ref"], "#/components/schemas/Comment");
    }

    #[test]
    fn a_schema_whose_forms_differ_splits_and_so_do_those_that_hold_it() {
        let (merged, names) = merge(
            map(json!({ "Tag": { "type": "object" },
                        "Post": { "properties": { "tag": input("Tag") } },
                        "TagInput": { "const": 1 } })),
            map(json!({ "Tag": { "type": "object", "required": ["name"] },
                        "Post": { "properties": { "tag": output("Tag") } } })),
        );
        let keys: Vec<&String> = merged.keys().collect();
        assert_eq!(
            keys,
            [
                "PostInput",
                "PostOutput",
                "TagInput",
                "TagInput2",
                "TagOutput"
            ]
        );
        assert_eq!(
            merged["PostOutput"]["properties"]["tag"]["$ref"],
            "#/components/schemas/TagOutput"
        );
        assert_eq!(
            merged["PostInput"]["properties"]["tag"]["$ref"],
            "#/components/schemas/TagInput2"
        );
        let mut body = input("Post");
        rename(&mut body, &names);
        assert_eq!(body["$ref"], "#/components/schemas/PostInput");
    }

    #[test]
    fn definitions_nothing_reaches_are_dropped() {
        let refer = |name: &str| json!({ "$ref": format!("#{MERGED}/{name}") });
        let mut schemas = map(json!({
            "A": { "items": refer("B") },
            "B": { "type": "string" },
            "C": { "items": refer("A") },
        }));
        drop_unused(&mut schemas, &json!({ "/x": { "get": [refer("A")] } }));
        assert_eq!(schemas.keys().collect::<Vec<_>>(), ["A", "B"]);
    }

    #[test]
    fn names_are_escaped_in_references_as_schemars_escapes_them() {
        let name = "Page<a/b~c d>";
        let encoded = encode(name);
        assert_eq!(encoded, "Page%3Ca~1b~0c%20d%3E");
        assert_eq!(decode(&encoded), name);
        let (merged, names) = merge(map(json!({ name: {} })), Map::new());
        assert!(merged.contains_key(name));
        let mut body = input(&encoded);
        rename(&mut body, &names);
        assert_eq!(body["$ref"], format!("#/components/schemas/{encoded}"));
    }
}
