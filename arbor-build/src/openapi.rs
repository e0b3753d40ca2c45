//! The OpenAPI half of the generated code: `app::openapi()`, which builds the document at run
//! time (the schemas come from the compiled types, through `schemars`), from what only the
//! build knows: the paths and their parameters, the operations and their names, each
//! handler's doc comment, where the middleware runs.

use std::collections::HashSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::codegen::RouteEntry;
use crate::config::AppConfig;
use crate::middleware::Runs;
use crate::model::AppModel;
use crate::parse::Method;
use crate::segment::Segment;

/// `app::openapi()` and the test that keeps `openapi.json` current, when `arbor.config.rs`
/// declares `OPENAPI`; nothing otherwise.
pub(crate) fn render(model: &AppModel, routes: &[RouteEntry]) -> TokenStream {
    if model.config.openapi.is_none() {
        return TokenStream::new();
    }
    let mut ids = HashSet::new();
    let mut operations = Vec::new();
    for route in routes {
        for path in paths(&route.segments) {
            for &method in &route.methods {
                if method == Method::Query {
                    // OpenAPI 3.1 has no `query` operation.
                    continue;
                }
                operations.push(operation(model, route, &path, method, &mut ids));
            }
        }
    }
    quote! {
        /// The OpenAPI 3.1 document of the routes of `app/`, as `arbor.config.rs`'s `OPENAPI`
        /// titles it: what `arbor openapi` writes.
        #[allow(dead_code, unused_mut)]
        pub fn openapi() -> ::arbor::openapi::Document {
            let mut doc = ::arbor::openapi::Builder::new(&self::arbor_config::OPENAPI);
            #(#operations)*
            doc.finish()
        }

        /// `openapi.json` beside `Cargo.toml`, when committed, matches the routes.
        #[cfg(test)]
        mod openapi_json {
            #[test]
            fn is_current() {
                ::arbor::openapi::write_or_check(&super::openapi(), env!("CARGO_MANIFEST_DIR"));
            }
        }
    }
}

/// The registration of the document's own route, when `OPENAPI` says `.serve(path)`.
pub(crate) fn served(config: &AppConfig) -> TokenStream {
    match config.openapi.as_ref().and_then(|o| o.serve.as_deref()) {
        Some(path) => quote! {
            let app = ::arbor::__codegen::AppBuilder::openapi(app, #path, openapi);
        },
        None => TokenStream::new(),
    }
}

/// One path of the document: its template (`/comments/{id}`) and its parameters.
struct ApiPath {
    template: String,
    /// Name and how many segments it takes.
    params: Vec<(String, TokenStream)>,
}

/// The document's paths for a route's folders: one, or two for an optional catch-all (the
/// path without it, and with it).
fn paths(segments: &[Segment]) -> Vec<ApiPath> {
    let mut template = String::new();
    let mut params = Vec::new();
    let mut without = None;
    for segment in segments {
        let (name, segments) = match segment {
            Segment::Static(name) => {
                template.push('/');
                template.push_str(name);
                continue;
            }
            Segment::Dynamic(name) => (name, quote!(One)),
            Segment::CatchAll(name) => (name, quote!(OneOrMore)),
            Segment::OptionalCatchAll(name) => {
                without = Some(ApiPath {
                    template: if template.is_empty() {
                        "/".to_owned()
                    } else {
                        template.clone()
                    },
                    params: params.clone(),
                });
                (name, quote!(Optional))
            }
            Segment::Group(_) | Segment::Slot(_) | Segment::Private => continue,
        };
        template.push_str(&format!("/{{{name}}}"));
        params.push((
            name.to_owned(),
            quote!(::arbor::openapi::Segments::#segments),
        ));
    }
    if template.is_empty() {
        template.push('/');
    }
    without
        .into_iter()
        .chain([ApiPath { template, params }])
        .collect()
}

/// `getCommentsById`: the method, then the path's words, its parameters after `By`.
fn operation_id(method: Method, path: &ApiPath, taken: &mut HashSet<String>) -> String {
    let mut id = method.as_str().to_ascii_lowercase();
    let mut first_param = true;
    for segment in path.template.split('/').filter(|s| !s.is_empty()) {
        let (word, is_param) = match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) => (name, true),
            None => (segment, false),
        };
        if is_param {
            id.push_str(if first_param { "By" } else { "And" });
            first_param = false;
        }
        for part in word.split(|c: char| !c.is_ascii_alphanumeric()) {
            let mut chars = part.chars();
            if let Some(first) = chars.next() {
                id.push(first.to_ascii_uppercase());
                id.extend(chars);
            }
        }
    }
    if path.template == "/" {
        id.push_str("Root");
    }
    let mut unique = id.clone();
    let mut n = 2;
    while !taken.insert(unique.clone()) {
        unique = format!("{id}{n}");
        n += 1;
    }
    unique
}

