//! `arbor routes`: the table `next build` prints, from the same model the router is generated
//! from, and `arbor build`.

use std::process::Command;

use arbor_build::model::{AppModel, Endpoint, Kind, MetadataRoute, Method, SegmentConfig};
use serde_json::json;

use crate::error::CliError;
use crate::project::{cargo, Project};
use crate::{style, Result};

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The URL pattern (`/comments/[id]`).
    pub pattern: String,
    /// `route`, `page`, `metadata`, `file` (a static metadata file), `openapi` (the served
    /// document), or one of `arbor.config.rs`'s rules: `redirect`, `rewrite`, `headers`.
    pub what: &'static str,
    /// `dynamic`, `static`, `ISR 60s`, `static params`.
    pub kind: String,
    /// The methods it answers itself.
    pub methods: Vec<String>,
    /// The methods Arbor answers for it (HEAD from GET, OPTIONS).
    pub automatic: Vec<String>,
    /// Whether the middleware runs for it: `yes`, `no`, or `when …` for a matcher with
    /// conditions.
    pub proxy: String,
    /// The file, relative to the crate.
    pub file: String,
}

/// Prints the table, or the JSON.
pub fn run(package: Option<&str>, as_json: bool) -> Result {
    let project = Project::find(package)?;
    let rows = rows_of(&model(&project)?);
    if as_json {
        println!("{}", to_json(&rows));
    } else {
        print!("{}", table(&rows));
    }
    Ok(())
}

/// `arbor build`: a release build, then the table.
pub fn build(package: Option<&str>) -> Result {
    let project = Project::find(package)?;
    let started = std::time::Instant::now();
    eprintln!("building {} for release...", project.name);
    let status = Command::new(cargo())
        .args(["build", "--release", "-p", &project.name])
        .status()?;
    if !status.success() {
        return Err(CliError::new(
            "the release build failed (the compiler's errors are above)",
        ));
    }
    eprintln!(
        "{} built in {:.1} s: {}",
        style::ok("✓"),
        started.elapsed().as_secs_f64(),
        project
            .target_dir
            .join("release")
            .join(&project.bin)
            .display()
    );
    let binary = project.target_dir.join("release").join(&project.bin);
    eprintln!("rendering the static routes...");
    let times = prerender_times(&project, &binary)?;
    let mut rows = rows_of(&model(&project)?);
    for row in &mut rows {
        if let Some((paths, micros)) = times.get(&row.pattern) {
            let took = if *micros < 1000 {
                format!("{micros} µs")
            } else {
                format!("{:.1} ms", *micros as f64 / 1000.0)
            };
            let noun = if *paths == 1 { "path" } else { "paths" };
            row.kind = format!("{} ({paths} {noun}, {took})", row.kind);
        }
    }
    print!("{}", table(&rows));
    Ok(())
}

/// Starts the release server on a free loopback port until it is ready, and reads from its
/// log how long each static route took to render: paths and microseconds, by route.
fn prerender_times(
    project: &Project,
    binary: &std::path::Path,
) -> Result<std::collections::HashMap<String, (usize, u64)>> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let notify = crate::dev::Notify::bind("build")?;
    let port = listener.local_addr()?.port().to_string();
    // A file rather than a pipe: a server that logs much would fill a pipe nobody reads yet.
    let log_path = std::env::temp_dir().join(format!("arbor-build-{}.log", std::process::id()));
    let log_file = std::fs::File::create(&log_path)?;
    let server = crate::dev::start_server(
        binary,
        &project.root,
        &listener,
        &notify,
        &[
            ("PORT", port),
            ("HOSTNAME", "127.0.0.1".to_owned()),
            ("RUST_LOG", "warn,arbor::prerender=debug".to_owned()),
        ],
        std::process::Stdio::from(log_file),
    )?;
    crate::dev::stop_server(Some(server));
    let log = std::fs::read_to_string(&log_path).unwrap_or_default();
    let _ = std::fs::remove_file(&log_path);
    let mut times = std::collections::HashMap::new();
    for line in log.lines() {
        let field = |name: &str| {
            line.split_whitespace()
                .find_map(|w| w.strip_prefix(name))
                .map(|v| v.trim_matches('"').to_owned())
        };
        if !line.contains("prerendered") {
            continue;
        }
        let (Some(route), Some(micros)) = (field("route="), field("micros=")) else {
            continue;
        };
        let entry = times.entry(route).or_insert((0usize, 0u64));
        entry.0 += 1;
        entry.1 += micros.parse::<u64>().unwrap_or(0);
    }
    Ok(times)
}

