#!/usr/bin/env bash
# The cost of the middleware, side by side: requests/s of the same routes served with the
# middleware (matched /about/team, unmatched /hello) and without any, interleaved, three
# repetitions, ratios taken within each repetition, medians printed. Loopback only.
#
#   benches/middleware/run.sh [seconds per run, default 5]
set -euo pipefail
secs=${1:-5}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
cargo build --release -q -p bench-middleware
bin="${CARGO_TARGET_DIR:-$root/target}/release/bench-middleware"
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)"; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
with_port=$(free_port); without_port=$(free_port)
RUST_LOG=warn PORT=$with_port "$bin" with & with_pid=$!
RUST_LOG=warn PORT=$without_port "$bin" without & without_pid=$!
trap 'kill $with_pid $without_pid 2>/dev/null' EXIT
sleep 0.5
curl -sf "http://127.0.0.1:$with_port/about/team" -o /dev/null -D - | grep -qi '^x-mw: 1' || { echo "middleware did not run"; exit 1; }

rps() { wrk -t2 -c64 -d"${secs}s" "http://127.0.0.1:$1$2" | awk '/Requests\/sec/ {print $2}'; }
for port in $with_port $without_port; do wrk -t2 -c64 -d1s "http://127.0.0.1:$port/hello" >/dev/null; done

matched=(); unmatched=()
for rep in 1 2 3; do
  a=$(rps "$without_port" /about/team); b=$(rps "$with_port" /about/team)
  c=$(rps "$with_port" /hello); d=$(rps "$without_port" /hello)
  m=$(echo "scale=3; $b / $a" | bc); u=$(echo "scale=3; $c / $d" | bc)
  echo "rep $rep: /about/team without $a, with (matched) $b -> $m; /hello without $d, with (unmatched) $c -> $u"
  matched+=("$m"); unmatched+=("$u")
done
median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
echo "median ratio, matched path (middleware runs):        $(median "${matched[@]}")"
echo "median ratio, unmatched path (matcher says no):       $(median "${unmatched[@]}")"
