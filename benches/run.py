#!/usr/bin/env python3
"""Arbor against hand-written axum, raw hyper and Next.js on the seeds' workload.

    python3 benches/run.py                 # everything, writes benches/RESULTS.md
    python3 benches/run.py --seconds 5     # shorter runs
    python3 benches/run.py --scaling       # also 10 / 1,000 / 10,000-route apps

Every server gets the same endpoints; a parity check (status and body) runs before any
timing. Servers are timed in short slices taken in turn (A B C D, A B C D ...), ratios are
taken between slices side by side, medians are reported. Loopback only; every process
started here is stopped by its PID.
"""

import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
NEXT_DIR = os.path.join(ROOT, "benches", "next")

# (name, method, path, body, extra header the response must carry)
# POST runs last in each repetition, and servers restart for each repetition, so that every
# server answers GET /comments with the same three seeds.
ENDPOINTS = [
    ("GET /hello", "GET", "/hello", None),
    ("GET /comments", "GET", "/comments", None),
    ("GET /comments/2", "GET", "/comments/2", None),
    ("GET /about/team (middleware)", "GET", "/about/team", None),
    ("PUT /hello (405)", "PUT", "/hello", None),
    ("POST /comments", "POST", "/comments", '{"text":"x"}'),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port, method, path, body=None):
    data = body.encode() if body is not None else None
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method)
    if body is not None:
        req.add_header("content-type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read(), dict(e.headers)


class Server:
    def __init__(self, name, argv, cwd=ROOT, env=None, ready="/hello"):
        self.name, self.argv, self.cwd, self.env, self.ready = name, argv, cwd, env or {}, ready
        self.proc = None
        self.port = None

    def start(self):
        self.port = free_port()
        env = dict(os.environ, PORT=str(self.port), HOSTNAME="127.0.0.1", RUST_LOG="warn", **self.env)
        started = time.perf_counter()
        self.proc = subprocess.Popen(self.argv, cwd=self.cwd, env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = started + 60
        while time.perf_counter() < deadline:
            try:
                status, _, _ = request(self.port, "GET", self.ready)
                if status == 200:
                    return (time.perf_counter() - started) * 1000
            except OSError:
                time.sleep(0.001)
        raise RuntimeError(f"{self.name} did not answer {self.ready}")

    def tree_rss_kb(self, field):
        """The process and all its descendants (`next start` serves from a grandchild)."""
        total, todo = 0, [self.proc.pid]
        while todo:
            pid = todo.pop()
            try:
                with open(f"/proc/{pid}/status") as f:
                    for line in f:
                        if line.startswith(field + ":"):
                            total += int(line.split()[1])
            except OSError:
                continue
            todo += [int(p) for p in subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)],
                                                     capture_output=True, text=True).stdout.split()]
        return total

    def stop(self):
        if self.proc and self.proc.poll() is None:
            # Only the process this script started, and its children (next start).
            children, todo = [], [self.proc.pid]
            while todo:
                found = subprocess.run(["ps", "-o", "pid=", "--ppid", str(todo.pop())],
                                       capture_output=True, text=True).stdout.split()
                children += found
                todo += [int(p) for p in found]
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
            for pid in children:
                try:
                    os.kill(int(pid), 15)
                except (OSError, ValueError):
                    pass


def wrk(port, method, path, body, seconds):
    script = None
    args = ["wrk", "-t2", "-c64", f"-d{seconds}s", "--latency"]
    if method != "GET":
        script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
        script.write(f'wrk.method = "{method}"\n')
        if body is not None:
            script.write(f"wrk.body = {json.dumps(body)}\n")
            script.write('wrk.headers["Content-Type"] = "application/json"\n')
        script.close()
        args += ["-s", script.name]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(args + [f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if script:
        os.unlink(script.name)
    rps = p99 = 0.0
    for line in out.splitlines():
        parts = line.split()
        if line.startswith("Requests/sec:"):
            rps = float(parts[1])
        if parts and parts[0] == "99%":
            p99 = to_ms(parts[1])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return rps, p99, cpu / seconds


def to_ms(text):
    for suffix, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if text.endswith(suffix):
            return float(text[: -len(suffix)]) * factor
    return float(text)


def build():
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "bench-app", "-p", "bench-axum", "-p", "bench-hyper"],
                   cwd=ROOT, check=True)


