//! The API documents itself: an OpenAPI 3.1 document built from the route tree.
//!
//! Declare it in `arbor.config.rs`, and `arbor-build` generates `app::openapi()`:
//!
//! ```
//! // arbor.config.rs
//! use arbor::config::OpenApi;
//!
//! pub const OPENAPI: OpenApi = OpenApi::new("Comments API", "1.0.0")
//!     .serve("/openapi.json"); // also answer GET /openapi.json with it (optional)
//! ```
//!
//! Everything comes from what the route files already say. The folders give the paths
//! (`[id]` is `{id}`, a catch-all a `{slug}` of one or more segments), the exported functions
//! the operations (the automatic `HEAD` and `OPTIONS` are left out), each function's doc
//! comment its summary (first line) and description, the middleware's matcher which
//! operations it runs for (`x-arbor-proxy`). Each argument describes itself ([`Input`]):
//! `Query<T>` the query parameters, `Json<T>` and `Form<T>` the body and their 400 and 415,
//! `Request` a body of any shape. The return type describes the answers ([`Output`]):
//!
//! ```
//! use arbor::prelude::*;
//!
//! #[derive(serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
//! pub struct Comment {
//!     id: i64,
//!     text: String,
//! }
//!
//! /// Creates a comment.
//! pub async fn POST(Json(comment): Json<Comment>) -> Result<Created<Comment>> {
//!     Ok(Created::new(comment)) // 201 Comment, and any other status an `Error`
//! }
//! ```
//!
//! Schemas come from [`schemars`]: derive `JsonSchema` beside `Deserialize` and `Serialize`
//! (serde's attributes are followed). A request schema says how its type deserializes, an
//! answer's how it serializes; a type whose two forms differ (a `#[serde(default)]` field,
//! a `skip_serializing_if`) is two schemas, `NameInput` and `NameOutput`. A handler
//! returning an untyped [`Response`] is documented as answering anything. Where the
//! signature cannot say it (a handler that reads `Request` by hand, or answers several
//! shapes), `#[arbor::api(...)]` on the function declares the body and the answers:
//!
//! ```ignore
//! #[arbor::api(body = NewComment, 400, 404)] // Json<Comment>, a 400, a 404, other errors
//! pub async fn PATCH(mut req: Request, ctx: RouteContext<Params>) -> Result<Json<Comment>> { ... }
//! ```
//!
//! `arbor openapi` writes the document to `openapi.json` (`--check` fails when the committed
//! one differs), and `arbor client --ts DIR` writes a typed TypeScript client from it. With a
//! committed `openapi.json`, `cargo test` also fails when the document no longer matches it.
//!
//! [`Response`]: crate::Response

mod schemas;

use std::collections::BTreeMap;

use schemars::generate::SchemaSettings;
use schemars::SchemaGenerator;
use schemas::{INPUTS, OUTPUTS};
use serde_json::{json, Map, Value};

pub use crate::config::OpenApi;
pub use schemars::JsonSchema;

/// The environment variable `arbor openapi` sets to have the generated test write the
/// document there.
pub const OUT_ENV: &str = "ARBOR_OPENAPI_OUT";

/// The environment variable `arbor openapi --check` sets to have the generated test compare
/// the document with that file.
pub const CHECK_ENV: &str = "ARBOR_OPENAPI_CHECK";

/// The committed document's file, beside `Cargo.toml`.
pub const FILE: &str = "openapi.json";

/// The extension naming an operation's route file (`app/comments/route.rs`), in the
/// committed document; [`Document::served`] leaves it out.
pub const FILE_EXTENSION: &str = "x-arbor-file";

/// The body of every error answer, `{"error": message}`, as the schema `Error` (an app's own
/// type of that name is `Error2`).
struct ErrorBody;

impl JsonSchema for ErrorBody {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Error".into()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        "arbor::Error".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "The body of an error answer: what went wrong, for people. An error answer may also have no body (a bare 404).",
            "type": "object",
            "properties": { "error": { "type": "string" } },
            "required": ["error"],
        })
    }
}

