//! The `arbor` binary, run as a user runs it.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn arbor() -> Command {
    Command::new(env!("CARGO_BIN_EXE_arbor"))
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    arbor()
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("arbor runs")
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "arbor failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn routes_of_the_examples() {
    for example in ["comments", "middleware-auth", "isr", "site", "migrate"] {
        let dir = workspace().join("examples").join(example);
        let table = stdout(&run_in(&dir, &["routes"]));
        insta::assert_snapshot!(format!("routes_{example}"), table);
        let json = stdout(&run_in(&dir, &["routes", "--json"]));
        let parsed: serde_json::Value = serde_json::from_str(&json).expect("JSON");
        insta::assert_json_snapshot!(format!("routes_{example}_json"), parsed);
    }
}

/// Every example documents its API: its committed `openapi.json` is valid OpenAPI 3.1 (and
/// each example's own generated test, `openapi_json::is_current`, fails when it no longer
/// matches the example's routes).
#[test]
fn the_examples_documents_are_valid_openapi() {
    let examples = workspace().join("examples");
    let mut seen = 0;
    for entry in std::fs::read_dir(&examples).expect("examples") {
        let dir = entry.expect("an example").path();
        let name = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let file = dir.join("openapi.json");
        let text = std::fs::read_to_string(&file).unwrap_or_else(|_| {
            panic!("examples/{name} has no openapi.json: run `arbor openapi` in it")
        });
        let document: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        arbor_test_support::openapi::validate_document(&document, &name);
        seen += 1;
    }
    assert!(seen >= 9, "{seen} examples");
}

#[test]
fn openapi_says_how_to_declare_the_document() {
    let dir = new_project("undocumented");
    let output = run_in(&dir, &["openapi"]);
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains("does not document its API: declare it in arbor.config.rs")
            && said.contains("pub const OPENAPI: arbor::config::OpenApi"),
        "{said}"
    );
}

#[test]
fn routes_names_the_package_it_cannot_find() {
    let output = run_in(&workspace(), &["routes", "-p", "no-such-package"]);
    assert!(!output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stderr).trim(),
        "error: no package named `no-such-package` in this workspace"
    );
}

/// A folder of its own under the target folder, emptied.
fn scratch(name: &str) -> PathBuf {
    let dir = workspace()
        .join("target")
        .join("arbor-cli-tests")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.parent().expect("parent")).expect("scratch folder");
    dir
}

/// Where the projects the tests create are built: one folder for all of them, apart from the
/// workspace's own (which the running `cargo test` holds).
fn project_target() -> PathBuf {
    workspace()
        .join("target")
        .join("arbor-cli-tests")
        .join("target")
}

/// `command`, run in a project the tests created: offline, built into [`project_target`],
/// with line tables only for debug info (as the workspace builds), so the builds stay small.
fn in_project(mut command: Command, dir: &Path) -> Command {
    command
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", project_target())
        .env("CARGO_NET_OFFLINE", "true")
        .env("CARGO_PROFILE_DEV_DEBUG", "line-tables-only");
    command
}

/// `arbor new`, with the workspace's lock file so that it builds with the same versions.
fn new_project(name: &str) -> PathBuf {
    new_project_from(name, "minimal")
}

fn new_project_from(name: &str, template: &str) -> PathBuf {
    let dir = scratch(name);
    let output = arbor()
        .arg("new")
        .arg(&dir)
        .args(["--template", template])
        .output()
        .expect("arbor new");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock")).expect("lock file");
    dir
}

/// `cargo test` in a project `arbor new` wrote: the output, after asserting it passed.
fn cargo_test(dir: &Path) -> String {
    let test = in_project(Command::new(env!("CARGO")), dir)
        .arg("test")
        .output()
        .expect("cargo test");
    let text = String::from_utf8_lossy(&test.stdout).into_owned();
    assert!(
        test.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&test.stderr)
    );
    text
}

