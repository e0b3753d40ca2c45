//! Replays the exchanges recorded from real Next.js (`shared/conformance/cases.json`) against
//! the mirror app and compares them as `shared/conformance/README.md` says.
//!
//! Deliberate deviations come from `conformance/DEVIATIONS.md`; cases waiting for a capability
//! Arbor does not have yet come from `conformance/PENDING.md`. The test fails on any other
//! failure, and when a pending case passes (take it off the list then).
//!
//! `cargo test -p conformance-app --test replay -- --nocapture` prints every line.
//! `ARBOR_CONFORMANCE_CASES=path/to/cases.json` replays another recording.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioIo};
use serde_json::{json, Map, Value};

const RECORDED_APP: &str = "4010";
const RECORDED_UPSTREAM: &str = "4011";

fn conformance_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `ARBOR_CONFORMANCE_CASES`, else `shared/conformance/cases.json` beside the checkout (or in it).
fn cases_path() -> PathBuf {
    if let Some(path) = std::env::var_os("ARBOR_CONFORMANCE_CASES") {
        return PathBuf::from(path);
    }
    let beside = conformance_dir().join("../../shared/conformance/cases.json");
    let inside = conformance_dir().join("../shared/conformance/cases.json");
    if inside.exists() && !beside.exists() {
        inside
    } else {
        beside
    }
}

/// One deliberate deviation: the cases it covers, why, and the patch to their expectations.
struct Deviation {
    case: String,
    why: String,
    patch: Value,
}

/// Rows of the table in `DEVIATIONS.md`: `| case | Next.js | Arbor | why | expect patch |`.
fn deviations() -> Vec<Deviation> {
    let path = conformance_dir().join("DEVIATIONS.md");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut out = Vec::new();
    for line in text.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
        assert_eq!(cells.len(), 5, "DEVIATIONS.md row has 5 cells: {line}");
        let patch_text = cells[4].trim_matches('`');
        let patch: Value = serde_json::from_str(patch_text)
            .unwrap_or_else(|e| panic!("DEVIATIONS.md: bad patch for {}: {e}", cells[0]));
        for case in cells[0].split("`, `") {
            out.push(Deviation {
                case: case.trim_matches('`').to_owned(),
                why: cells[3].to_owned(),
                patch: patch.clone(),
            });
        }
    }
    out
}

/// `PENDING.md`: `## capability` headings, each followed by `- case name` lines.
fn pending() -> BTreeMap<String, String> {
    let path = conformance_dir().join("PENDING.md");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut out = BTreeMap::new();
    let mut capability = String::new();
    for line in text.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            capability = heading.trim().to_owned();
        } else if let Some(case) = line.strip_prefix("- ") {
            let case = case.trim().trim_matches('`').to_owned();
            assert!(
                !capability.is_empty(),
                "PENDING.md: `{case}` is under no capability"
            );
            out.insert(case, capability.clone());
        }
    }
    out
}

/// JSON merge patch (RFC 7386), except that `absentHeaders` entries are added to the list.
fn apply_patch(expect: &mut Value, patch: &Value) {
    let (Some(target), Some(patch)) = (expect.as_object_mut(), patch.as_object()) else {
        *expect = patch.clone();
        return;
    };
    for (key, value) in patch {
        if key == "absentHeaders" {
            let list = target.entry(key).or_insert_with(|| json!([]));
            if let (Some(list), Some(extra)) = (list.as_array_mut(), value.as_array()) {
                list.extend(extra.iter().cloned());
            }
        } else if value.is_null() {
            target.remove(key);
        } else if value.is_object() && target.get(key).is_some_and(Value::is_object) {
            if let Some(inner) = target.get_mut(key) {
                merge(inner, value);
            }
        } else {
            target.insert(key.clone(), value.clone());
        }
    }
}

fn merge(target: &mut Value, patch: &Value) {
    match (target.as_object_mut(), patch.as_object()) {
        (Some(target), Some(patch)) => {
            for (key, value) in patch {
                if value.is_null() {
                    target.remove(key);
                } else if let Some(inner) = target.get_mut(key) {
                    merge(inner, value);
                } else {
                    target.insert(key.clone(), value.clone());
                }
            }
        }
        _ => *target = patch.clone(),
    }
}

/// Writes recorded and real addresses alike, so they compare equal.
struct Hosts {
    app: String,
    upstream: String,
}