/// An OpenAPI 3.1 document, as JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    value: Value,
}

impl Document {
    /// The document as a JSON value.
    pub fn as_value(&self) -> &Value {
        &self.value
    }

    /// The document as pretty-printed JSON, ending with a newline (what `openapi.json` holds).
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(&self.value).unwrap_or_default();
        text.push('\n');
        text
    }

    /// The document as the app serves it (`.serve(path)`): without `x-arbor-file`, which
    /// tells the team where each operation is written and its callers nothing.
    pub fn served(&self) -> Document {
        let mut value = self.value.clone();
        let operations = value["paths"]
            .as_object_mut()
            .into_iter()
            .flat_map(|paths| paths.values_mut())
            .filter_map(Value::as_object_mut)
            .flat_map(|item| item.values_mut())
            .filter_map(Value::as_object_mut);
        for operation in operations {
            operation.remove(FILE_EXTENSION);
        }
        Document { value }
    }
}

/// Builds a [`Document`], one operation at a time: what the generated `app::openapi()` calls.
///
/// Request schemas (query, body) describe how their types deserialize, answer schemas how
/// they serialize (`#[serde(default)]` makes a field optional to send, `skip_serializing_if`
/// one that may be missing from an answer). A type whose two forms differ becomes two
/// schemas, `NameInput` and `NameOutput`; every other keeps its name.
pub struct Builder {
    inputs: SchemaGenerator,
    outputs: SchemaGenerator,
    info: Value,
    paths: Map<String, Value>,
}

impl Builder {
    /// A document titled as `config` says, with no paths yet.
    pub fn new(config: &OpenApi) -> Self {
        let generator = |path: &str, mut settings: SchemaSettings| {
            settings.definitions_path = path.to_owned().into();
            settings.meta_schema = None;
            settings.into_generator()
        };
        let mut info = Map::new();
        info.insert("title".into(), config.title().into());
        info.insert("version".into(), config.version().into());
        if let Some(description) = config.description_text() {
            info.insert("description".into(), description.into());
        }
        let mut inputs = generator(INPUTS, SchemaSettings::draft2020_12().for_deserialize());
        let mut outputs = generator(OUTPUTS, SchemaSettings::draft2020_12().for_serialize());
        // The error schema takes its name first in both sets, so that it is `Error` in both
        // (an app's own `Error` is then `Error2` in both); `finish` drops it if unused.
        inputs.subschema_for::<ErrorBody>();
        outputs.subschema_for::<ErrorBody>();
        Builder {
            inputs,
            outputs,
            info: Value::Object(info),
            paths: Map::new(),
        }
    }

    /// Adds the operation `method` (`GET`) of `path` (`/comments/{id}`), named `id`, as
    /// `describe` builds it.
    pub fn operation(
        &mut self,
        path: &str,
        method: &str,
        id: &str,
        describe: impl FnOnce(&mut Operation<'_>),
    ) -> &mut Self {
        let mut op = Operation {
            inputs: &mut self.inputs,
            outputs: &mut self.outputs,
            method: method.to_ascii_uppercase(),
            fields: Map::new(),
            parameters: Vec::new(),
            body: None,
            responses: BTreeMap::new(),
            untyped: false,
        };
        op.fields.insert("operationId".into(), id.into());
        describe(&mut op);
        let method = op.method.to_ascii_lowercase();
        let value = op.finish();
        let item = self
            .paths
            .entry(path.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(item) = item {
            item.insert(method, value);
        }
        self
    }

    /// The document.
    pub fn finish(mut self) -> Document {
        let inputs = self.inputs.take_definitions(true);
        let outputs = self.outputs.take_definitions(true);
        let (mut schemas, names) = schemas::merge(inputs, outputs);
        let mut paths = Value::Object(self.paths);
        schemas::rename(&mut paths, &names);
        schemas::drop_unused(&mut schemas, &paths);
        let mut value = json!({
            "openapi": "3.1.0",
            "info": self.info,
            "paths": paths,
        });
        if !schemas.is_empty() {
            value["components"] = json!({ "schemas": schemas });
        }
        Document { value }
    }
}

/// One operation being described: what [`Input`] and [`Output`] impls, and the functions
/// `#[arbor::api(...)]` writes, add to.
pub struct Operation<'a> {
    inputs: &'a mut SchemaGenerator,
    outputs: &'a mut SchemaGenerator,
    method: String,
    fields: Map<String, Value>,
    parameters: Vec<Value>,
    body: Option<Value>,
    responses: BTreeMap<String, Value>,
    untyped: bool,
}

/// How a path parameter takes its segments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segments {
    /// `[id]`: exactly one segment.
    One,
    /// `[...slug]`: one or more segments, joined by `/`.
    OneOrMore,
    /// `[[...slug]]`: one or more here (the path without it is its own entry).
    Optional,
}