#[test]
fn new_writes_a_project_that_passes_its_tests() {
    let dir = new_project("fresh");
    let text = cargo_test(&dir);
    assert!(text.contains("test serves_its_routes ... ok"), "{text}");
    // A folder whose name is no package name: refused, and nothing is written.
    let numbered = scratch("1st");
    let refused = arbor()
        .arg("new")
        .arg(&numbered)
        .output()
        .expect("arbor new");
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("must start with a letter"));
    assert!(!numbered.exists());
    // A second time into the same folder: refused, and nothing is touched.
    let again = arbor().arg("new").arg(&dir).output().expect("arbor new");
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("is not empty"));
}

#[test]
fn the_api_template_is_the_comments_api_behind_a_proxy() {
    let dir = new_project_from("api", "api");
    let text = cargo_test(&dir);
    assert!(
        text.contains("test comments_from_list_to_delete ... ok"),
        "{text}"
    );
    let routes = stdout(&run_in(&dir, &["routes"]));
    let rows: Vec<String> = routes
        .lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    for row in [
        "/comments/[id] route dynamic GET DELETE PATCH (HEAD OPTIONS) yes app/comments/[id]/route.rs",
        "/openapi.json openapi static GET (HEAD OPTIONS) no arbor.config.rs",
    ] {
        assert!(rows.iter().any(|r| r == row), "{row}\n{routes}");
    }

    // Its API documents itself: written, checked, stale after an edit, and a client.
    let openapi = |args: &[&str]| {
        in_project(arbor(), &dir)
            .args(args)
            .env("NO_COLOR", "1")
            .output()
            .expect("arbor runs")
    };
    let said = |o: &Output| String::from_utf8_lossy(&o.stderr).into_owned();
    let missing = openapi(&["openapi", "--check"]);
    assert!(!missing.status.success());
    assert!(
        said(&missing).contains("run `arbor openapi` to write it"),
        "{}",
        said(&missing)
    );
    let written = openapi(&["openapi"]);
    assert!(written.status.success(), "{}", said(&written));
    let document: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("openapi.json")).expect("openapi.json"),
    )
    .expect("JSON");
    arbor_test_support::openapi::validate_document(&document, "api-template");
    assert_eq!(
        document["paths"]["/comments"]["post"]["x-arbor-proxy"],
        "yes"
    );
    let checked = openapi(&["openapi", "--check"]);
    assert!(checked.status.success(), "{}", said(&checked));
    let route = dir.join("app/comments/route.rs");
    let source = std::fs::read_to_string(&route).expect("route.rs");
    std::fs::write(
        &route,
        source.replace("/// Lists the comments.", "/// Every comment."),
    )
    .expect("edit route.rs");
    let stale = openapi(&["openapi", "--check"]);
    assert!(!stale.status.success());
    assert!(
        said(&stale).contains("no longer matches the routes of app/")
            && said(&stale).contains("now `\"summary\": \"Every comment.\",`"),
        "{}",
        said(&stale)
    );
    let client = openapi(&["client", "--ts", "web"]);
    assert!(client.status.success(), "{}", said(&client));
    let ts = std::fs::read_to_string(dir.join("web/client.ts")).expect("client.ts");
    assert!(
        ts.contains("    /** Every comment. */\n    getComments: (query?: {"),
        "{ts}"
    );
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// One request on a new connection: the status and the body, or why it failed.
fn get(port: u16) -> Result<(u16, String), String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(|e| e.to_string())?;
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .map_err(|e| e.to_string())?;
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .map_err(|e| e.to_string())?;
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("no status in {response:?}"))?;
    let body = response
        .split("\r\n\r\n")
        .nth(1)
        .unwrap_or_default()
        .to_owned();
    Ok((status, body))
}

/// `arbor dev`, stopped by its PID when dropped.
struct Dev(Child);

impl Dev {
    /// `arbor dev --port port` in `dir`, its stderr into `log`.
    fn start(dir: &Path, port: u16, log: &Path) -> Dev {
        Dev(in_project(arbor(), dir)
            .args(["dev", "--port", &port.to_string()])
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(log).expect("log"))
            .spawn()
            .expect("arbor dev"))
    }
}

impl Drop for Dev {
    fn drop(&mut self) {
        if let Some(pid) = rustix::process::Pid::from_raw(self.0.id() as i32) {
            let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
        }
        let _ = self.0.wait();
    }
}

