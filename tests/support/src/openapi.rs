//! Checks of an app's OpenAPI document: against the OpenAPI 3.1 schema, with a real validator
//! (Python's `openapi-spec-validator`), and each answer against the schema the document
//! declares for it (`jsonschema`).

use std::process::Command;

use serde_json::{json, Value};

use crate::Reply;

/// Validates `document` with `python3 -m openapi_spec_validator`.
///
/// # Panics
///
/// When the document is not valid OpenAPI 3.1, or the validator is not installed (saying how
/// to install it: `.ci/run` does).
pub fn validate_document(document: &Value, name: &str) {
    let file = std::env::temp_dir().join(format!("arbor-{name}-{}.json", std::process::id()));
    std::fs::write(&file, document.to_string()).expect("write the document");
    let output = Command::new("python3")
        .args(["-m", "openapi_spec_validator"])
        .arg(&file)
        .output();
    let _ = std::fs::remove_file(&file);
    let output = output.expect("python3 runs (the OpenAPI check needs Python 3)");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        !said.contains("No module named openapi_spec_validator"),
        "this test validates the OpenAPI document with Python's openapi-spec-validator: `pip install openapi-spec-validator` (.ci/run installs it)"
    );
    assert!(
        output.status.success(),
        "the OpenAPI document of {name} is not valid OpenAPI 3.1:\n{said}\n{document:#}"
    );
}

/// Checks that `reply`, the answer to `method path_template`, is one the document declares:
/// its status (or `default`), and a JSON body that validates against the declared schema.
///
/// # Panics
///
/// When it is not, naming the operation, the status and what does not validate.
pub fn check_answer(document: &Value, method: &str, path_template: &str, reply: &Reply) {
    let operation = &document["paths"][path_template][method.to_ascii_lowercase()];
    assert!(
        operation.is_object(),
        "the document has no {method} {path_template}"
    );
    let status = reply.status.as_u16().to_string();
    let declared = match operation["responses"].get(&status) {
        Some(answer) => answer,
        None => operation["responses"].get("default").unwrap_or_else(|| {
            panic!(
                "{method} {path_template} answered {status}, which the document does not declare"
            )
        }),
    };
    let Some(content) = declared["content"].as_object() else {
        assert!(
            reply.body.is_empty(),
            "{method} {path_template} {status}: the document declares no body"
        );
        return;
    };
    let content_type = reply
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if reply.body.is_empty() || content.contains_key("*/*") {
        return;
    }
    let media = content_type.split(';').next().unwrap_or_default().trim();
    let schema = &content
        .get(media)
        .unwrap_or_else(|| panic!("{method} {path_template} {status}: {media} is not declared"))
        ["schema"];
    if media != "application/json" {
        return;
    }
    let body: Value = serde_json::from_slice(&reply.body).expect("a JSON body");
    let root = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "allOf": [schema],
        "components": document["components"],
    });
    let validator = jsonschema::validator_for(&root).expect("the declared schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&body)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{method} {path_template} {status}: {body} does not match {schema}: {errors:?}"
    );
}