/// The doc comment's first paragraph as the summary, the rest as the description.
fn summary_and_description(doc: &[String]) -> (String, String) {
    let lines: Vec<&str> = doc.iter().map(|l| l.trim_end()).collect();
    let split = lines
        .iter()
        .position(|l| l.trim().is_empty())
        .unwrap_or(lines.len());
    let summary = lines[..split]
        .iter()
        .map(|l| l.trim())
        .collect::<Vec<_>>()
        .join(" ");
    let description = lines[split..].join("\n").trim().to_owned();
    (summary, description)
}

fn operation(
    model: &AppModel,
    route: &RouteEntry,
    path: &ApiPath,
    method: Method,
    ids: &mut HashSet<String>,
) -> TokenStream {
    let template = &path.template;
    let id = operation_id(method, path, ids);
    let method_name = method.as_str();
    let module = &route.module;
    let handler = format_ident!("{}", method.as_str());
    let signature = route.signatures.iter().find(|s| s.name == method_name);
    let (summary, description) = summary_and_description(signature.map_or(&[][..], |s| &s.doc[..]));
    let file = &route.file;
    let proxy = model
        .middleware
        .as_ref()
        .map(|m| m.runs_for(&route.pattern))
        .filter(|runs| *runs != Runs::No)
        .map(|runs| {
            let runs = runs.as_str();
            quote!(op.extension("x-arbor-proxy", #runs);)
        });
    let params = path
        .params
        .iter()
        .map(|(name, segments)| quote!(op.path_param(#name, #segments);));
    let answers = if signature.is_some_and(|s| s.api) {
        let declared = format_ident!("__arbor_api_{}", method.as_str());
        quote!(#module::route::#declared(op);)
    } else {
        quote!(::arbor::__codegen::DescribeOutput::describe_output(&#module::route::#handler, op);)
    };
    quote! {
        doc.operation(#template, #method_name, #id, |op| {
            op.docs(#summary, #description);
            op.extension(::arbor::openapi::FILE_EXTENSION, #file);
            #proxy
            #(#params)*
            ::arbor::__codegen::DescribeInputs::describe_inputs(&#module::route::#handler, op);
            #answers
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The paths of the folders `pattern` names (`/files/[[...path]]`).
    fn paths_of(pattern: &str) -> Vec<ApiPath> {
        let segments: Vec<Segment> = pattern
            .split('/')
            .filter(|s| !s.is_empty())
            .map(|s| Segment::parse(s).expect("a folder name"))
            .collect();
        paths(&segments)
    }

    fn templates(pattern: &str) -> Vec<String> {
        paths_of(pattern).into_iter().map(|p| p.template).collect()
    }

    #[test]
    fn paths_spell_parameters_in_braces() {
        assert_eq!(templates("/"), ["/"]);
        assert_eq!(templates("/comments/[id]"), ["/comments/{id}"]);
        assert_eq!(templates("/docs/[...slug]"), ["/docs/{slug}"]);
        assert_eq!(templates("/files/[[...path]]"), ["/files", "/files/{path}"]);
        assert_eq!(templates("/[[...all]]"), ["/", "/{all}"]);
        assert_eq!(templates("/(admin)/stats"), ["/stats"]);
    }

    #[test]
    fn operation_ids_read_as_the_path_and_stay_unique() {
        let mut taken = HashSet::new();
        let mut id = |method, pattern: &str| {
            let path = paths_of(pattern).pop().unwrap();
            operation_id(method, &path, &mut taken)
        };
        assert_eq!(id(Method::Get, "/comments"), "getComments");
        assert_eq!(id(Method::Patch, "/comments/[id]"), "patchCommentsById");
        assert_eq!(id(Method::Get, "/"), "getRoot");
        assert_eq!(
            id(Method::Get, "/users/[user-id]/posts/[post]"),
            "getUsersByUserIdPostsAndPost"
        );
        assert_eq!(id(Method::Get, "/user-profile"), "getUserProfile");
        assert_eq!(id(Method::Get, "/userProfile"), "getUserProfile2");
    }

    #[test]
    fn the_first_paragraph_is_the_summary() {
        let doc = ["Lists comments.", "", "With `query`, only", "those."].map(String::from);
        assert_eq!(
            summary_and_description(&doc),
            (
                "Lists comments.".to_owned(),
                "With `query`, only\nthose.".to_owned()
            )
        );
        assert_eq!(summary_and_description(&[]), (String::new(), String::new()));
    }
}
