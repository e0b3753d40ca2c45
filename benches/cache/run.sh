#!/usr/bin/env bash
# A cached route's throughput against the same route uncached and against a static hyper
# response, side by side: interleaved, three repetitions, ratios within each, medians.
# Loopback only.
#
#   benches/cache/run.sh [seconds per run, default 5]
set -euo pipefail
secs=${1:-5}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
cargo build --release -q -p bench-cache
bin="${CARGO_TARGET_DIR:-$root/target}/release/bench-cache"
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)"; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
arbor_port=$(free_port); hyper_port=$(free_port)
RUST_LOG=warn PORT=$arbor_port "$bin" arbor & arbor_pid=$!
PORT=$hyper_port "$bin" hyper & hyper_pid=$!
trap 'kill $arbor_pid $hyper_pid 2>/dev/null' EXIT
sleep 0.5
curl -sf -D - -o /dev/null "http://127.0.0.1:$arbor_port/cached" | grep -qi '^x-nextjs-cache: HIT' || { echo "not cached"; exit 1; }

rps() { wrk -t2 -c64 -d"${secs}s" "http://127.0.0.1:$1$2" | awk '/Requests\/sec/ {print $2}'; }
for target in "$arbor_port /cached" "$arbor_port /uncached" "$hyper_port /"; do wrk -t2 -c64 -d1s "http://127.0.0.1:${target% *}${target#* }" >/dev/null; done

vs_uncached=(); vs_hyper=()
for rep in 1 2 3; do
  c=$(rps "$arbor_port" /cached); u=$(rps "$arbor_port" /uncached); h=$(rps "$hyper_port" /)
  a=$(echo "scale=3; $c / $u" | bc); b=$(echo "scale=3; $c / $h" | bc)
  echo "rep $rep: cached $c, uncached $u, static hyper $h -> cached/uncached $a, cached/hyper $b"
  vs_uncached+=("$a"); vs_hyper+=("$b")
done
median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
echo "median ratio, cached / same route uncached: $(median "${vs_uncached[@]}")"
echo "median ratio, cached / static hyper:        $(median "${vs_hyper[@]}")"