/// The app's model, as `build.rs` reads it.
pub fn model(project: &Project) -> Result<AppModel> {
    arbor_build::Builder::new(&project.root)
        .model()
        .map_err(|e| CliError::new(e.to_string()))
}

/// Every row: routes and pages in folder order, then metadata files.
pub fn rows_of(model: &AppModel) -> Vec<Row> {
    let mut rows: Vec<Row> = model
        .endpoints
        .iter()
        .map(|e| endpoint_row(model, e))
        .collect();
    rows.extend(model.metadata.iter().map(|m| metadata_row(model, m)));
    rows.extend(model.static_files.iter().map(|f| Row {
        pattern: f.pattern.clone(),
        what: "file",
        kind: "static".to_owned(),
        methods: vec!["GET".to_owned()],
        automatic: vec!["HEAD".to_owned()],
        proxy: proxy_for(model, &f.pattern),
        file: display(&f.file.rel),
    }));
    rows.extend(openapi_row(model));
    rows.sort_by(|a, b| a.pattern.cmp(&b.pattern));
    rows.extend(config_rows(model));
    rows
}

/// The OpenAPI document, where `arbor.config.rs` serves it: built once, as the router is.
fn openapi_row(model: &AppModel) -> Option<Row> {
    let config = &model.config;
    let path = config.openapi.as_ref()?.serve.as_ref()?;
    Some(Row {
        pattern: path.clone(),
        what: "openapi",
        kind: "static".to_owned(),
        methods: vec!["GET".to_owned()],
        automatic: vec!["HEAD".to_owned(), "OPTIONS".to_owned()],
        proxy: proxy_for(model, path),
        file: display(&config.file.as_ref()?.rel),
    })
}

/// The rules of `arbor.config.rs`, in the order they apply: redirects, rewrites by phase,
/// headers. `kind` says where a rule sends the request, or the headers it sets.
fn config_rows(model: &AppModel) -> Vec<Row> {
    let config = &model.config;
    let Some(file) = &config.file else {
        return Vec::new();
    };
    let row = |source: &str, what: &'static str, kind: String, proxy: String| Row {
        pattern: source.to_owned(),
        what,
        kind,
        methods: Vec::new(),
        automatic: Vec::new(),
        proxy,
        file: display(&file.rel),
    };
    let mut rows: Vec<Row> = config
        .redirects
        .iter()
        .map(|r| {
            let kind = format!("{} → {}", r.status, r.destination);
            // A redirect answers before the middleware could run.
            row(&r.rule.source, "redirect", kind, "no".to_owned())
        })
        .collect();
    for (phase, list) in [
        ("before files", &config.before_files),
        ("after files", &config.after_files),
        ("fallback", &config.fallback),
    ] {
        rows.extend(list.iter().map(|r| {
            let kind = format!("{phase} → {}", r.destination);
            row(
                &r.rule.source,
                "rewrite",
                kind,
                proxy_for(model, &r.rule.source),
            )
        }));
    }
    rows.extend(config.headers.iter().map(|h| {
        let names: Vec<&str> = h.headers.iter().map(|(n, _)| n.as_str()).collect();
        row(
            &h.rule.source,
            "headers",
            names.join(", "),
            proxy_for(model, &h.rule.source),
        )
    }));
    rows
}