impl Operation<'_> {
    /// The HTTP method (`GET`).
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The summary (the doc comment's first paragraph) and the description (the rest).
    pub fn docs(&mut self, summary: &str, description: &str) {
        if !summary.is_empty() {
            self.fields.insert("summary".into(), summary.into());
        }
        if !description.is_empty() {
            self.fields.insert("description".into(), description.into());
        }
    }

    /// An extension field (`x-arbor-proxy`).
    pub fn extension(&mut self, name: &str, value: &str) {
        debug_assert!(name.starts_with("x-"));
        self.fields.insert(name.into(), value.into());
    }

    /// A path parameter (`id` of `{id}`).
    pub fn path_param(&mut self, name: &str, segments: Segments) {
        let description = match segments {
            Segments::One => "One path segment, percent-decoded.",
            Segments::OneOrMore | Segments::Optional => {
                "A catch-all: one or more path segments, joined by `/`."
            }
        };
        let mut param = json!({
            "name": name,
            "in": "path",
            "required": true,
            "description": description,
            "schema": { "type": "string" },
        });
        if segments != Segments::One {
            param["x-arbor-catch-all"] = true.into();
        }
        self.parameters.push(param);
    }

    /// The query parameters: one per field of `T`'s schema.
    pub fn query<T: JsonSchema>(&mut self) {
        let schema = T::json_schema(self.inputs);
        let schema = self.resolve(schema.to_value());
        let required: Vec<&str> = schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        if let Some(properties) = schema["properties"].as_object() {
            for (name, property) in properties {
                let property = &not_null(property.clone());
                let mut param = json!({
                    "name": name,
                    "in": "query",
                    "required": required.contains(&name.as_str()),
                    "schema": property,
                });
                if let Some(description) = property.get("description") {
                    param["description"] = description.clone();
                }
                self.parameters.push(param);
            }
        }
    }

    /// A required JSON body of `T`.
    pub fn json_body<T: JsonSchema>(&mut self) {
        let schema = self.inputs.subschema_for::<T>().to_value();
        self.body = Some(json!({
            "required": true,
            "content": { "application/json": { "schema": schema } },
        }));
    }

    /// A required form body of `T`, urlencoded or multipart.
    pub fn form_body<T: JsonSchema>(&mut self) {
        let schema = self.inputs.subschema_for::<T>().to_value();
        self.body = Some(json!({
            "required": true,
            "content": {
                "application/x-www-form-urlencoded": { "schema": schema },
                "multipart/form-data": { "schema": schema },
            },
        }));
    }

    /// A body of any shape, which the handler reads itself: for the methods that carry one.
    pub fn any_body(&mut self) {
        if matches!(self.method.as_str(), "GET" | "HEAD" | "DELETE" | "OPTIONS") {
            return;
        }
        self.body = Some(json!({
            "required": false,
            "description": "Read by the handler itself: any content.",
            "content": { "*/*": { "schema": {} } },
        }));
    }

    /// A JSON answer of `T` with `status`.
    pub fn response<T: JsonSchema>(&mut self, status: u16) {
        let schema = self.outputs.subschema_for::<T>().to_value();
        self.responses.insert(
            status.to_string(),
            json!({
                "description": reason(status),
                "content": { "application/json": { "schema": schema } },
            }),
        );
    }

    /// An answer with `status` and a body of `media` (`text/plain`), of any content.
    pub fn response_as(&mut self, status: u16, media: &str) {
        self.responses.insert(
            status.to_string(),
            json!({
                "description": reason(status),
                "content": { media: { "schema": { "type": "string" } } },
            }),
        );
    }

    /// An answer with `status` and no body (`204`, a redirect).
    pub fn empty(&mut self, status: u16) {
        self.responses
            .insert(status.to_string(), json!({ "description": reason(status) }));
    }

    /// An error answer with `status`: `{"error": message}`.
    pub fn error(&mut self, status: u16) {
        let answer = self.error_answer(reason(status));
        self.responses.insert(status.to_string(), answer);
    }

    /// Any other status is an error answer, `{"error": message}` (`Result`'s `Err`).
    pub fn errors(&mut self) {
        if !self.responses.contains_key("default") {
            let answer = self.error_answer("Any other status: an error answer.");
            self.responses.insert("default".into(), answer);
        }
    }

    /// Any status, with any body: an untyped [`Response`](crate::Response).
    pub fn any(&mut self) {
        self.untyped = true;
        self.responses.insert(
            "default".into(),
            json!({
                "description": "Any answer: the handler returns an untyped response.",
                "content": { "*/*": { "schema": {} } },
            }),
        );
    }

    /// `#[arbor::api]` declares answers: an untyped response's "any answer" gives way to them.
    pub fn declared(&mut self) {
        if self.untyped {
            self.responses.remove("default");
            self.untyped = false;
        }
    }

    fn error_answer(&mut self, description: &str) -> Value {
        let schema = self.outputs.subschema_for::<ErrorBody>().to_value();
        json!({
            "description": description,
            "content": { "application/json": { "schema": schema } },
        })
    }

    /// `schema`, or the request definition it refers to.
    fn resolve(&self, schema: Value) -> Value {
        let name = schema["$ref"].as_str().and_then(|r| {
            r.strip_prefix('#')?
                .strip_prefix(INPUTS)?
                .strip_prefix('/')
                .map(schemas::decode)
        });
        match name.and_then(|n| self.inputs.definitions().get(&n)) {
            Some(definition) => definition.clone(),
            None => schema,
        }
    }

    fn finish(mut self) -> Value {
        if !self.parameters.is_empty() {
            self.fields
                .insert("parameters".into(), Value::Array(self.parameters));
        }
        if let Some(body) = self.body {
            self.fields.insert("requestBody".into(), body);
        }
        if self.responses.is_empty() {
            self.responses
                .insert("200".into(), json!({ "description": reason(200) }));
        }
        let responses: Map<String, Value> = self.responses.into_iter().collect();
        self.fields
            .insert("responses".into(), Value::Object(responses));
        Value::Object(self.fields)
    }
}