impl Hosts {
    fn actual(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for host in ["localhost", "127.0.0.1"] {
            out = out.replace(&format!("{host}:{}", self.app), "<app>");
            out = out.replace(&format!("{host}:{}", self.upstream), "<upstream>");
        }
        if out == self.app {
            out = "<app-port>".to_owned();
        }
        out
    }

    fn recorded(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for host in ["localhost", "127.0.0.1"] {
            out = out.replace(&format!("{host}:{RECORDED_APP}"), "<app>");
            out = out.replace(&format!("{host}:{RECORDED_UPSTREAM}"), "<upstream>");
        }
        if out == RECORDED_APP {
            out = "<app-port>".to_owned();
        }
        out
    }
}

struct Reply {
    status: u16,
    reason: String,
    headers: hyper::HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn header_values(&self, name: &str) -> Vec<String> {
        self.headers
            .get_all(name)
            .iter()
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .collect()
    }

    fn decoded_body(&self) -> Vec<u8> {
        if self
            .header_values("content-encoding")
            .first()
            .map(String::as_str)
            == Some("gzip")
        {
            let mut out = Vec::new();
            if flate2::read::GzDecoder::new(&self.body[..])
                .read_to_end(&mut out)
                .is_ok()
            {
                return out;
            }
        }
        self.body.clone()
    }
}

fn header_compared(name: &str) -> bool {
    matches!(
        name,
        "content-type"
            | "allow"
            | "location"
            | "cache-control"
            | "set-cookie"
            | "refresh"
            | "content-encoding"
            | "x-nextjs-cache"
    ) || (name.starts_with("x-")
        && !matches!(
            name,
            "x-powered-by" | "x-nextjs-prerender" | "x-nextjs-stale-time"
        ))
}

fn media_type(value: &str) -> String {
    value.to_ascii_lowercase().replace(' ', "")
}

/// A cookie as its name=value and its attributes, the date of `Expires` left out.
fn cookie_parts(cookie: &str) -> (String, Vec<String>) {
    let mut parts = cookie.split(';').map(str::trim);
    let pair = parts.next().unwrap_or_default().to_owned();
    let mut attributes: Vec<String> = parts
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, _)) if k.eq_ignore_ascii_case("expires") => "expires".to_owned(),
            Some((k, v)) => format!("{}={v}", k.to_ascii_lowercase()),
            None => p.to_ascii_lowercase(),
        })
        .collect();
    attributes.sort();
    (pair, attributes)
}

fn compare_json(
    expected: &Value,
    actual: &Value,
    path: &str,
    hosts: &Hosts,
    out: &mut Vec<String>,
) {
    match (expected, actual) {
        (Value::String(e), a) if e == "<timestamp>" => {
            if !a.is_number() {
                out.push(format!("{path}: expected a timestamp, got {a}"));
            }
        }
        (Value::String(e), Value::String(a)) => {
            if hosts.recorded(e) != hosts.actual(a) {
                out.push(format!("{path}: expected {e:?}, got {a:?}"));
            }
        }
        (Value::Object(e), Value::Object(a)) => {
            for (key, value) in e {
                match a.get(key) {
                    Some(actual) => {
                        compare_json(value, actual, &format!("{path}.{key}"), hosts, out)
                    }
                    None => out.push(format!("{path}.{key}: missing")),
                }
            }
            for key in a.keys().filter(|k| !e.contains_key(*k)) {
                out.push(format!("{path}.{key}: not expected"));
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                out.push(format!(
                    "{path}: expected {} items, got {}: {actual}",
                    e.len(),
                    a.len()
                ));
                return;
            }
            for (i, (e, a)) in e.iter().zip(a).enumerate() {
                compare_json(e, a, &format!("{path}[{i}]"), hosts, out);
            }
        }
        (e, a) => {
            if e != a {
                out.push(format!("{path}: expected {e}, got {a}"));
            }
        }
    }
}

