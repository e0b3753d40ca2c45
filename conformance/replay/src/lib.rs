//! Replays the exchanges recorded from real Next.js (`shared/conformance/cases.json`, and
//! `wave2/`) against an Arbor mirror app and compares them as `shared/conformance/README.md`
//! and `wave2/REPLAY.md` say.
//!
//! Deliberate deviations come from the recording's `DEVIATIONS.md`; cases waiting for a
//! capability Arbor does not have yet come from its `PENDING.md`. A replay fails on any other
//! failure, and when a pending case passes (take it off the list then).

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioIo};
use serde_json::{json, Map, Value};

/// One recording to replay, and the mirror app it is replayed against.
#[derive(Debug, Clone)]
pub struct Recording {
    /// The recorded cases, in order.
    pub cases: PathBuf,
    /// The folder of `DEVIATIONS.md` and `PENDING.md` for this recording.
    pub notes: PathBuf,
    /// The mirror app's binary, started with `PORT`, `HOSTNAME` and `UPSTREAM_URL`.
    pub app: PathBuf,
    /// The port Next.js listened on while recording (`4010`).
    pub recorded_app_port: &'static str,
    /// The port of the recording's upstream (`4011`).
    pub recorded_upstream_port: &'static str,
    /// Whether the cases use the wave-2 additions (`REPLAY.md`, E1–E5): headers copied from
    /// earlier answers, `<present>` cookie values, streaming and framing, the CORS, range
    /// and `Last-Modified` headers.
    pub wave2: bool,
}

