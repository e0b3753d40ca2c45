//! The API documents itself: `app::openapi()` is valid OpenAPI 3.1, every answer of the
//! running app matches the schema it declares, and the TypeScript client written from it
//! type-checks with `tsc --strict` and lists, creates, updates and deletes a comment.
//!
//! Needs Python's `openapi-spec-validator` (`pip install openapi-spec-validator`) and
//! TypeScript's `tsc` with Node.js (`npm install -g typescript`): `.ci/run` installs both.

use std::path::Path;
use std::process::Command;

use arbor_test_support::openapi::{check_answer, validate_document};
use arbor_test_support::TestServer;
use comments::db::Db;
use serde_json::Value;

const JSON: [(&str, &str); 1] = [("content-type", "application/json")];

fn document() -> Value {
    comments::app::openapi().as_value().clone()
}

async fn start() -> TestServer {
    TestServer::serve(comments::app(
        Db::open(":memory:").expect("in-memory database"),
    ))
    .await
}

#[test]
fn the_document_is_valid_openapi_3_1() {
    let doc = document();
    validate_document(&doc, "comments");
    // What the signatures and `#[arbor::api]` say.
    let ops = &doc["paths"];
    assert_eq!(
        ops["/comments"]["get"]["parameters"][0]["name"], "query",
        "Query<Search>'s field"
    );
    assert_eq!(
        ops["/comments"]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/NewComment"
    );
    assert!(ops["/comments"]["post"]["responses"]["201"].is_object());
    assert_eq!(ops["/comments/{id}"]["get"]["parameters"][0]["in"], "path");
    assert!(ops["/comments/{id}"]["delete"]["responses"]["404"].is_object());
    assert_eq!(
        ops["/comments/{id}"]["patch"]["summary"],
        "Changes a comment's text."
    );
    assert!(ops["/comments"].get("head").is_none() && ops["/comments"].get("options").is_none());
}

#[tokio::test]
async fn the_app_serves_its_document() {
    let server = start().await;
    let reply = server.get("/openapi.json").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), "application/json");
    // As `app::openapi()` says, without the route files, which tell callers nothing.
    let served = reply.json();
    let mut expected = document();
    for item in expected["paths"]
        .as_object_mut()
        .expect("paths")
        .values_mut()
    {
        for op in item.as_object_mut().expect("path item").values_mut() {
            let file = op.as_object_mut().and_then(|op| op.remove("x-arbor-file"));
            assert!(file.is_some(), "{op}");
        }
    }
    assert_eq!(served, expected);
}

#[tokio::test]
async fn every_answer_matches_its_declared_schema() {
    let doc = document();
    let server = start().await;
    let check = |method: &str, template: &str, reply: &arbor_test_support::Reply| {
        check_answer(&doc, method, template, reply)
    };
    check("GET", "/comments", &server.get("/comments").await);
    check(
        "GET",
        "/comments",
        &server.get("/comments?query=first").await,
    );
    let created = server
        .send("POST", "/comments", &JSON, r#"{"text":"hi"}"#)
        .await;
    assert_eq!(created.status, 201);
    check("POST", "/comments", &created);
    let bad = server
        .send("POST", "/comments", &JSON, r#"{"text":""}"#)
        .await;
    assert_eq!(bad.status, 400);
    check("POST", "/comments", &bad);
    check("GET", "/comments/{id}", &server.get("/comments/4").await);
    check("GET", "/comments/{id}", &server.get("/comments/abc").await);
    let patched = server
        .send("PATCH", "/comments/4", &JSON, r#"{"text":"edited"}"#)
        .await;
    assert_eq!(patched.status, 200);
    check("PATCH", "/comments/{id}", &patched);
    check(
        "DELETE",
        "/comments/{id}",
        &server.send("DELETE", "/comments/4", &[], "").await,
    );
    let gone = server.get("/comments/4").await;
    assert_eq!(gone.status, 404);
    check("GET", "/comments/{id}", &gone);
}

fn run(command: &mut Command, what: &str, install: &str) {
    let output = command
        .output()
        .unwrap_or_else(|err| panic!("cannot run {what} ({err}): {install} (.ci/run installs it)"));
    assert!(
        output.status.success(),
        "{what} failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test]
async fn the_typescript_client_type_checks_and_runs_crud() {
    let dir = std::env::temp_dir().join(format!("arbor-comments-client-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let ts = arbor_build::client::typescript(&document()).expect("a client");
    std::fs::write(dir.join("client.ts"), ts).expect("write client.ts");
    let crud = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/client/crud.ts");
    std::fs::copy(crud, dir.join("crud.ts")).expect("copy crud.ts");

    let tsc = |args: &[&str]| {
        let mut command = Command::new("tsc");
        command.current_dir(&dir).args([
            "--strict",
            "--noEmitOnError",
            "--target",
            "es2022",
            "--module",
            "commonjs",
            "--lib",
            "es2022,dom",
        ]);
        command.args(args);
        command
    };
    run(
        &mut tsc(&["--outDir", "out", "client.ts", "crud.ts"]),
        "tsc --strict",
        "install TypeScript: `npm install -g typescript`",
    );

    let server = start().await;
    let base = server.url("");
    let dir_for_node = dir.clone();
    tokio::task::spawn_blocking(move || {
        run(
            Command::new("node")
                .current_dir(&dir_for_node)
                .arg("out/crud.js")
                .env("BASE_URL", base.trim_end_matches('/')),
            "node out/crud.js",
            "install Node.js",
        )
    })
    .await
    .expect("node ran");
    let _ = std::fs::remove_dir_all(&dir);
}