/// A query parameter's schema: `Option<T>` is a parameter that may be missing, never null.
fn not_null(mut schema: Value) -> Value {
    if let Some(types) = schema.get_mut("type").and_then(Value::as_array_mut) {
        types.retain(|t| t != "null");
        if types.len() == 1 {
            schema["type"] = types[0].clone();
        }
        return schema;
    }
    let options = ["anyOf", "oneOf"]
        .into_iter()
        .find_map(|k| schema.get(k).and_then(Value::as_array));
    if let Some(options) = options {
        let kept: Vec<&Value> = options.iter().filter(|o| o["type"] != "null").collect();
        if let [only] = kept[..] {
            return only.clone();
        }
    }
    schema
}

/// The reason phrase of `status`, as a response's description.
fn reason(status: u16) -> &'static str {
    http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Answer")
}

/// A handler argument that says what it reads from the request: the query, the body.
///
/// Implemented for Arbor's arguments and axum's common extractors. An extractor of your
/// own implements it too, often with nothing in it:
///
/// ```
/// struct ApiKey(String);
/// impl arbor::openapi::Input for ApiKey {}
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not describe itself in the OpenAPI document",
    note = "`arbor.config.rs` declares `OPENAPI`, so every handler argument describes what it reads",
    note = "for an extractor of your own, `impl arbor::openapi::Input for {Self} {{}}` (add what it reads in `describe`)"
)]
pub trait Input {
    /// Adds what the argument reads to `op` (nothing by default).
    fn describe(op: &mut Operation<'_>) {
        let _ = op;
    }
}