/// Every difference between what the case expects and what came back.
fn compare(
    expect: &Value,
    reply: &Reply,
    hosts: &Hosts,
    earlier: &HashMap<String, Value>,
) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(status) = expect["status"].as_u64() {
        if u64::from(reply.status) != status {
            out.push(format!("status: expected {status}, got {}", reply.status));
        }
    }
    if let Some(text) = expect["statusText"].as_str() {
        if reply.reason != text {
            out.push(format!(
                "status text: expected {text:?}, got {:?}",
                reply.reason
            ));
        }
    }
    let empty = Map::new();
    let headers = expect["headers"].as_object().unwrap_or(&empty);
    for (name, value) in headers.iter().filter(|(n, _)| header_compared(n)) {
        let actual = reply.header_values(name);
        if name == "set-cookie" {
            let expected: Vec<(String, Vec<String>)> = value
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(cookie_parts)
                        .collect()
                })
                .unwrap_or_default();
            let got: Vec<(String, Vec<String>)> = actual.iter().map(|c| cookie_parts(c)).collect();
            if expected != got {
                out.push(format!("set-cookie: expected {value}, got {actual:?}"));
            }
            continue;
        }
        let expected = value.as_str().unwrap_or_default();
        let matches = match actual.as_slice() {
            [one] if name == "content-type" => media_type(one) == media_type(expected),
            [one] => hosts.actual(one) == hosts.recorded(expected),
            _ => false,
        };
        if !matches {
            out.push(format!("{name}: expected {expected:?}, got {actual:?}"));
        }
    }
    for name in expect["absentHeaders"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if matches!(name, "etag" | "x-powered-by") || headers.contains_key(name) {
            continue;
        }
        if reply.headers.contains_key(name) {
            out.push(format!(
                "{name}: expected absent, got {:?}",
                reply.header_values(name)
            ));
        }
    }
    let body = reply.decoded_body();
    if let Some(expected) = expect.get("json") {
        match serde_json::from_slice::<Value>(&body) {
            Ok(actual) => compare_json(expected, &actual, "json", hosts, &mut out),
            Err(_) => out.push(format!(
                "body: expected JSON, got {:?}",
                String::from_utf8_lossy(&body)
            )),
        }
    }
    if let Some(expected) = expect["body"].as_str() {
        let actual = String::from_utf8_lossy(&body);
        if hosts.recorded(expected) != hosts.actual(&actual) {
            out.push(format!("body: expected {expected:?}, got {actual:?}"));
        }
    }
    match expect["bodyKind"].as_str() {
        Some("html") => {
            let text = String::from_utf8_lossy(&body);
            for marker in expect["bodyContains"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                if !text.contains(marker) {
                    out.push(format!("body: HTML without {marker:?}"));
                }
            }
        }
        Some("binary") => {
            let magic: String = body.iter().take(8).map(|b| format!("{b:02x}")).collect();
            if Some(magic.as_str()) != expect["bodyMagic"].as_str() {
                out.push(format!(
                    "body: expected magic {}, got {magic}",
                    expect["bodyMagic"]
                ));
            }
        }
        _ => {}
    }
    if let Some(timestamps) = expect["timestamps"].as_object() {
        let actual: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        for (field, rule) in timestamps {
            let compared_to = rule["comparedTo"].as_str().unwrap_or_default();
            let before = earlier.get(compared_to).map(|v| &v[field]);
            let changed = before != Some(&actual[field]);
            if Some(changed) != rule["changed"].as_bool() {
                out.push(format!(
                    "timestamps.{field}: expected changed={} against `{compared_to}`, got {} then {}",
                    rule["changed"],
                    before.unwrap_or(&Value::Null),
                    actual[field]
                ));
            }
        }
    }
    out
}