fn display(path: &std::path::Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

fn endpoint_row(model: &AppModel, endpoint: &Endpoint) -> Row {
    let pattern = endpoint.pattern();
    let exports = endpoint.exports.clone().unwrap_or_default();
    let (what, methods) = match endpoint.kind {
        Kind::Route => ("route", exports.methods.clone()),
        Kind::Page => ("page", vec![Method::Get]),
    };
    let mut automatic = Vec::new();
    if methods.contains(&Method::Get) && !methods.contains(&Method::Head) {
        automatic.push("HEAD".to_owned());
    }
    if endpoint.kind == Kind::Route && !methods.contains(&Method::Options) {
        automatic.push("OPTIONS".to_owned());
    }
    let has_params = pattern.contains('[');
    let kind = match endpoint.kind {
        Kind::Route => route_kind(&exports.config),
        Kind::Page => {
            let reads = exports.signature("page").is_some_and(|s| s.reads_request());
            if exports.config.any() {
                route_kind(&exports.config)
            } else if reads || has_params {
                "dynamic".to_owned()
            } else {
                "static".to_owned()
            }
        }
    };
    Row {
        proxy: proxy_for(model, &pattern),
        pattern,
        what,
        kind,
        methods: methods.iter().map(|m| m.as_str().to_owned()).collect(),
        automatic,
        file: display(&endpoint.file.rel),
    }
}

/// What a route's segment config makes of its GET.
fn route_kind(config: &SegmentConfig) -> String {
    match (
        config.dynamic_value.as_deref(),
        config.revalidate_value.as_deref(),
    ) {
        (Some("ForceDynamic"), _) | (_, Some("0")) => "dynamic".to_owned(),
        (_, Some("Never")) => "static".to_owned(),
        (_, Some(seconds)) => format!("ISR {seconds}s"),
        _ if config.generate_static_params => "static params".to_owned(),
        (Some("ForceStatic" | "Error"), _) => "static".to_owned(),
        _ => "dynamic".to_owned(),
    }
}

fn metadata_row(model: &AppModel, meta: &MetadataRoute) -> Row {
    let pattern = if meta.generates_ids() {
        format!("{}[id]{}", meta.id_prefix(), meta.id_suffix())
    } else {
        meta.pattern()
    };
    Row {
        proxy: proxy_for(model, &pattern),
        pattern,
        what: "metadata",
        kind: if meta.is_static() {
            "static"
        } else {
            "dynamic"
        }
        .to_owned(),
        methods: vec!["GET".to_owned()],
        automatic: vec!["HEAD".to_owned()],
        file: display(&meta.file.rel),
    }
}

/// Whether the middleware's matcher selects the pattern, tried with `x` for each parameter.
fn proxy_for(model: &AppModel, pattern: &str) -> String {
    let runs = model.middleware.as_ref().map(|m| m.runs_for(pattern));
    runs.map_or("no", |r| r.as_str()).to_owned()
}

/// The rows as a table.
pub fn table(rows: &[Row]) -> String {
    let methods = |r: &Row| {
        let mut text = r.methods.join(" ");
        if !r.automatic.is_empty() {
            text.push_str(&format!(" ({})", r.automatic.join(" ")));
        }
        text
    };
    let headers = ["Route", "Kind", "Methods", "Proxy", "File"];
    let cells: Vec<[String; 5]> = rows
        .iter()
        .map(|r| {
            [
                r.pattern.clone(),
                format!("{} {}", r.what, r.kind),
                methods(r),
                r.proxy.clone(),
                r.file.clone(),
            ]
        })
        .collect();
    let mut widths = headers.map(str::len);
    for row in &cells {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let line = |cells: [&str; 5]| {
        let mut out = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i == 4 {
                out.push_str(cell);
            } else {
                out.push_str(&format!("{cell:<width$}  ", width = widths[i]));
            }
        }
        out.trim_end().to_owned() + "\n"
    };
    let mut out = style::heading(&line(headers));
    for row in &cells {
        out.push_str(&line([&row[0], &row[1], &row[2], &row[3], &row[4]]));
    }
    out.push_str(&format!(
        "\n{} routes. HEAD and OPTIONS in parentheses are answered by Arbor.\n",
        rows.iter().filter(|r| !is_config(r)).count()
    ));
    out
}

fn is_config(row: &Row) -> bool {
    matches!(row.what, "redirect" | "rewrite" | "headers")
}

/// The rows as JSON.
pub fn to_json(rows: &[Row]) -> String {
    let rows: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            json!({
                "pattern": r.pattern,
                "type": r.what,
                "kind": r.kind,
                "methods": r.methods,
                "automaticMethods": r.automatic,
                "proxy": r.proxy,
                "file": r.file,
            })
        })
        .collect();
    serde_json::to_string_pretty(&rows).unwrap_or_default()
}