/// Requests `/` every 10 ms until `until` says stop; returns every failure.
fn request_loop(port: u16, stop: std::sync::Arc<std::sync::atomic::AtomicBool>) -> Vec<String> {
    let mut failures = Vec::new();
    while !stop.load(std::sync::atomic::Ordering::SeqCst) {
        match get(port) {
            Ok((status, _)) if status < 500 => {}
            Ok((status, body)) => failures.push(format!("{status}: {body}")),
            Err(err) => failures.push(err),
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    failures
}

fn wait_for_body(port: u16, body: &str, within: Duration) -> Duration {
    let started = Instant::now();
    while started.elapsed() < within {
        if let Ok((200, got)) = get(port) {
            if got == body {
                return started.elapsed();
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("`{body}` was not served within {within:?}");
}

#[test]
fn dev_reloads_without_dropping_a_request_and_keeps_serving_through_a_failed_build() {
    let dir = new_project("dev");
    let port = free_port();
    let log = dir.with_extension("log");
    let dev = Dev::start(&dir, port, &log);
    wait_for_body(port, "Hello from Arbor", Duration::from_secs(600));

    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let looping = {
        let stop = stop.clone();
        std::thread::spawn(move || request_loop(port, stop))
    };
    let route = dir.join("app/route.rs");
    let original = std::fs::read_to_string(&route).expect("route");
    // An edit: the new body is served.
    std::fs::write(&route, original.replace("Hello from Arbor", "Hello again")).expect("edit");
    wait_for_body(port, "Hello again", Duration::from_secs(120));
    // A broken edit: the error is printed, the previous server goes on answering.
    std::fs::write(
        &route,
        original.replace("Response::text(\"Hello from Arbor\")", "Response::text("),
    )
    .expect("edit");
    let deadline = Instant::now() + Duration::from_secs(120);
    while !std::fs::read_to_string(&log)
        .unwrap_or_default()
        .contains("still serving the previous build")
    {
        assert!(Instant::now() < deadline, "no build failure reported");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(get(port), Ok((200, "Hello again".to_owned())));
    let printed = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(
        printed.contains("app/route.rs:"),
        "the error names the file: {printed}"
    );
    // Fixed again: served.
    std::fs::write(&route, original.replace("Hello from Arbor", "Hello, fixed")).expect("edit");
    wait_for_body(port, "Hello, fixed", Duration::from_secs(120));

    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let failures = looping.join().expect("request loop");
    assert!(
        failures.is_empty(),
        "failed requests across reloads: {failures:?}"
    );
    drop(dev);
    // A second `arbor dev` on a port in use says so.
    let busy = TcpListener::bind("127.0.0.1:0").expect("bind");
    let busy_port = busy.local_addr().expect("addr").port();
    let output = arbor()
        .args(["dev", "--port", &busy_port.to_string()])
        .current_dir(&dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("arbor dev");
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains(&format!("port {busy_port} on 127.0.0.1 is in use")),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn dev_starts_once_a_broken_app_is_fixed() {
    let dir = new_project("dev-broken");
    let route = dir.join("app/route.rs");
    let original = std::fs::read_to_string(&route).expect("route");
    std::fs::write(
        &route,
        original.replace("Response::text(\"Hello from Arbor\")", "Response::text("),
    )
    .expect("edit");
    let port = free_port();
    let log = dir.with_extension("log");
    let _dev = Dev::start(&dir, port, &log);
    let deadline = Instant::now() + Duration::from_secs(600);
    while !std::fs::read_to_string(&log)
        .unwrap_or_default()
        .contains("the build failed")
    {
        assert!(Instant::now() < deadline, "no build failure reported");
        std::thread::sleep(Duration::from_millis(50));
    }
    // Nothing serves yet, but the port is held: a connection waits for the first server.
    std::fs::write(&route, &original).expect("fix");
    wait_for_body(port, "Hello from Arbor", Duration::from_secs(120));
    assert!(std::fs::read_to_string(&log)
        .unwrap_or_default()
        .contains(&format!("serving dev-broken at http://localhost:{port}")));
}