/// A handler's return type that says what it answers.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not say what it answers in the OpenAPI document",
    note = "return `Json<T>`, `Created<T>`, `NoContent`, `Response` (documented as any answer) or a `Result` of one",
    note = "or declare the answers on the handler: `#[arbor::api(200 = T, 404)]`"
)]
pub trait Output {
    /// Adds the answers to `op`.
    fn describe(op: &mut Operation<'_>);
}

mod impls {
    use super::{Input, JsonSchema, Operation, Output};
    use crate::page::Markup;

    macro_rules! inputs_reading_nothing {
        ($($ty:ty),* $(,)?) => {
            $(impl Input for $ty {})*
        };
    }

    inputs_reading_nothing!(
        crate::cookies::Cookies,
        crate::DraftMode,
        crate::middleware::WaitUntil,
        crate::metadata::MetadataId,
        http::HeaderMap,
        http::Method,
        http::Uri,
        http::Version,
        http::request::Parts,
        axum::extract::RawQuery,
    );

    impl<S> Input for axum::extract::State<S> {}
    impl<T> Input for axum::extract::Extension<T> {}
    impl<T> Input for axum::extract::ConnectInfo<T> {}
    impl<P> Input for crate::RouteContext<P> {}

    impl Input for crate::Request {
        fn describe(op: &mut Operation<'_>) {
            op.any_body();
        }
    }

    impl Input for bytes::Bytes {
        fn describe(op: &mut Operation<'_>) {
            op.any_body();
        }
    }

    impl Input for String {
        fn describe(op: &mut Operation<'_>) {
            op.any_body();
        }
    }

    impl<T: JsonSchema> Input for crate::Json<T> {
        fn describe(op: &mut Operation<'_>) {
            op.json_body::<T>();
            op.error(400);
            op.error(415);
        }
    }

    impl<T: JsonSchema> Input for axum::Json<T> {
        fn describe(op: &mut Operation<'_>) {
            op.json_body::<T>();
        }
    }

    impl<T: JsonSchema> Input for crate::Form<T> {
        fn describe(op: &mut Operation<'_>) {
            op.form_body::<T>();
            op.error(400);
            op.error(415);
        }
    }

    impl<T: JsonSchema> Input for crate::Query<T> {
        fn describe(op: &mut Operation<'_>) {
            op.query::<T>();
            op.error(400);
        }
    }

    impl<T: JsonSchema> Input for axum::extract::Query<T> {
        fn describe(op: &mut Operation<'_>) {
            op.query::<T>();
        }
    }

    impl<T: Input> Input for Option<T> {
        fn describe(op: &mut Operation<'_>) {
            T::describe(op);
        }
    }

    impl<T: JsonSchema> Output for crate::Json<T> {
        fn describe(op: &mut Operation<'_>) {
            op.response::<T>(200);
        }
    }

    impl<T: JsonSchema> Output for axum::Json<T> {
        fn describe(op: &mut Operation<'_>) {
            op.response::<T>(200);
        }
    }

    impl<T: JsonSchema> Output for crate::Created<T> {
        fn describe(op: &mut Operation<'_>) {
            op.response::<T>(201);
        }
    }

    impl Output for crate::NoContent {
        fn describe(op: &mut Operation<'_>) {
            op.empty(204);
        }
    }

