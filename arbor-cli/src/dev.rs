//! `arbor dev`: owns the listening socket, builds the app, runs it with the socket handed over
//! (`LISTEN_FDS`, the socket as file descriptor 3), and on every change builds again while the
//! running server keeps answering. A new server takes over only once it says it is ready
//! (`READY=1` on `NOTIFY_SOCKET`); the old one then gets SIGTERM and finishes what it holds.
//! Both accept from the one socket meanwhile, so no connection is refused; a build that fails
//! leaves the old server serving and prints the compiler's errors.

use std::net::TcpListener;
use std::os::fd::AsFd;
use std::os::unix::net::UnixDatagram;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use command_fds::{CommandFdExt, FdMapping};
use notify::Watcher;

use crate::error::CliError;
use crate::project::{cargo, Project};
use crate::{routes, style, Result};

/// How long changes must be quiet before a rebuild starts.
const QUIET: Duration = Duration::from_millis(20);
/// How long a new server may take to say it is ready.
const READY_WITHIN: Duration = Duration::from_secs(120);
/// How long the last server may take to stop when `arbor dev` does.
const STOP_WITHIN: Duration = Duration::from_secs(10);

/// What wakes the loop up.
enum Event {
    /// Files changed.
    Changed(Vec<PathBuf>),
    /// SIGINT or SIGTERM: stop the server, then exit.
    Stop,
}

/// Runs `arbor dev`.
pub fn run(package: Option<&str>, port: Option<u16>) -> Result {
    let project = Project::find(package)?;
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "127.0.0.1".to_owned());
    let port = match port {
        Some(port) => port,
        None => match std::env::var("PORT") {
            Ok(text) => text
                .parse()
                .map_err(|_| CliError::new(format!("PORT must be a port number, not `{text}`")))?,
            Err(_) => 3000,
        },
    };
    let listener = TcpListener::bind((host.as_str(), port)).map_err(|err| {
        if err.kind() == std::io::ErrorKind::AddrInUse {
            CliError::new(format!(
                "port {port} on {host} is in use (another server, or another `arbor dev`): choose another with `arbor dev --port N` or PORT=N"
            ))
        } else {
            CliError::new(format!("cannot listen on {host}:{port}: {err}"))
        }
    })?;
    let port = listener.local_addr()?.port();
    let notify = Notify::bind("dev")?;

    let (events, incoming) = mpsc::channel();
    let stop = events.clone();
    let mut signals = signal_hook::iterator::Signals::new([
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGTERM,
    ])?;
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            let _ = stop.send(Event::Stop);
        }
    });
    let changed = events;
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            if !matches!(event.kind, notify::EventKind::Access(_)) {
                let _ = changed.send(Event::Changed(event.paths));
            }
        }
    })
    .map_err(|e| CliError::new(format!("cannot watch the project's files: {e}")))?;
    watcher
        .watch(&project.root, notify::RecursiveMode::Recursive)
        .map_err(|e| CliError::new(format!("cannot watch {}: {e}", project.root.display())))?;

    let supervisor = Supervisor {
        project: &project,
        listener: &listener,
        notify: &notify,
        host: &host,
        port,
    };
    let shown = if host == "127.0.0.1" || host == "0.0.0.0" || host == "::1" {
        "localhost"
    } else {
        host.as_str()
    };
    let mut server = None;
    match supervisor.build() {
        Ok(took) => match supervisor.start() {
            Ok(child) => {
                server = Some(child);
                eprintln!(
                    "{} serving {} at http://{shown}:{port} (built in {:.1} s)\n",
                    style::ok("✓"),
                    project.name,
                    took.as_secs_f64()
                );
                if let Ok(model) = routes::model(&project) {
                    print!("{}", routes::table(&routes::rows_of(&model)));
                }
                eprintln!("\nwatching {} for changes", project.root.display());
            }
            Err(err) => eprintln!("{} {err}", style::error("error:")),
        },
        Err(errors) => eprintln!(
            "{}\n{errors}\nfix it and save: arbor dev builds again",
            style::error("the build failed:")
        ),
    }

    while let Ok(event) = incoming.recv() {
        let mut paths = match event {
            Event::Stop => break,
            Event::Changed(paths) => supervisor.sources(paths),
        };
        if paths.is_empty() {
            continue;
        }
        // Let a burst of saves settle, then build once.
        loop {
            match incoming.recv_timeout(QUIET) {
                Ok(Event::Changed(more)) => paths.extend(supervisor.sources(more)),
                Ok(Event::Stop) => {
                    stop_server(server.take());
                    return Ok(());
                }
                Err(_) => break,
            }
        }
        let relevant = paths;
        let started = Instant::now();
        let what = describe(&project.root, &relevant);
        match supervisor.build() {
            Err(errors) => eprintln!(
                "{} {what}\n{errors}\n{}",
                style::error("the build failed after"),
                if server.is_some() {
                    "still serving the previous build"
                } else {
                    "fix it and save: arbor dev builds again"
                }
            ),
            Ok(built) => match supervisor.start() {
                Ok(child) => {
                    if server.is_none() {
                        eprintln!(
                            "{} serving {} at http://{shown}:{port}",
                            style::ok("✓"),
                            project.name
                        );
                    }
                    stop_in_background(server.replace(child));
                    let total = started.elapsed();
                    eprintln!(
                        "{} reloaded in {:.2} s (build {:.2} s, start {:.2} s): {what}",
                        style::ok("✓"),
                        total.as_secs_f64(),
                        built.as_secs_f64(),
                        total.saturating_sub(built).as_secs_f64()
                    );
                }
                Err(err) => eprintln!(
                    "{} {err}; still serving the previous build",
                    style::error("error:")
                ),
            },
        }
    }
    stop_server(server.take());
    Ok(())
}