def next_server():
    if not (shutil.which("node") and shutil.which("npm")):
        print("Node.js is not installed: Next.js is skipped")
        return None
    if not os.path.isdir(os.path.join(NEXT_DIR, "node_modules")):
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"], cwd=NEXT_DIR, check=True)
    subprocess.run(["npx", "next", "build"], cwd=NEXT_DIR, check=True,
                   stdout=subprocess.DEVNULL, env=dict(os.environ, NEXT_TELEMETRY_DISABLED="1"))
    return Server("Next.js 16", ["npx", "next", "start", "-H", "127.0.0.1"], cwd=NEXT_DIR,
                  env={"NEXT_TELEMETRY_DISABLED": "1"})


def parity(servers):
    """Every server answers every endpoint with the reference's status and body."""
    answers = {}
    for server in servers:
        server.start()
        try:
            got = []
            for name, method, path, body in ENDPOINTS:
                status, data, headers = request(server.port, method, path, body)
                if path == "/about/team":
                    lower = {k.lower(): v for k, v in headers.items()}
                    if lower.get("x-mw") != "1":
                        raise RuntimeError(f"{server.name}: {name} lacks x-mw: 1")
                got.append((status, data))
            answers[server.name] = got
        finally:
            server.stop()
    reference = answers[servers[0].name]
    for name, got in answers.items():
        for (endpoint, *_), mine, ref in zip(ENDPOINTS, got, reference):
            if mine != ref:
                raise RuntimeError(f"parity: {name} answers {endpoint} with {mine}, {servers[0].name} with {ref}")
    print(f"parity: {len(servers)} servers answer the {len(ENDPOINTS)} endpoints alike")


def measure(servers, seconds, reps, slice_seconds):
    """Each repetition times every endpoint on every server for `seconds`, in slices of
    `slice_seconds` taken in turn (A B C, A B C ...): this machine's speed drifts by tens of
    percent over minutes, and short alternating slices give every server the same drift."""
    slices = max(1, round(seconds / slice_seconds))
    results = {s.name: {} for s in servers}
    memory = {}
    for rep in range(reps):
        for server in servers:
            cold = server.start()
            time.sleep(0.5)
            m = memory.setdefault(server.name, {"cold_ms": [], "idle_kb": 0, "peak_kb": 0})
            m["cold_ms"].append(cold)
            m["idle_kb"] = max(m["idle_kb"], server.tree_rss_kb("VmRSS"))
        try:
            for name, method, path, body in ENDPOINTS:
                for part in range(slices):
                    for server in servers:
                        rps, p99, cpu = wrk(server.port, method, path, body, slice_seconds)
                        results[server.name].setdefault(name, []).append((rps, p99, cpu))
                        print(f"rep {rep + 1}.{part + 1} {name:32} {server.name:12} {rps:10.0f} req/s  p99 {p99:7.2f} ms  wrk cpu {cpu:.2f}", flush=True)
            for server in servers:
                m = memory[server.name]
                m["peak_kb"] = max(m["peak_kb"], server.tree_rss_kb("VmHWM"))
        finally:
            for server in servers:
                server.stop()
    for m in memory.values():
        m["cold_ms"] = statistics.median(m["cold_ms"])
    return results, memory


def ratio_median(results, a, b, endpoint):
    pairs = zip(results[a][endpoint], results[b][endpoint])
    return statistics.median(x[0] / y[0] for x, y in pairs if y[0] > 0)


def replace_section(title, lines, before=None):
    """Writes `## title` and its lines into RESULTS.md, replacing that section if present,
    else inserting it before the section `before` (or at the end). Other sections stay."""
    path = os.path.join(ROOT, "benches", "RESULTS.md")
    text = open(path).read() if os.path.exists(path) else "# Benchmark results\n"
    parts = text.rstrip("\n").split("\n## ")
    head, sections = parts[0], ["## " + p for p in parts[1:]]
    new = "\n".join([f"## {title}", ""] + lines).rstrip("\n")
    titles = [sec.split("\n", 1)[0][3:] for sec in sections]
    if title in titles:
        sections[titles.index(title)] = new
    elif before in titles:
        sections.insert(titles.index(before), new)
    else:
        sections.append(new)
    with open(path, "w") as f:
        f.write("\n\n".join([head.rstrip("\n")] + [sec.rstrip("\n") for sec in sections]) + "\n")