    impl Output for () {
        fn describe(op: &mut Operation<'_>) {
            op.empty(200);
        }
    }

    impl Output for String {
        fn describe(op: &mut Operation<'_>) {
            op.response_as(200, "text/plain");
        }
    }

    impl Output for &'static str {
        fn describe(op: &mut Operation<'_>) {
            op.response_as(200, "text/plain");
        }
    }

    impl Output for Markup {
        fn describe(op: &mut Operation<'_>) {
            op.response_as(200, "text/html");
        }
    }

    impl Output for crate::Response {
        fn describe(op: &mut Operation<'_>) {
            op.any();
        }
    }

    impl Output for axum::response::Response {
        fn describe(op: &mut Operation<'_>) {
            op.any();
        }
    }

    impl Output for http::StatusCode {
        fn describe(op: &mut Operation<'_>) {
            op.any();
        }
    }

    impl Output for crate::Error {
        fn describe(op: &mut Operation<'_>) {
            op.errors();
        }
    }

    impl<T: Output> Output for Result<T, crate::Error> {
        fn describe(op: &mut Operation<'_>) {
            T::describe(op);
            op.errors();
        }
    }
}

/// A handler whose arguments describe themselves: implemented for every `async fn` of
/// [`Input`]s. What the generated `app::openapi()` calls.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "an argument of `{Self}` does not describe itself in the OpenAPI document",
    note = "`arbor.config.rs` declares `OPENAPI`, so every handler argument implements `arbor::openapi::Input`",
    note = "`Json<T>`, `Query<T>` and `Form<T>` need `T` to derive `schemars::JsonSchema`; an extractor of your own needs `impl arbor::openapi::Input for MyExtractor {{}}`"
)]
pub trait DescribeInputs<T> {
    /// Adds each argument's description to `op`.
    fn describe_inputs(&self, op: &mut Operation<'_>);
}

/// A handler whose return type describes its answers. What the generated `app::openapi()`
/// calls.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "the return type of `{Self}` does not say what it answers in the OpenAPI document",
    note = "return `Json<T>` or `Created<T>` (with `T: schemars::JsonSchema`), `NoContent`, `Response` (documented as any answer), or a `Result` of one",
    note = "or declare the answers on the handler: `#[arbor::api(200 = T, 404)]`"
)]
pub trait DescribeOutput<T> {
    /// Adds the answers to `op`.
    fn describe_output(&self, op: &mut Operation<'_>);
}

macro_rules! impl_describe {
    ($(($t:ident, $m:ident)),*) => {
        impl<F, Fut, $($t,)*> DescribeInputs<($($t,)*)> for F
        where
            F: FnOnce($($t),*) -> Fut,
            $($t: Input,)*
        {
            fn describe_inputs(&self, op: &mut Operation<'_>) {
                let _ = &op;
                $(<$t as Input>::describe(op);)*
            }
        }

        impl<F, Fut, $($t,)*> DescribeOutput<($($t,)*)> for F
        where
            F: FnOnce($($t),*) -> Fut,
            Fut: std::future::Future,
            Fut::Output: Output,
        {
            fn describe_output(&self, op: &mut Operation<'_>) {
                <Fut::Output as Output>::describe(op);
            }
        }
    };
}

crate::handler::for_each_arity!(impl_describe);

/// What the test the generated code declares runs: writes the document where `arbor openapi`
/// asked (`ARBOR_OPENAPI_OUT`), compares it with the file `arbor openapi --check` names
/// (`ARBOR_OPENAPI_CHECK`), else with the committed `openapi.json` of `crate_root` if there
/// is one.
///
/// # Panics
///
/// When the document differs from the file it is compared with (naming the first line that
/// differs and the command that updates it), or that file cannot be read or written.
#[doc(hidden)]
pub fn write_or_check(document: &Document, crate_root: &str) {
    let text = document.to_json();
    if let Some(out) = std::env::var_os(OUT_ENV) {
        if let Err(err) = std::fs::write(&out, &text) {
            panic!("cannot write the OpenAPI document to {out:?}: {err}");
        }
        return;
    }
    let (committed, required) = match std::env::var_os(CHECK_ENV) {
        Some(file) => (std::path::PathBuf::from(file), true),
        None => (std::path::Path::new(crate_root).join(FILE), false),
    };
    let old = match std::fs::read_to_string(&committed) {
        Ok(old) => old,
        Err(_) if !required => return,
        Err(err) => panic!(
            "cannot read {}: {err}; run `arbor openapi` to write it, and commit it",
            committed.display()
        ),
    };
    if let Some(difference) = first_difference(&old, &text) {
        panic!(
            "{} no longer matches the routes of app/ ({difference}): run `arbor openapi` and commit it",
            committed.display()
        );
    }
}

/// Where two texts first differ, by line, or `None` when they are the same.
fn first_difference(old: &str, new: &str) -> Option<String> {
    if old == new {
        return None;
    }
    let mut old_lines = old.lines();
    let mut new_lines = new.lines();
    let mut line = 1;
    loop {
        match (old_lines.next(), new_lines.next()) {
            (Some(a), Some(b)) if a == b => line += 1,
            (a, b) => {
                return Some(format!(
                    "line {line}: committed `{}`, now `{}`",
                    a.unwrap_or("<end>").trim(),
                    b.unwrap_or("<end>").trim()
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Created, Json, Query, Request, Response, Result};

    #[derive(JsonSchema)]
    #[allow(dead_code)]
    struct Search {
        q: String,
        page: Option<u32>,
    }

    #[derive(JsonSchema)]
    #[allow(dead_code)]
    struct Item {
        id: i64,
    }

    async fn list(_: Query<Search>) -> Result<Json<Vec<Item>>> {
        Ok(Json(Vec::new()))
    }

    async fn create(_: Json<Item>) -> Result<Created<Item>> {
        Ok(Created::new(Item { id: 1 }))
    }

    async fn untyped(_: Request) -> Response {
        Response::empty()
    }

    fn describe(method: &str, f: impl FnOnce(&mut Operation<'_>)) -> Value {
        let mut builder = Builder::new(&OpenApi::new("T", "1"));
        builder.operation("/x", method, "op", f);
        builder.finish().as_value().clone()
    }

    #[test]
    fn a_query_is_one_parameter_per_field_an_option_is_not_required() {
        let doc = describe("GET", |op| {
            DescribeInputs::describe_inputs(&list, op);
            DescribeOutput::describe_output(&list, op);
        });
        let op = &doc["paths"]["/x"]["get"];
        let params = op["parameters"].as_array().expect("parameters");
        assert_eq!(params[0]["name"], "page");
        assert_eq!(params[0]["required"], false);
        assert_eq!(params[0]["schema"]["type"], "integer");
        assert_eq!(params[1]["name"], "q");
        assert_eq!(params[1]["required"], true);
        assert_eq!(
            op["responses"]["200"]["content"]["application/json"]["schema"]["items"]["$ref"],
            "#/components/schemas/Item"
        );
        assert!(op["responses"]["400"].is_object() && op["responses"]["default"].is_object());
        assert!(doc["components"]["schemas"]["Error"].is_object());
    }

    #[test]
    fn an_app_schema_named_error_takes_another_name_in_requests_and_answers() {
        /// The app's own `Error`.
        #[derive(JsonSchema)]
        #[allow(dead_code)]
        struct Error {
            code: u32,
        }
        async fn failing() -> Result<Json<Error>> {
            Ok(Json(Error { code: 1 }))
        }
        async fn reading(_: Json<Error>) -> Response {
            Response::empty()
        }
        let check = |method: &str, doc: Value| {
            let schemas = &doc["components"]["schemas"];
            let names: Vec<&String> = schemas.as_object().expect("schemas").keys().collect();
            assert_eq!(names, ["Error", "Error2"], "{method}");
            assert!(schemas["Error"]["properties"]["error"].is_object());
            assert!(schemas["Error2"]["properties"]["code"].is_object());
            let op = &doc["paths"]["/x"][method];
            assert_eq!(
                op["responses"]["default"]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/Error"
            );
        };
        let answering = describe("GET", |op| DescribeOutput::describe_output(&failing, op));
        check("get", answering);
        let reading = describe("POST", |op| {
            DescribeInputs::describe_inputs(&reading, op);
            op.errors();
        });
        check("post", reading);
    }

    #[test]
    fn the_error_schema_is_left_out_when_no_answer_uses_it() {
        let doc = describe("GET", |op| DescribeOutput::describe_output(&untyped, op));
        assert!(doc.get("components").is_none(), "{doc}");
    }

    #[test]
    fn a_json_body_and_a_typed_status() {
        let doc = describe("POST", |op| {
            DescribeInputs::describe_inputs(&create, op);
            DescribeOutput::describe_output(&create, op);
        });
        let op = &doc["paths"]["/x"]["post"];
        assert_eq!(op["requestBody"]["required"], true);
        let answers: Vec<&String> = op["responses"]
            .as_object()
            .expect("answers")
            .keys()
            .collect();
        assert_eq!(answers, ["201", "400", "415", "default"]);
    }

    #[test]
    fn requests_are_described_as_they_deserialize_answers_as_they_serialize() {
        #[derive(JsonSchema)]
        #[allow(dead_code)]
        struct Note {
            text: String,
            #[serde(default)]
            tags: Vec<String>,
            #[serde(skip_serializing_if = "Option::is_none")]
            due: Option<String>,
        }
        async fn edit(_: Json<Note>) -> Result<Json<Note>> {
            Err(crate::Error::not_found())
        }
        async fn read() -> Result<Json<Item>> {
            Ok(Json(Item { id: 1 }))
        }
        let mut builder = Builder::new(&OpenApi::new("T", "1"));
        builder.operation("/x", "PUT", "edit", |op| {
            DescribeInputs::describe_inputs(&edit, op);
            DescribeOutput::describe_output(&edit, op);
        });
        builder.operation("/x", "GET", "read", |op| {
            DescribeInputs::describe_inputs(&create, op);
            DescribeOutput::describe_output(&read, op);
        });
        let doc = builder.finish().as_value().clone();
        let schemas = &doc["components"]["schemas"];
        let names: Vec<&String> = schemas.as_object().expect("schemas").keys().collect();
        assert_eq!(names, ["Error", "Item", "NoteInput", "NoteOutput"]);
        assert_eq!(schemas["NoteInput"]["required"], json!(["text"]));
        assert_eq!(schemas["NoteOutput"]["required"], json!(["text", "tags"]));
        let put = &doc["paths"]["/x"]["put"];
        let body = &put["requestBody"]["content"]["application/json"]["schema"]["$ref"];
        assert_eq!(body, "#/components/schemas/NoteInput");
        let answer = &put["responses"]["200"]["content"]["application/json"]["schema"]["$ref"];
        assert_eq!(answer, "#/components/schemas/NoteOutput");
        assert!(!doc.to_string().contains("components/x-arbor"), "{doc}");
    }

    #[test]
    fn an_untyped_response_is_any_answer_until_answers_are_declared() {
        let doc = describe("PUT", |op| {
            DescribeInputs::describe_inputs(&untyped, op);
            DescribeOutput::describe_output(&untyped, op);
        });
        let op = &doc["paths"]["/x"]["put"];
        assert_eq!(op["requestBody"]["required"], false);
        assert!(op["responses"]["default"]["content"]["*/*"].is_object());

        let doc = describe("GET", |op| {
            DescribeOutput::describe_output(&untyped, op);
            op.declared();
            op.response::<Item>(200);
            op.error(404);
        });
        let answers: Vec<&String> = doc["paths"]["/x"]["get"]["responses"]
            .as_object()
            .expect("answers")
            .keys()
            .collect();
        assert_eq!(answers, ["200", "404"]);
    }
}
