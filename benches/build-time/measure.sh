#!/usr/bin/env bash
# What code generation adds to a build: an app with N routes (default 500) is generated,
# then a clean build, an edit inside one route, a new route, and the build script alone
# are timed. Not a test: it prints numbers.
#
#   benches/build-time/measure.sh [N]
set -euo pipefail
n=${1:-500}
root=$(cd "$(dirname "$0")/../.." && pwd)
work="$root/target/build-time/routes$n"
export CARGO_TARGET_DIR="$root/target/build-time/target"
rm -rf "$work"
python3 "$root/benches/build-time/generate.py" "$n" "$work" "$root"
cp "$root/Cargo.lock" "$work/Cargo.lock"
cd "$work"

seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N); echo "$end - $start" | bc; }

cargo build -q 2>/dev/null || cargo build            # dependencies, not timed
echo "routes: $n"
cargo clean -q -p "routes$n"
echo "clean build of the app crate (build script + codegen + compile): $(seconds cargo build)s"
echo "no-op rebuild:                                  $(seconds cargo build)s"
sed -i 's/Response::text("0")/Response::text("zero")/' app/g0/s0/route.rs
echo "incremental, one route body edited:             $(seconds cargo build)s"
mkdir -p app/added && printf 'use arbor::prelude::*;\n\npub async fn GET() -> Response {\n    Response::text("added")\n}\n' > app/added/route.rs
echo "incremental, one route added:                   $(seconds cargo build)s"
script=$(ls -t "$CARGO_TARGET_DIR"/debug/build/routes"$n"-*/build-script-build | head -1)
out=$(mktemp -d)
echo "build script alone (scan, parse, validate, generate): $(seconds env CARGO_MANIFEST_DIR="$work" OUT_DIR="$out" "$script")s"
rm -rf "$out"
