//! Build diagnostics, snapshot-tested: a fixture `app/` tree in, the exact text out.
//!
//! Review changed snapshots with `cargo insta review`, or accept them with
//! `INSTA_UPDATE=always cargo test -p arbor-build`.

use std::path::PathBuf;

use arbor_build::{Builder, Method};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The text the user sees: every error, or every warning when the tree is valid.
fn diagnostics(name: &str) -> String {
    match Builder::new(fixture(name)).render() {
        Err(err) => err.to_string(),
        Ok(report) => report
            .warnings()
            .map(|w| w.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

macro_rules! snapshot {
    ($($test:ident),* $(,)?) => {
        $(
            #[test]
            fn $test() {
                insta::assert_snapshot!(diagnostics(stringify!($test)));
            }
        )*
    };
}

snapshot!(
    route_and_page,
    route_and_page_at_root,
    two_groups_one_url,
    group_route_and_page,
    optional_catch_all_specificity,
    ambiguous_slugs,
    different_slugs,
    required_and_optional_catch_all,
    invalid_folder_names,
    repeated_slug,
    slugs_differing_by_symbols,
    catch_all_not_last,
    not_found_without_export,
    warnings,
    both_middleware_files,
    proxy_wrong_export,
    middleware_segment_config,
    invalid_matcher_source,
    invalid_config_shape,
    app_config_rules,
    openapi_rules,
    instrumentation_rules,
    invalid_segment_config,
    body_read_twice,
    metadata_rules,
    static_metadata_rules,
    page_rules,
    missing_dependencies,
);

#[test]
fn middleware_router() {
    let report = Builder::new(fixture("middleware_valid"))
        .render()
        .expect("valid tree");
    insta::assert_snapshot!(report.router());
    assert!(report.tree().contains("#[path = \"middleware.rs\"]"));
}

#[test]
fn missing_app() {
    let text = diagnostics("missing_app");
    let root = fixture("missing_app").display().to_string();
    insta::assert_snapshot!(text.replace(&root, "$FIXTURE"));
}

#[test]
fn errors_fail_the_build_and_list_every_problem() {
    let err = Builder::new(fixture("invalid_folder_names"))
        .render()
        .expect_err("invalid tree");
    assert_eq!(err.diagnostics().len(), 6);
    assert!(err.diagnostics().iter().all(|d| d.is_error()));
}

#[test]
fn valid_tree_routes() {
    let report = Builder::new(fixture("valid")).render().expect("valid tree");
    assert_eq!(
        report.routes(),
        [
            "/",
            "/_escaped",
            "/stats",
            "/[org]/[repo-name]",
            "/comments",
            "/comments/[id]",
            "/docs/[...slug]",
            "/files/[[...path]]",
            "/route/type",
        ]
    );
}

#[test]
fn the_model_holds_every_route_with_its_exports() {
    let model = Builder::new(fixture("valid")).model().expect("valid tree");
    assert_eq!(model.app_dir, std::path::Path::new("app"));
    let patterns: Vec<String> = model.routes().map(|r| r.pattern()).collect();
    let report = Builder::new(fixture("valid")).render().expect("valid tree");
    assert_eq!(patterns, report.routes());
    let comments = model
        .routes()
        .find(|r| r.pattern() == "/comments")
        .expect("the comments route");
    assert_eq!(
        comments.file.rel,
        std::path::Path::new("app/comments/route.rs")
    );
    let exports = comments.exports.as_ref().expect("parsed");
    assert_eq!(exports.methods, [Method::Get]);
    assert!(model.middleware.is_none());
    // An app that breaks a rule has no model to give.
    assert!(Builder::new(fixture("route_and_page")).model().is_err());
}

#[test]
fn public_is_served_from_its_folder_or_built_in() {
    let from_folder = Builder::new(fixture("public_folder"))
        .render()
        .expect("valid");
    assert!(from_folder
        .router()
        .contains(r#"app.public_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/public"))"#));
    let built_in = Builder::new(fixture("public_folder"))
        .embed_public(true)
        .render()
        .expect("valid");
    let router = built_in.router();
    assert!(router.contains(".public_files("), "{router}");
    assert!(router.contains(r#""/a.txt","#), "{router}");
    assert!(router.contains(r#""/sub/b.css","#), "{router}");
    assert!(router.contains(r#""public/sub/b.css""#), "{router}");
    assert!(!router.contains(".hidden"), "{router}");
    let model = Builder::new(fixture("public_folder"))
        .model()
        .expect("valid");
    let urls: Vec<&str> = model.public_files.iter().map(|f| f.url.as_str()).collect();
    assert_eq!(urls, ["/a.txt", "/sub/b.css"]);
}

#[test]
fn generated_module_tree() {
    let report = Builder::new(fixture("valid")).render().expect("valid tree");
    insta::assert_snapshot!(report.tree());
}

#[test]
fn generated_router() {
    let report = Builder::new(fixture("valid")).render().expect("valid tree");
    insta::assert_snapshot!(report.router());
}

#[test]
fn generate_writes_both_files_and_skips_unchanged_writes() {
    let out = std::env::temp_dir().join(format!("arbor-build-test-{}", std::process::id()));
    let crate_root = out.join("crate");
    copy_dir(&fixture("valid"), &crate_root);
    let builder = Builder::new(&crate_root).out_dir(&out);
    builder.generate().expect("generates");
    let tree =
        std::fs::read_to_string(crate_root.join(arbor_build::TREE_FILE)).expect("tree written");
    assert!(tree.contains("#[path = \"../app/comments\"]"));
    let file = out.join(arbor_build::GENERATED_FILE);
    let first = std::fs::metadata(&file)
        .and_then(|m| m.modified())
        .expect("written");
    std::thread::sleep(std::time::Duration::from_millis(20));
    builder.generate().expect("generates again");
    let second = std::fs::metadata(&file)
        .and_then(|m| m.modified())
        .expect("still there");
    assert_eq!(first, second, "an unchanged tree must not touch the file");
    std::fs::remove_dir_all(&out).ok();
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}