/// What builds and starts servers.
/// What builds and starts servers for `arbor dev`.
struct Supervisor<'a> {
    project: &'a Project,
    listener: &'a TcpListener,
    notify: &'a Notify,
    host: &'a str,
    port: u16,
}

impl Supervisor<'_> {
    /// `cargo build` in debug; the compiler's errors (file and line first) when it fails.
    fn build(&self) -> std::result::Result<Duration, String> {
        let started = Instant::now();
        eprintln!("building {}...", self.project.name);
        let output = Command::new(cargo())
            .args([
                "build",
                "-p",
                &self.project.name,
                "--message-format",
                "short",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if output.status.success() {
            return Ok(started.elapsed());
        }
        let text = String::from_utf8_lossy(&output.stderr);
        let errors: Vec<&str> = text
            .lines()
            .filter(|l| {
                let l = l.trim_start();
                !(l.starts_with("Compiling")
                    || l.starts_with("Checking")
                    || l.starts_with("Building")
                    || l.starts_with("Blocking"))
            })
            .collect();
        // The module tree reaches app/ from src/ (`src/../app/route.rs`): say `app/route.rs`.
        Err(errors.join("\n").replace("src/../", ""))
    }

    /// Starts the built server on the shared socket and waits until it says it is ready.
    fn start(&self) -> Result<Child> {
        let binary = self
            .project
            .target_dir
            .join("debug")
            .join(&self.project.bin);
        start_server(
            &binary,
            &self.project.root,
            self.listener,
            self.notify,
            &[
                ("PORT", self.port.to_string()),
                ("HOSTNAME", self.host.to_owned()),
            ],
            Stdio::inherit(),
        )
    }

    /// The changed files the server is built from.
    fn sources(&self, paths: Vec<PathBuf>) -> Vec<PathBuf> {
        paths.into_iter().filter(|p| self.is_source(p)).collect()
    }

    /// Whether a changed file is one the server is built from: `app/`, `src/` (but the module
    /// tree `build.rs` writes), `public/`, the root's `Cargo.toml`, `build.rs` and middleware
    /// file, and any Rust file outside the build's output; never a dotfile.
    fn is_source(&self, path: &Path) -> bool {
        let Ok(rel) = path.strip_prefix(&self.project.root) else {
            return false;
        };
        if path.starts_with(&self.project.target_dir) || rel == Path::new("src/app.rs") {
            return false;
        }
        let hidden = rel.components().any(|c| {
            let name = c.as_os_str().to_string_lossy();
            name.starts_with('.') || name == "target"
        });
        if hidden {
            return false;
        }
        let top = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        matches!(top.as_deref(), Some("app" | "src" | "public"))
            || matches!(
                rel.to_str(),
                Some("Cargo.toml" | "build.rs" | "middleware.rs" | "proxy.rs")
            )
            || rel.extension().is_some_and(|e| e == "rs")
    }
}

/// Starts `binary` with `listener` handed over and waits until it says it is ready on
/// `notify`.
pub fn start_server(
    binary: &Path,
    root: &Path,
    listener: &TcpListener,
    notify: &Notify,
    env: &[(&str, String)],
    stderr: Stdio,
) -> Result<Child> {
    let socket = listener.as_fd().try_clone_to_owned()?;
    let mut command = Command::new(binary);
    command
        .current_dir(root)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .env("LISTEN_FDS", "1")
        .env_remove("LISTEN_PID")
        .env("NOTIFY_SOCKET", &notify.path)
        .stderr(stderr)
        .fd_mappings(vec![FdMapping {
            parent_fd: socket,
            child_fd: 3,
        }])
        .map_err(|e| CliError::new(e.to_string()))?;
    let mut child = command
        .spawn()
        .map_err(|e| CliError::new(format!("cannot start {}: {e}", binary.display())))?;
    let deadline = Instant::now() + READY_WITHIN;
    let mut message = [0u8; 64];
    loop {
        if let Ok(n) = notify.socket.recv(&mut message) {
            if message[..n].split(|b| *b == b'\n').any(|l| l == b"READY=1") {
                return Ok(child);
            }
        }
        if let Ok(Some(status)) = child.try_wait() {
            return Err(CliError::new(format!(
                "the new server exited ({status}) before it was ready"
            )));
        }
        if Instant::now() > deadline {
            stop_server(Some(child));
            return Err(CliError::new(
                "the new server was not ready within 2 minutes",
            ));
        }
    }
}

/// A datagram socket for `READY=1`, at a path of its own; removed when dropped.
pub struct Notify {
    /// The socket.
    pub socket: UnixDatagram,
    /// Its path.
    pub path: PathBuf,
}

impl Notify {
    /// Binds one for this process and `purpose`.
    pub fn bind(purpose: &str) -> Result<Notify> {
        let path =
            std::env::temp_dir().join(format!("arbor-{purpose}-{}.sock", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let socket = UnixDatagram::bind(&path)?;
        socket.set_read_timeout(Some(Duration::from_millis(50)))?;
        Ok(Notify { socket, path })
    }
}

impl Drop for Notify {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// `app/comments/route.rs`, or `3 files` for more. Files that are gone (an editor's
/// temporary file) are left out unless nothing else changed.
fn describe(root: &Path, paths: &[PathBuf]) -> String {
    let present: Vec<&PathBuf> = paths.iter().filter(|p| p.exists()).collect();
    let shown: Vec<&PathBuf> = if present.is_empty() {
        paths.iter().collect()
    } else {
        present
    };
    let mut names: Vec<String> = shown
        .into_iter()
        .filter_map(|p| p.strip_prefix(root).ok())
        .map(|p| p.display().to_string())
        .collect();
    names.sort();
    names.dedup();
    match names.as_slice() {
        [one] => one.clone(),
        many => format!("{} files", many.len()),
    }
}

/// SIGTERM, then the server drains in the background.
fn stop_in_background(server: Option<Child>) {
    if let Some(child) = server {
        std::thread::spawn(move || stop_server(Some(child)));
    }
}

/// SIGTERM, wait for the server to finish its requests, SIGKILL if it takes too long.
pub fn stop_server(server: Option<Child>) {
    let Some(mut child) = server else { return };
    if let Some(pid) = rustix::process::Pid::from_raw(child.id() as i32) {
        let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
    }
    let deadline = Instant::now() + STOP_WITHIN;
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}
