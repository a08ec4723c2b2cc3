#!/usr/bin/env bash
# Quick start, step 2 (and CI): install, build, run every test: the GoogleTest
# unit tests through ctest, then the lit suites (parser to real consumers).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh || exit 1
BUILD_DIR=${BUILD_DIR:-build}

( cd "$BUILD_DIR" && ctest --output-on-failure -j"$(nproc)" ) | tee "$BUILD_DIR/ctest.log"
unit_status=${PIPESTATUS[0]}

python3 /usr/lib/llvm-14/build/utils/lit/lit.py -sv -j"$(nproc)" \
  --output "$BUILD_DIR/lit-results.json" "$BUILD_DIR/test"
lit_status=$?

# One closing line for both runners.
python3 - "$BUILD_DIR" <<'PY'
import json, re, sys
d = sys.argv[1]
log = open(f"{d}/ctest.log").read()
m = re.search(r"(\d+) tests failed out of (\d+)", log)
u_fail, u_total = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
codes = [t["code"] for t in json.load(open(f"{d}/lit-results.json"))["tests"]]
passed = (u_total - u_fail) + sum(c in ("PASS", "XFAIL") for c in codes)
failed = u_fail + sum(c in ("FAIL", "XPASS", "UNRESOLVED", "TIMEOUT") for c in codes)
skipped = sum(c == "UNSUPPORTED" for c in codes)
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
[ "$unit_status" -eq 0 ] && [ "$lit_status" -eq 0 ]
