#!/usr/bin/env python3
"""From saving a route to serving it under `arbor dev`, and the requests a reload loses.

    python3 benches/dev/run.py [--edits 20] [--routes 500]

For `examples/comments` (copied out of the workspace) and for a generated app of `--routes`
routes (benches/build-time/generate.py), in debug as `arbor dev` builds: `arbor dev` runs on a
free loopback port, a client requests `/` on a new connection every 10 ms throughout, and a
route's body is edited `--edits` times; each time, the seconds from the write to the first
response with the new body are measured. Then one broken edit: the old server must go on
answering. Prints the median and max, and every failed request (refused, reset, or 5xx).
Not a test: a benchmark. Every process it starts is stopped by its PID.
"""
import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import tomllib

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WORK = os.path.join(ROOT, "target", "dev-bench")
TARGET = os.path.join(WORK, "target")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), body.decode(errors="replace")


def standalone_comments(dest):
    """examples/comments as a project of its own: workspace dependencies written out."""
    src = os.path.join(ROOT, "examples", "comments")
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("target", "*.db*", "tests"))
    workspace = tomllib.load(open(os.path.join(ROOT, "Cargo.toml"), "rb"))
    shared = workspace["workspace"]["dependencies"]
    manifest = tomllib.load(open(os.path.join(src, "Cargo.toml"), "rb"))

    def spec(name, value):
        if isinstance(value, dict) and value.get("workspace"):
            base = shared[name]
            base = {"version": base} if isinstance(base, str) else dict(base)
            extra = [f for f in value.get("features", []) if f not in base.get("features", [])]
            if extra:
                base["features"] = base.get("features", []) + extra
            value = base
        if isinstance(value, dict) and "path" in value:
            value = dict(value)
            value["path"] = os.path.normpath(os.path.join(ROOT, value["path"]))
        if isinstance(value, str):
            return f'"{value}"'
        items = ", ".join(
            f"{k} = {str(v).lower() if isinstance(v, bool) else repr(v).replace(chr(39), chr(34))}"
            for k, v in value.items()
        )
        return "{ " + items + " }"

    lines = ['[package]', 'name = "comments"', 'version = "0.1.0"', 'edition = "2021"', "", "[workspace]", ""]
    for table in ["dependencies", "build-dependencies"]:
        lines.append(f"[{table}]")
        for name, value in manifest.get(table, {}).items():
            lines.append(f"{name} = {spec(name, value)}")
        lines.append("")
    open(os.path.join(dest, "Cargo.toml"), "w").write("\n".join(lines))


def bench_route(app):
    """A route whose body the edits change: `GET /bench` answers `v{n}`."""
    os.makedirs(os.path.join(app, "app", "bench"), exist_ok=True)
    path = os.path.join(app, "app", "bench", "route.rs")
    write_version(path, 0)
    return path


def write_version(path, n, broken=False):
    body = f'Response::text("v{n}")' if not broken else "Response::text("
    open(path, "w").write(f"use arbor::prelude::*;\n\npub async fn GET() -> Response {{\n    {body}\n}}\n")


def measure(name, app, edits):
    shutil.copy(os.path.join(ROOT, "Cargo.lock"), os.path.join(app, "Cargo.lock"))
    route = bench_route(app)
    env = dict(os.environ, CARGO_TARGET_DIR=TARGET, NO_COLOR="1")
    print(f"{name}: first build (dependencies, not timed)...", flush=True)
    subprocess.run(["cargo", "build", "-q"], cwd=app, env=env, check=True)
    arbor = os.path.join(ROOT, "target", "debug", "arbor")
    port = free_port()
    log = open(os.path.join(WORK, f"{name}.log"), "w")
    dev = subprocess.Popen([arbor, "dev", "--port", str(port)], cwd=app, env=env,
                           stdout=subprocess.DEVNULL, stderr=log)
    try:
        deadline = time.time() + 600
        while True:
            try:
                if get(port, "/bench") == (200, "v0"):
                    break
            except OSError:
                pass
            if time.time() > deadline:
                raise SystemExit(f"{name}: arbor dev did not serve in time")
            time.sleep(0.05)
        failures, sent, stop = [], [0], threading.Event()

        def loop():
            while not stop.is_set():
                try:
                    status, body = get(port, "/bench")
                    sent[0] += 1
                    if status >= 500:
                        failures.append(f"{status} {body[:60]}")
                except OSError as err:
                    failures.append(repr(err))
                time.sleep(0.01)

        client = threading.Thread(target=loop)
        client.start()
        took = []
        for n in range(1, edits + 1):
            time.sleep(0.5)
            start = time.time()
            write_version(route, n)
            while get(port, "/bench")[1] != f"v{n}":
                if time.time() - start > 120:
                    raise SystemExit(f"{name}: edit {n} not served within 120 s")
                time.sleep(0.01)
            took.append(time.time() - start)
            print(f"  edit {n}: {took[-1]:.2f} s", flush=True)
        # One broken edit: the previous server goes on answering.
        write_version(route, edits + 1, broken=True)
        start = time.time()
        while "still serving the previous build" not in open(log.name).read():
            if time.time() - start > 120:
                raise SystemExit(f"{name}: the failed build was not reported")
            time.sleep(0.05)
        assert get(port, "/bench") == (200, f"v{edits}"), "the old server stopped answering"
        time.sleep(1)
        stop.set()
        client.join()
        print(f"{name}: edit to new body over {edits} edits: median {statistics.median(took):.2f} s, "
              f"max {max(took):.2f} s; {sent[0]} requests, {len(failures)} failed {failures[:5]}")
        return statistics.median(took), max(took), sent[0], len(failures)
    finally:
        dev.send_signal(signal.SIGTERM)
        dev.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--routes", type=int, default=500)
    parser.add_argument("--only", choices=["comments", "generated"], help="one of the two apps")
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "-q", "-p", "arbor-cli"], cwd=ROOT, check=True)
    shutil.rmtree(os.path.join(WORK, "comments"), ignore_errors=True)
    shutil.rmtree(os.path.join(WORK, f"routes{args.routes}"), ignore_errors=True)
    os.makedirs(WORK, exist_ok=True)
    comments = os.path.join(WORK, "comments")
    standalone_comments(comments)
    generated = os.path.join(WORK, f"routes{args.routes}")
    subprocess.run([sys.executable, os.path.join(ROOT, "benches", "build-time", "generate.py"),
                    str(args.routes), generated, ROOT], check=True)
    rows = []
    if args.only in (None, "comments"):
        rows.append(("examples/comments", measure("comments", comments, args.edits)))
    if args.only in (None, "generated"):
        rows.append((f"generated, {args.routes} routes", measure(f"routes{args.routes}", generated, args.edits)))
    print("\n| app | edit → new body, median | max | requests | failed |")
    print("| --- | --- | --- | --- | --- |")
    for name, (median, worst, sent, failed) in rows:
        print(f"| {name} | {median:.2f} s | {worst:.2f} s | {sent:,} | {failed} |")


if __name__ == "__main__":
    main()
