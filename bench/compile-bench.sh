#!/usr/bin/env bash
# compile-bench.sh: how long polc takes to compile, and how big its outputs are.
#
# Builds nothing. Compiles each examples/*.pol (if there are any) and
# generated policies of BENCH_SIZES statements (bench/gen-policy.py), RUNS
# times each, and prints a Markdown table on standard output:
#
#   median and fastest wall time of RUNS compiles, the highest peak RSS of the
#   runs (/usr/bin/time -f %M), the emitted BPF in instructions (bytes / 8, summed
#   over the file's policies), and the OCI JSON and AppArmor profile sizes.
#
# Environment:
#   POLC         the polc binary (default: build/bin/polc in this checkout)
#   RUNS         compiles per input (default: 5)
#   BENCH_SIZES  statement counts of the generated policies (default: 10000)
#
# Each compile writes the default outputs (seccomp-json, bpf, apparmor) into a
# scratch directory, as a user's `polc FILE -o DIR` does. Progress and errors
# go to standard error. Exit status: 0, or 1 if some input failed to compile
# (its row says so). This is a measurement, never a test assertion.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
POLC=${POLC:-$root/build/bin/polc}
RUNS=${RUNS:-5}
BENCH_SIZES=${BENCH_SIZES-10000}

if [ ! -x "$POLC" ]; then
  echo "compile-bench: no polc binary at '$POLC' (build it, or set POLC)" >&2
  exit 2
fi
if [ ! -x /usr/bin/time ]; then
  echo "compile-bench: /usr/bin/time is required (Debian package 'time')" >&2
  exit 2
fi
case $RUNS in
  '' | *[!0-9]* | 0) echo "compile-bench: RUNS must be a positive integer" >&2; exit 2 ;;
esac

scratch=$(mktemp -d "${TMPDIR:-/tmp}/polc-bench.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# Inputs: the examples, then the generated policies.
inputs=()
shopt -s nullglob
for f in "$root"/examples/*.pol; do
  inputs+=("$f")
done
shopt -u nullglob
if [ ${#inputs[@]} -eq 0 ]; then
  echo "compile-bench: no examples/*.pol; benchmarking generated policies only" >&2
fi
for n in $BENCH_SIZES; do
  gen="$scratch/generated-$n.pol"
  python3 "$here/gen-policy.py" "$n" > "$gen" || exit 2
  inputs+=("$gen")
done

# now_ns: monotonic-enough wall clock in nanoseconds (bash 5 EPOCHREALTIME,
# else date).
now_ns() {
  if [ -n "${EPOCHREALTIME:-}" ]; then
    local t=${EPOCHREALTIME/[.,]/}
    echo "${t}000"
  else
    date +%s%N
  fi
}

# statements FILE: lines that start a statement (a rough count for examples).
statements() {
  grep -cE '^[[:space:]]*(attach|arch|default|use|may|syscall)([[:space:]]|$)' "$1"
}

fmt_ms() { awk -v ns="$1" 'BEGIN { printf "%.1f", ns / 1e6 }'; }
fmt_kib() { awk -v b="$1" 'BEGIN { if (b < 10240) printf "%d B", b; else printf "%.1f KiB", b / 1024 }'; }

# median_ns NS...: the median of the given numbers.
median_ns() {
  local sorted n
  sorted=($(printf '%s\n' "$@" | sort -n))
  n=${#sorted[@]}
  if [ $((n % 2)) -eq 1 ]; then
    echo "${sorted[$((n / 2))]}"
  else
    echo $(((sorted[n / 2 - 1] + sorted[n / 2]) / 2))
  fi
}
min_ns() { printf '%s\n' "$@" | sort -n | head -n 1; }

status=0
echo "| input | statements | policies | median ms | min ms | peak RSS MiB | BPF insns | OCI JSON | AppArmor |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"

# Baseline: process start-up alone (loading polc and its shared libraries).
times=()
rss_max=0
for ((r = 0; r < RUNS; r++)); do
  start=$(now_ns)
  /usr/bin/time -f '%M' -o "$scratch/time" "$POLC" --version > /dev/null 2>&1
  end=$(now_ns)
  times+=($((end - start)))
  rss=$(tail -n 1 "$scratch/time")
  [ "$rss" -gt "$rss_max" ] && rss_max=$rss
done
echo "| start-up only (\`polc --version\`) | | | $(fmt_ms "$(median_ns "${times[@]}")") | $(fmt_ms "$(min_ns "${times[@]}")") | $(awk -v k="$rss_max" 'BEGIN { printf "%.1f", k / 1024 }') | | | |"
for input in "${inputs[@]}"; do
  name=${input#"$root"/}
  case $input in "$scratch"/*) name="generated $(basename "$input" .pol | sed 's/generated-//') statements" ;; esac
  echo "compile-bench: $name" >&2
  times=()
  rss_max=0
  failed=
  for ((r = 0; r < RUNS; r++)); do
    out="$scratch/out"
    rm -rf "$out"
    start=$(now_ns)
    /usr/bin/time -f '%M' -o "$scratch/time" "$POLC" -q "$input" -o "$out" \
      > /dev/null 2> "$scratch/stderr"
    rc=$?
    end=$(now_ns)
    if [ $rc -ne 0 ]; then
      failed="exit $rc"
      sed 's/^/  /' "$scratch/stderr" | head -20 >&2
      break
    fi
    times+=($((end - start)))
    rss=$(tail -n 1 "$scratch/time")
    [ "$rss" -gt "$rss_max" ] && rss_max=$rss
  done
  if [ -n "$failed" ]; then
    echo "| $name | $(statements "$input") | | error ($failed) | | | | | |"
    status=1
    continue
  fi
  # Sizes from the last run's outputs.
  policies=0 bpf=0 json=0 aa=0
  for f in "$out"/*.bpf; do
    [ -e "$f" ] || continue
    policies=$((policies + 1))
    bpf=$((bpf + $(stat -c %s "$f") / 8))
  done
  for f in "$out"/*.seccomp.json; do [ -e "$f" ] && json=$((json + $(stat -c %s "$f"))); done
  for f in "$out"/*.apparmor; do [ -e "$f" ] && aa=$((aa + $(stat -c %s "$f"))); done
  rss_mib=$(awk -v k="$rss_max" 'BEGIN { printf "%.1f", k / 1024 }')
  echo "| $name | $(statements "$input") | $policies | $(fmt_ms "$(median_ns "${times[@]}")") | $(fmt_ms "$(min_ns "${times[@]}")") | $rss_mib | $bpf | $(fmt_kib $json) | $(fmt_kib $aa) |"
done
exit $status
