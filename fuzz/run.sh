#!/usr/bin/env bash
# fuzz/run.sh TARGET SECONDS [extra libFuzzer options...]
#
# Builds the libFuzzer targets (clang-14, -DPOLC_FUZZ=ON) in build-fuzz/ (or
# $FUZZ_BUILD_DIR), makes the seed corpus from the repository's policies, and
# runs TARGET (parse, pipeline, pipeline-tokens, bpf, import-json or
# import-apparmor) for SECONDS seconds.
# The corpus it grows is kept in BUILD/fuzz-corpus/TARGET and reused by the
# next run; a crash, timeout or out-of-memory input is written to
# BUILD/fuzz-crashes/TARGET/ and the script exits non-zero. The log is
# BUILD/fuzz-logs/TARGET.log; the last line printed is the run's summary.
set -uo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 2 ]; then
  echo "usage: fuzz/run.sh parse|pipeline|pipeline-tokens|bpf|import-json|import-apparmor SECONDS [libFuzzer options]" >&2
  exit 2
fi
target=$1 seconds=$2
shift 2
case $target in
  parse|pipeline|pipeline-tokens|bpf|import-json|import-apparmor) ;;
  *) echo "fuzz/run.sh: unknown target '$target'" >&2; exit 2 ;;
esac
B=${FUZZ_BUILD_DIR:-build-fuzz}
JOBS=${JOBS:-$(nproc)}

if [ ! -f "$B/build.ninja" ]; then
  CC=clang-14 CXX=clang++-14 cmake -S . -B "$B" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPOLC_FUZZ=ON >"$B.configure.log" 2>&1 \
    || { cat "$B.configure.log"; exit 2; }
fi
# polc too: it makes the BPF seeds.
cmake --build "$B" -j"$JOBS" --target "fuzz-$target" polc >"$B/fuzz-build.log" 2>&1 \
  || { tail -50 "$B/fuzz-build.log"; exit 2; }

# Seeds, made afresh at every run from what the repository holds.
seeds=$B/fuzz-seeds/$target
corpus=$B/fuzz-corpus/$target
crashes=$B/fuzz-crashes/$target
rm -rf "$seeds" && mkdir -p "$seeds" "$corpus" "$crashes" "$B/fuzz-logs"
opts=(-max_len=4096)
# One input taking this long is a hang.
timeout=10
case $target in
  parse|pipeline)
    find examples test -name '*.pol' -size -4k | while read -r f; do
      cp "$f" "$seeds/$(echo "$f" | tr / _)"
    done
    opts+=(-dict=fuzz/policy.dict) ;;
  pipeline-tokens) ;; # libFuzzer finds its way from nothing
  import-apparmor)
    # The repository's AppArmor inputs, and apparmor_parser's own corpus
    # when it is there (../shared/corpus, as in CI).
    find test/Import/Inputs -type f ! -name '*.json' | while read -r f; do
      cp "$f" "$seeds/$(echo "$f" | tr / _)"
    done
    aa=${POLC_CORPUS:-../shared/corpus}/apparmor-3.0.8-parser/tst/simple_tests
    if [ -d "$aa" ]; then
      find "$aa" -name '*.sd' -size -4k | while read -r f; do
        cp "$f" "$seeds/$(echo "${f#"$aa"/}" | tr / _)"
      done
    fi ;;
  bpf)
    # One seed per example's filter: flag byte 0, a seccomp_data for
    # getpid on x86_64 (AUDIT_ARCH_X86_64), then the program.
    tmp=$(mktemp -d)
    for pol in examples/*.pol test/Integration/*.pol; do
      "$B/bin/polc" -q --emit=bpf "$pol" -o "$tmp" 2>/dev/null || true
    done
    for f in "$tmp"/*.bpf; do
      [ -e "$f" ] || continue
      python3 - "$f" "$seeds/$(basename "$f")" <<'PY'
import struct, sys
prog = open(sys.argv[1], "rb").read()
data = struct.pack("<iIQ6Q", 39, 0xC000003E, 0, 1, 2, 3, 4, 5, 6)
open(sys.argv[2], "wb").write(b"\0" + data + prog)
PY
    done
    rm -rf "$tmp" ;;
  import-json)
    # The test inputs and, where ../shared is beside the project, the
    # upstream profiles (Docker's, containers-common's, moby's examples),
    # each behind an option byte (ImportJSONFuzzer.cpp): 0 for Docker's
    # defaults, 1 for an x86_64 host without capabilities.
    opts=(-max_len=20000 -dict=fuzz/seccomp-json.dict)
    # An input compiles a profile of Docker's size for five arches under
    # ASan: about 1.5 s of CPU, and more wall time on a loaded machine.
    timeout=30
    corpus_dir=${POLC_CORPUS:-../shared/corpus}
    for f in test/Import/Inputs/*.json "$corpus_dir"/*.json \
             "$corpus_dir"/moby-profiles-seccomp/*.json; do
      [ -f "$f" ] || continue
      for b in 0 1; do
        { printf "\\$b"; cat "$f"; } > "$seeds/$b-$(echo "$f" | tr / _)"
      done
    done ;;
esac

log=$B/fuzz-logs/$target.log
# -timeout: see above; -rss_limit_mb: a leak or a blow-up is an
# out-of-memory finding, not the machine's problem.
"$B/bin/fuzz-$target" "${opts[@]}" -max_total_time="$seconds" -timeout="$timeout" \
  -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$crashes/" \
  "$@" "$corpus" "$seeds" >"$log" 2>&1
status=$?
stats=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$log" | tail -1)
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
if [ $status -ne 0 ]; then
  grep -E 'ERROR|SUMMARY|Test unit written|contract broken|pipeline fuzzer|^==|runtime error' "$log" | head -20
  echo "fuzz $target: FAILED after ${seconds}s at most (exit $status); input in $crashes/, log $log"
  exit 1
fi
echo "fuzz $target: passed, ${seconds}s, ${execs:-?} runs, ${rate:-?} exec/s, $(echo "$stats" | grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9]+[a-zA-Z]*')"