/// The upstream of the README: 200, `x-upstream: yes`, and a JSON echo of the request.
async fn upstream(listener: tokio::net::TcpListener) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        tokio::spawn(async move {
            let service = hyper::service::service_fn(|req: hyper::Request<Incoming>| async move {
                let (parts, body) = req.into_parts();
                let body = body
                    .collect()
                    .await
                    .map(|b| b.to_bytes())
                    .unwrap_or_default();
                let mut headers = BTreeMap::new();
                for (name, value) in &parts.headers {
                    let name = name.as_str();
                    if name.starts_with("x-") || name == "host" || name == "accept-encoding" {
                        headers.insert(
                            name.to_owned(),
                            String::from_utf8_lossy(value.as_bytes()).into_owned(),
                        );
                    }
                }
                let answer = json!({
                    "upstream": true,
                    "method": parts.method.as_str(),
                    "url": parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/"),
                    "headers": headers,
                    "body": String::from_utf8_lossy(&body),
                });
                hyper::Response::builder()
                    .header("content-type", "application/json")
                    .header("x-upstream", "yes")
                    .body(Full::new(Bytes::from(answer.to_string())))
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// The mirror app, started as other tooling starts it: `PORT`, `HOSTNAME`, `UPSTREAM_URL`.
struct App {
    child: Child,
    addr: SocketAddr,
}

impl App {
    fn start(upstream: SocketAddr) -> App {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let child = Command::new(env!("CARGO_BIN_EXE_conformance-app"))
            .env("PORT", port.to_string())
            .env("HOSTNAME", "127.0.0.1")
            .env("UPSTREAM_URL", format!("http://{upstream}"))
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start conformance-app");
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(addr).is_err() {
            assert!(
                Instant::now() < deadline,
                "conformance-app did not start listening"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        App { child, addr }
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn replay_recorded_exchanges() {
    let path = cases_path();
    let cases: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!("cannot read the recorded cases at {}: {e}", path.display())
        }))
        .expect("cases.json is JSON");
    let deviations = deviations();
    let pending = pending();
    let names: Vec<&str> = cases.iter().filter_map(|c| c["name"].as_str()).collect();
    for name in deviations
        .iter()
        .map(|d| d.case.as_str())
        .chain(pending.keys().map(String::as_str))
    {
        assert!(names.contains(&name), "`{name}` is not a recorded case");
    }

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind upstream");
    let upstream_addr = listener.local_addr().expect("upstream address");
    tokio::spawn(upstream(listener));
    let app = App::start(upstream_addr);
    let hosts = Hosts {
        app: app.addr.port().to_string(),
        upstream: upstream_addr.port().to_string(),
    };
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();

    let mut earlier: HashMap<String, Value> = HashMap::new();
    let (mut passed, mut failed) = (0, 0);
    let mut unexpected = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap_or_default();
        let request = &case["request"];
        if let Some(ms) = request["delayMs"].as_u64() {
            tokio::time::sleep(Duration::from_millis(ms)).await;
        }
        let mut expect = case["expect"].clone();
        for deviation in deviations.iter().filter(|d| d.case == name) {
            apply_patch(&mut expect, &deviation.patch);
            println!("deviation: {name}: {}", deviation.why);
        }

        let mut builder = hyper::Request::builder()
            .method(request["method"].as_str().unwrap_or("GET"))
            .uri(format!(
                "http://{}{}",
                app.addr,
                request["path"].as_str().unwrap_or("/")
            ));
        for (key, value) in request["headers"].as_object().into_iter().flatten() {
            builder = builder.header(key.as_str(), value.as_str().unwrap_or_default());
        }
        let body = request["body"].as_str().unwrap_or_default().to_owned();
        let reply = match builder.body(Full::new(Bytes::from(body))) {
            Ok(req) => match client.request(req).await {
                Ok(response) => {
                    let (parts, body) = response.into_parts();
                    let body = body
                        .collect()
                        .await
                        .map(|b| b.to_bytes().to_vec())
                        .unwrap_or_default();
                    let reason = parts
                        .extensions
                        .get::<hyper::ext::ReasonPhrase>()
                        .map(|r| String::from_utf8_lossy(r.as_bytes()).into_owned())
                        .or_else(|| parts.status.canonical_reason().map(str::to_owned))
                        .unwrap_or_default();
                    Ok(Reply {
                        status: parts.status.as_u16(),
                        reason,
                        headers: parts.headers,
                        body,
                    })
                }
                Err(err) => Err(format!("request failed: {err}")),
            },
            Err(err) => Err(format!("request could not be built: {err}")),
        };
        let differences = match &reply {
            Ok(reply) => compare(&expect, reply, &hosts, &earlier),
            Err(err) => vec![err.clone()],
        };
        if let Ok(reply) = &reply {
            if let Ok(json) = serde_json::from_slice::<Value>(&reply.decoded_body()) {
                earlier.insert(name.to_owned(), json);
            }
        }

        let waiting = pending.get(name);
        match (differences.is_empty(), waiting) {
            (true, None) => passed += 1,
            (true, Some(capability)) => {
                passed += 1;
                println!("now passing: {name} (listed as pending on {capability}): remove it from PENDING.md");
                unexpected.push(format!("{name}: passes but is listed as pending"));
            }
            (false, Some(capability)) => {
                failed += 1;
                println!("pending ({capability}): {name}: {}", differences.join("; "));
            }
            (false, None) => {
                failed += 1;
                println!("FAILED: {name}: {}", differences.join("; "));
                unexpected.push(format!("{name}: {}", differences.join("; ")));
            }
        }
    }
    println!(
        "{} of the failures are pending, {} deviation(s) applied",
        failed
            - unexpected
                .iter()
                .filter(|u| !u.ends_with("listed as pending"))
                .count(),
        deviations.len()
    );
    println!("{passed} passed, {failed} failed");
    drop(app);
    assert!(
        unexpected.is_empty(),
        "{} unexpected result(s):\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
}
