//! Build diagnostics, snapshot-tested: a fixture `app/` tree in, the exact text out.
//!
//! Review changed snapshots with `cargo insta review`, or accept them with
//! `INSTA_UPDATE=always cargo test -p arbor-build`.

use std::path::PathBuf;

use arbor_build::Builder;

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
);

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
fn generated_code() {
    let report = Builder::new(fixture("valid")).render().expect("valid tree");
    let root = fixture("valid").display().to_string();
    insta::assert_snapshot!(report.code().replace(&root, "$FIXTURE"));
}

#[test]
fn generate_writes_the_router_and_skips_unchanged_writes() {
    let out = std::env::temp_dir().join(format!("arbor-build-test-{}", std::process::id()));
    std::fs::create_dir_all(&out).expect("temp dir");
    let builder = Builder::new(fixture("valid")).out_dir(&out);
    builder.generate().expect("generates");
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