/// The recorded file `rel` of `shared/conformance/`, beside the checkout (or inside it), or
/// `env` when set. `crate_dir` is a package two levels below the checkout's root.
pub fn shared_file(crate_dir: &Path, rel: &str, env: &str) -> PathBuf {
    if let Some(path) = std::env::var_os(env) {
        return PathBuf::from(path);
    }
    let root = crate_dir.join("../..");
    let beside = root.join("../shared/conformance").join(rel);
    let inside = root.join("shared/conformance").join(rel);
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
fn deviations(notes: &Path) -> Vec<Deviation> {
    let path = notes.join("DEVIATIONS.md");
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
fn pending(notes: &Path) -> BTreeMap<String, String> {
    let path = notes.join("PENDING.md");
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
    recorded_app: &'static str,
    recorded_upstream: &'static str,
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
            out = out.replace(&format!("{host}:{}", self.recorded_app), "<app>");
            out = out.replace(&format!("{host}:{}", self.recorded_upstream), "<upstream>");
        }
        if out == self.recorded_app {
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
    /// How long after the first piece of the body the last one arrived.
    spread: Duration,
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

fn header_compared(name: &str, wave2: bool) -> bool {
    if wave2
        && (name.starts_with("access-control-")
            || matches!(name, "content-range" | "accept-ranges" | "last-modified"))
    {
        return true;
    }
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
    wave2: bool,
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
    for (name, value) in headers.iter().filter(|(n, _)| header_compared(n, wave2)) {
        let actual = reply.header_values(name);
        if wave2 && name == "last-modified" {
            // The recording pinned its files' modification time; this checkout's files keep
            // their own (REPLAY.md, E5): compared by presence.
            if actual.len() != 1 {
                out.push(format!("last-modified: expected one, got {actual:?}"));
            }
            continue;
        }
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
            let mut got: Vec<(String, Vec<String>)> =
                actual.iter().map(|c| cookie_parts(c)).collect();
            // E2: `NAME=<present>` matches any non-empty value.
            for ((expected_pair, _), (got_pair, _)) in expected.iter().zip(got.iter_mut()) {
                if let Some(name) = expected_pair.strip_suffix("=<present>") {
                    let value = got_pair.strip_prefix(&format!("{name}="));
                    if value.is_some_and(|v| !v.is_empty()) {
                        *got_pair = expected_pair.clone();
                    }
                }
            }
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
        // E4: how a body is delimited is informative, but for a stream.
        if wave2 && name == "content-length" && expect.get("streaming").is_none() {
            continue;
        }
        if reply.headers.contains_key(name) {
            out.push(format!(
                "{name}: expected absent, got {:?}",
                reply.header_values(name)
            ));
        }
    }
    if wave2 {
        for name in reply.headers.keys().map(|n| n.as_str()) {
            if name.starts_with("access-control-") && !headers.contains_key(name) {
                out.push(format!("{name}: not expected"));
            }
        }
        if let Some(streaming) = expect.get("streaming") {
            if expect["framing"].as_str() == Some("chunked")
                && reply.headers.contains_key("content-length")
            {
                out.push("framing: a stream sent with content-length".to_owned());
            }
            let incremental = reply.spread >= Duration::from_millis(300);
            if streaming["incremental"].as_bool() != Some(incremental) {
                out.push(format!(
                    "streaming: expected incremental={}, the body came over {:?}",
                    streaming["incremental"], reply.spread
                ));
            }
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
    fn start(binary: &Path, upstream: SocketAddr) -> App {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let child = Command::new(binary)
            .env("PORT", port.to_string())
            .env("HOSTNAME", "127.0.0.1")
            .env("UPSTREAM_URL", format!("http://{upstream}"))
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(addr).is_err() {
            assert!(
                Instant::now() < deadline,
                "{} did not start listening",
                binary.display()
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

/// Replays `recording` against a freshly started mirror app; panics on any failure that is
/// neither a listed deviation nor pending, and on a pending case that passes.
pub async fn replay(recording: Recording) {
    let path = recording.cases.clone();
    let cases: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!("cannot read the recorded cases at {}: {e}", path.display())
        }))
        .expect("cases.json is JSON");
    let deviations = deviations(&recording.notes);
    let pending = pending(&recording.notes);
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
    let app = App::start(&recording.app, upstream_addr);
    let hosts = Hosts {
        app: app.addr.port().to_string(),
        upstream: upstream_addr.port().to_string(),
        recorded_app: recording.recorded_app_port,
        recorded_upstream: recording.recorded_upstream_port,
    };
    let mut answered: HashMap<String, hyper::HeaderMap> = HashMap::new();
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
        let copied = copied_headers(request, &answered);
        let no_copy = HashMap::new();
        for (key, value) in request["headers"].as_object().into_iter().flatten() {
            let value = copied
                .as_ref()
                .unwrap_or(&no_copy)
                .get(key.as_str())
                .map(String::as_str)
                .unwrap_or(value.as_str().unwrap_or_default());
            builder = builder.header(key.as_str(), value);
        }
        let body = request["body"].as_str().unwrap_or_default().to_owned();
        let reply = match builder.body(Full::new(Bytes::from(body))) {
            // E1: a case whose headers come from an earlier answer that lacks them fails.
            _ if copied.is_err() => Err(copied.clone().err().unwrap_or_default()),
            Ok(req) => match client.request(req).await {
                Ok(response) => {
                    let (parts, mut body) = response.into_parts();
                    let (body, spread) = read_timed(&mut body).await;
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
                        spread,
                    })
                }
                Err(err) => Err(format!("request failed: {err}")),
            },
            Err(err) => Err(format!("request could not be built: {err}")),
        };
        let differences = match &reply {
            Ok(reply) => compare(&expect, reply, &hosts, &earlier, recording.wave2),
            Err(err) => vec![err.clone()],
        };
        if let Ok(reply) = &reply {
            answered.insert(name.to_owned(), reply.headers.clone());
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

/// The body as it arrives, and how long after its first piece the last one came.
async fn read_timed(body: &mut Incoming) -> (Vec<u8>, Duration) {
    let mut out = Vec::new();
    let mut first = None;
    let mut last = None;
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else {
            break;
        };
        if let Ok(data) = frame.into_data() {
            if data.is_empty() {
                continue;
            }
            let now = Instant::now();
            first.get_or_insert(now);
            last = Some(now);
            out.extend_from_slice(&data);
        }
    }
    let spread = match (first, last) {
        (Some(first), Some(last)) => last - first,
        _ => Duration::ZERO,
    };
    (out, spread)
}

/// E1: the request headers a case takes from the answer to an earlier one.
fn copied_headers(
    request: &Value,
    answered: &HashMap<String, hyper::HeaderMap>,
) -> Result<HashMap<String, String>, String> {
    let mut out = HashMap::new();
    for (header, spec) in request["from"].as_object().into_iter().flatten() {
        let case = spec["case"].as_str().unwrap_or_default();
        let headers = answered
            .get(case)
            .ok_or_else(|| format!("`{case}` has no answer to copy `{header}` from"))?;
        let value = if let Some(name) = spec["header"].as_str() {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        } else if let Some(cookie) = spec["setCookie"].as_str() {
            headers
                .get_all("set-cookie")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .find_map(|line| {
                    let value = line.strip_prefix(&format!("{cookie}="))?;
                    Some(value.split(';').next().unwrap_or_default().to_owned())
                })
        } else {
            None
        };
        let value =
            value.ok_or_else(|| format!("the answer to `{case}` has nothing for `{header}`"))?;
        let template = spec["template"].as_str().unwrap_or("{}");
        out.insert(header.clone(), template.replace("{}", &value));
    }
    Ok(out)
}