def report(results, memory, servers, seconds, reps, slice_seconds, scaling):
    names = [s.name for s in servers]
    intro = [
        f"Measured {datetime.date.today().isoformat()} on {platform.node() or 'this machine'}: "
        f"{os.cpu_count()} cores, {platform.machine()}, Linux {platform.release()}. "
        f"`wrk -t2 -c64` on loopback, {seconds} s per server and endpoint in each of {reps} "
        f"repetitions, timed in {slice_seconds} s slices that the servers take in turn (this "
        "machine's speed drifts over minutes; alternating slices spread the drift evenly). "
        "Figures are medians over the slices; a ratio is the median of the ratios of slices "
        "taken side by side. Reproduce with:",
        "",
        "```sh",
        f"python3 benches/run.py --seconds {seconds} --reps {reps} --slice {slice_seconds}" + (" --scaling" if scaling else ""),
        "```",
        "",
        "| endpoint | " + " | ".join(names) + " | Arbor / axum | Arbor / hyper |",
        "| --- | " + " | ".join("---" for _ in names) + " | --- | --- |",
    ]
    lines = intro
    for endpoint, *_ in ENDPOINTS:
        cells = []
        for name in names:
            runs = results[name][endpoint]
            cells.append(f"{statistics.median(r[0] for r in runs):,.0f} (p99 {statistics.median(r[1] for r in runs):.1f} ms)")
        lines.append(
            f"| {endpoint} | " + " | ".join(cells)
            + f" | {ratio_median(results, 'Arbor', 'axum', endpoint):.3f} | {ratio_median(results, 'Arbor', 'hyper', endpoint):.3f} |"
        )
    memory_lines = [
        "| server | cold start to first 200 | idle RSS | peak RSS under load | wrk CPU (cores, median) |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name in names:
        cpu = statistics.median(r[2] for runs in results[name].values() for r in runs)
        m = memory[name]
        memory_lines.append(f"| {name} | {m['cold_ms']:.1f} ms | {m['idle_kb'] / 1024:.1f} MB | {m['peak_kb'] / 1024:.1f} MB | {cpu:.2f} |")
    replace_section("Throughput (requests/s, median) and p99 latency", lines)
    replace_section("Memory, start-up, load generator", memory_lines)
    if scaling:
        table = scaling_table(scaling)
        replace_section(table[0][3:], table[2:])
    print(open(os.path.join(ROOT, "benches", "RESULTS.md")).read())


def scaling_run(seconds, reps, counts=(10, 1000, 10000), reuse=False):
    """Builds every app first (timing clean and incremental release builds), then serves them
    all and times one static route of each, interleaved, ratios within a repetition."""
    env = dict(os.environ, CARGO_TARGET_DIR=os.path.join(ROOT, "target", "scaling"))
    times_path = os.path.join(env["CARGO_TARGET_DIR"], "build-times.json")
    times = json.load(open(times_path)) if os.path.exists(times_path) else {}
    binaries = {}
    for count in counts:
        binary = os.path.join(env["CARGO_TARGET_DIR"], "release", f"routes{count}")
        binaries[count] = binary
        if reuse and os.path.exists(binary) and str(count) in times:
            continue
        work = os.path.join(ROOT, "target", "scaling-apps", f"routes{count}")
        shutil.rmtree(work, ignore_errors=True)
        subprocess.run([sys.executable, os.path.join(ROOT, "benches", "build-time", "generate.py"), str(count), work, ROOT], check=True)
        shutil.copy(os.path.join(ROOT, "Cargo.lock"), os.path.join(work, "Cargo.lock"))
        if count == counts[0]:
            # Dependencies, untimed; later apps share them.
            subprocess.run(["cargo", "build", "--release", "-q"], cwd=work, env=env, check=True)
            subprocess.run(["cargo", "clean", "--release", "-q", "-p", f"routes{count}"], cwd=work, env=env, check=True)
        started = time.perf_counter()
        subprocess.run(["cargo", "build", "--release", "-q"], cwd=work, env=env, check=True)
        clean = time.perf_counter() - started
        route = os.path.join(work, "app", "g0", "s0", "route.rs")
        with open(route) as f:
            text = f.read()
        with open(route, "w") as f:
            f.write(text.replace('Response::text("0")', 'Response::text("zero")'))
        started = time.perf_counter()
        subprocess.run(["cargo", "build", "--release", "-q"], cwd=work, env=env, check=True)
        times[str(count)] = (clean, time.perf_counter() - started)
        with open(times_path, "w") as f:
            json.dump(times, f)
        print(f"{count} routes: clean build {clean:.1f} s, incremental {times[str(count)][1]:.1f} s", flush=True)
    servers = {count: Server(f"{count} routes", [binaries[count]], ready="/g0/s0") for count in counts}
    for server in servers.values():
        server.start()
    runs = {count: [] for count in counts}
    try:
        for _ in range(reps):
            for count in counts:
                # /g0/s2: a static route present in every app.
                runs[count].append(wrk(servers[count].port, "GET", "/g0/s2", None, seconds)[0])
    finally:
        for server in servers.values():
            server.stop()
    smallest = counts[0]
    out = []
    for count in counts:
        ratio = statistics.median(r / b for r, b in zip(runs[count], runs[smallest]))
        out.append((count, statistics.median(runs[count]), ratio, *times[str(count)]))
        print(f"{count} routes: {out[-1][1]:.0f} req/s, ratio {ratio:.3f}", flush=True)
    return out


def scaling_table(scaling):
    lines = ["## Route-count scaling (Arbor)", "",
             "Every app is served at once and timed interleaved on one static route; the ratio is",
             "taken within a repetition against the smallest app.", "",
             "| routes | throughput on one route | ratio to the smallest app | clean build (release) | incremental build (release) |",
             "| --- | --- | --- | --- | --- |"]
    for count, rps, ratio, clean, incremental in scaling:
        lines.append(f"| {count:,} | {rps:,.0f} | {ratio:.3f} | {clean:.1f} s | {incremental:.1f} s |")
    return lines


def write_scaling(scaling, args):
    """Replaces (or adds) the scaling section of RESULTS.md."""
    table = scaling_table(scaling)
    section = table[2:] + ["", f"Measured {datetime.date.today().isoformat()} with "
               f"`python3 benches/run.py --only-scaling --seconds {args.seconds} --reps {args.reps} --counts {args.counts}`."]
    replace_section(table[0][3:], section)
    print("\n".join(section))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--slice", type=int, default=2,
                        help="seconds of one timed slice; servers take turns slice by slice")
    parser.add_argument("--skip-next", action="store_true")
    parser.add_argument("--scaling", action="store_true")
    parser.add_argument("--only-scaling", action="store_true",
                        help="only the route-count scaling, written into RESULTS.md's scaling section")
    parser.add_argument("--counts", default="10,1000,10000", help="route counts for the scaling run")
    parser.add_argument("--reuse-builds", action="store_true",
                        help="scaling: keep apps already built, with their recorded build times")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    counts = tuple(int(c) for c in args.counts.split(","))
    if args.only_scaling:
        write_scaling(scaling_run(args.seconds, args.reps, counts, args.reuse_builds), args)
        return
    build()
    servers = [
        Server("hyper", [os.path.join(TARGET, "release", "bench-hyper")]),
        Server("axum", [os.path.join(TARGET, "release", "bench-axum")]),
        Server("Arbor", [os.path.join(TARGET, "release", "bench-app")]),
    ]
    if not args.skip_next:
        nxt = next_server()
        if nxt:
            servers.append(nxt)
    parity(servers)
    results, memory = measure(servers, args.seconds, args.reps, args.slice)
    scaling = scaling_run(args.seconds, args.reps, counts, args.reuse_builds) if args.scaling else None
    report(results, memory, servers, args.seconds, args.reps, args.slice, scaling)


if __name__ == "__main__":
    main()
