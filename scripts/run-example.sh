#!/usr/bin/env bash
# Quick start, step 1: install, build, and compile the bundled httpd example
# into out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
./build/bin/polc examples/httpd.pol -o out/
