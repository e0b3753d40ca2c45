#!/usr/bin/env python3
"""Instructions per request, counted by callgrind: a repeatable measure on a noisy machine.

    python3 benches/instructions.py                 # every endpoint, hyper / axum / Arbor
    python3 benches/instructions.py --requests 4000 --only "GET /hello"
    python3 benches/instructions.py --keep /tmp/cg  # keep the profiles for callgrind_annotate
    python3 benches/instructions.py --write         # also into benches/RESULTS.md

Each server runs under `valgrind --tool=callgrind`. After a warm-up, counting starts,
the endpoint is requested `--requests` times on one keep-alive connection, and the counters are
dumped: the server's instructions (every thread) divided by the requests. Wall-clock speed is
`run.py`'s job; this shows where the instructions go. Loopback only; every process started
here is stopped by its PID.
"""

import argparse
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import ENDPOINTS, ROOT, TARGET, build, free_port, replace_section  # noqa: E402

SERVERS = [("hyper", "bench-hyper"), ("axum", "bench-axum"), ("Arbor", "bench-app")]


def raw_request(method, path, body):
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "User-Agent: instructions"]
    data = b""
    if body is not None:
        data = body.encode()
        lines += ["Content-Type: application/json", f"Content-Length: {len(data)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + data


def read_response(sock, buffer):
    """Reads one response (Content-Length or chunked) and returns what followed it."""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            raise RuntimeError("connection closed")
        buffer += chunk
    head, rest = buffer.split(b"\r\n\r\n", 1)
    headers = {}
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip()
    if b"content-length" in headers:
        need = int(headers[b"content-length"])
        while len(rest) < need:
            rest += sock.recv(65536)
        return rest[need:]
    if headers.get(b"transfer-encoding") == b"chunked":
        while b"0\r\n\r\n" not in rest:
            rest += sock.recv(65536)
        return rest.split(b"0\r\n\r\n", 1)[1]
    return rest


def drive(port, method, path, body, count):
    request = raw_request(method, path, body)
    with socket.create_connection(("127.0.0.1", port), timeout=120) as sock:
        buffer = b""
        for _ in range(count):
            sock.sendall(request)
            buffer = read_response(sock, buffer)


def wait_ready(port, proc, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the server exited during start-up")
        try:
            drive(port, "GET", "/hello", None, 1)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not answer in time")


def count(binary, method, path, body, requests, keep):
    port = free_port()
    with tempfile.TemporaryDirectory() as outdir:
        proc = subprocess.Popen(
            ["valgrind", "--tool=callgrind", "--instr-atstart=no",
             f"--callgrind-out-file={outdir}/callgrind.out", binary],
            env=dict(os.environ, PORT=str(port), RUST_LOG="off"),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_ready(port, proc)
            drive(port, method, path, body, 200)
            subprocess.run(["callgrind_control", "--instr=on", str(proc.pid)], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            drive(port, method, path, body, requests)
            subprocess.run(["callgrind_control", "--dump", str(proc.pid)], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            dumps = [p for p in glob.glob(os.path.join(outdir, "callgrind.out.*"))]
            instructions = sum(total_instructions_of(p) for p in dumps)
            if keep:
                os.makedirs(os.path.dirname(keep), exist_ok=True)
                shutil.copyfile(dumps[0], keep)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    return instructions / requests


def total_instructions_of(path):
    with open(path) as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                return int(line.split()[1])
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--only", help="one endpoint, as ENDPOINTS names it (\"GET /hello\")")
    parser.add_argument("--servers", default="hyper,axum,Arbor")
    parser.add_argument("--keep", metavar="DIR", help="keep each profile as DIR/<server>-<endpoint>.out")
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--write", action="store_true", help="write the table into benches/RESULTS.md")
    args = parser.parse_args()
    if not args.no_build:
        build()
    wanted = args.servers.split(",")
    servers = [(name, os.path.join(TARGET, "release", binary)) for name, binary in SERVERS if name in wanted]
    rows = [f"| endpoint | {' | '.join(name for name, _ in servers)} | Arbor / axum | Arbor / hyper |",
            f"| --- | {' | '.join('---' for _ in servers)} | --- | --- |"]
    print("\n".join(rows), flush=True)
    for name, method, path, body in ENDPOINTS:
        if args.only and name != args.only:
            continue
        counts = {}
        for server, binary in servers:
            keep = None
            if args.keep:
                slug = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
                keep = os.path.join(args.keep, f"{server.lower()}-{slug}.out")
            counts[server] = count(binary, method, path, body, args.requests, keep)
        cells = " | ".join(f"{counts[s]:,.0f}" for s, _ in servers)
        ratios = []
        for base in ("axum", "hyper"):
            if "Arbor" in counts and base in counts:
                ratios.append(f"{counts['Arbor'] / counts[base]:.2f}")
            else:
                ratios.append("")
        rows.append(f"| {name} | {cells} | {' | '.join(ratios)} |")
        print(rows[-1], flush=True)
    if args.write:
        intro = [
            f"User-space instructions per request, every server thread, counted by callgrind over "
            f"{args.requests:,} requests on one keep-alive connection after a warm-up: repeatable "
            "where wall-clock figures are not, and blind to the kernel's share (the socket work, "
            "the same for every server). Lower is better; a ratio above 1 is Arbor doing more. "
            "Reproduce with `python3 benches/instructions.py --write`.",
            "",
        ]
        replace_section("Instructions per request (callgrind)", intro + rows,
                        before="Route-count scaling (Arbor)")


if __name__ == "__main__":
    main()
