#!/usr/bin/env bash
# Threads in the batch: `cltv calc --input FILE --threads 2` on both cores
# against `--threads 1` pinned to one core (taskset), as NDJSON and as CSV, and
# `cltv check`; then `--threads 2` against jq's lean program (bench/calc_lean.jq,
# one core: jq has one thread) on bench/ndjson_batch.sh's 1,000,000 scenarios.
# Paired runs with farm-bench (A B A B …; the ratio is taken pair by pair),
# medians quoted; the outputs of the two cltv runs are compared byte for byte.
#
# Usage: bench/ndjson_batch_threads.sh      (from any directory)
# Env:   CLTV         binary (default build-bench/src/cli/cltv under the repo root)
#        LINES, SEED  the scenarios (defaults 1000000, 20261123: ndjson_batch.sh's)
#        RUNS         paired runs (default 7)
#        JQ_RUNS      paired runs against jq (default 5: jq takes ~14 s a run)
#        PIN_CPU      the one core of the one-thread runs and of jq (default 1)
#        BENCH_CACHE  where the scenarios are kept (default ${TMPDIR:-/tmp}/cltv-bench)
#        RESULTS_MD   if set, append a section with the results to this file
#        RESULTS_LABEL  its label (default "run")
# Needs: farm-bench, taskset, jq, /usr/bin/python3 (the generator).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
CLTV=${CLTV:-$PWD/build-bench/src/cli/cltv}
LINES=${LINES:-1000000}
SEED=${SEED:-20261123}
RUNS=${RUNS:-7}
JQ_RUNS=${JQ_RUNS:-5}
PIN_CPU=${PIN_CPU:-1}
BENCH_CACHE=${BENCH_CACHE:-${TMPDIR:-/tmp}/cltv-bench}
RESULTS_LABEL=${RESULTS_LABEL:-run}

die() { echo "ndjson_batch_threads.sh: $*" >&2; exit 2; }
[[ -x $CLTV ]] || die "no cltv binary at $CLTV (see bench/README.md, or set CLTV)"
command -v farm-bench >/dev/null || die "farm-bench not found"
command -v jq >/dev/null || die "jq not found (apt-get install -y jq)"
taskset -c "$PIN_CPU" /bin/true 2>/dev/null || die "cannot pin to core $PIN_CPU"
# shellcheck source=bench/lib.sh
source bench/lib.sh
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cltv-batch-threads.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The scenarios file of ndjson_batch.sh (same name: generated once for both).
mkdir -p "$BENCH_CACHE"
gen_hash=$(md5sum bench/gen_scenarios.py | cut -c1-8)
big=$BENCH_CACHE/scenarios-$LINES-seed$SEED-$gen_hash.ndjson
if [[ ! -s $big ]]; then
  echo "generating $big ..."
  /usr/bin/python3 bench/gen_scenarios.py "$big.part" -n "$LINES" --seed "$SEED"
  mv "$big.part" "$big"
fi
bytes=$(stat -c %s "$big")
cat bench/calc_defs.jq bench/calc_lean.jq > "$tmp/lean.jq"
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
commit=$(git rev-parse --short=8 HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- src include 2>/dev/null || commit="$commit (+ uncommitted changes in src/ or include/)"

run_pair() {  # NAME ARGS... : --threads 2 on both cores vs --threads 1 on one core
  threads_pair "$@"
  printf '| %s | %s | %s | **%s×** | %.0f | %.0f | identical |\n' "$1" "$pair_one" "$pair_two" \
    "$pair_speedup" "$(awk -v s="$pair_two" -v n="$LINES" 'BEGIN {print n / s / 1e3}')" \
    "$(awk -v s="$pair_two" -v n="$bytes" 'BEGIN {print n / s / 1e6}')"
}

versus_jq() {  # calc --threads 2 (two cores) and --threads 1 (one core) against jq lean (one core)
  local threads=$1 pin=""
  [[ $threads == 1 ]] && pin="taskset -c $PIN_CPU"
  farm-bench -n "$JQ_RUNS" --timeout 1800 \
    --vs "sh -c 'exec taskset -c $PIN_CPU jq -c -f $tmp/lean.jq $big > /dev/null'" \
    -- sh -c "exec $pin $CLTV calc --input $big --format ndjson --threads $threads > /dev/null" > "$tmp/jq-$threads.report" 2>&1 || { cat "$tmp/jq-$threads.report"; die "farm-bench failed against jq"; }
  read -r a b r < <(farm_medians "$tmp/jq-$threads.report")
  printf '| `calc --threads %s` (%s) vs jq lean (one core) | %s | %s | **%s×** |\n' "$threads" \
    "$([[ $threads == 1 ]] && echo "one core" || echo "two cores")" "$a" "$b" \
    "$(awk -v r="$r" 'BEGIN {printf "%.1f", 1 / r}')"
}

{
  echo "### ndjson_batch_threads.sh: $RESULTS_LABEL (commit $commit)"
  echo
  echo "- date: $(date -u '+%a %b %e %H:%M:%S UTC %Y')"
  echo "- machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(nproc) cores, kernel $(uname -r); load average at start $load_at_start"
  echo "- input: $LINES NDJSON scenarios, $bytes bytes (gen_scenarios.py seed $SEED); file cache warm; output to a file"
  echo "- farm-bench, $RUNS paired runs each ($JQ_RUNS against jq), medians; one thread and jq pinned to core $PIN_CPU, two threads on both cores"
  echo
  echo "| command | --threads 1, one core (s) | --threads 2, two cores (s) | speed-up | k records/s (2 threads) | MB/s in (2 threads) | outputs |"
  echo "|---|---:|---:|---:|---:|---:|---|"
  run_pair "calc, ndjson" calc --input "$big" --format ndjson
  run_pair "calc, csv" calc --input "$big" --format csv
  run_pair "check, ndjson" check --input "$big" --format ndjson
  echo
  echo "| pair | cltv (s) | jq lean (s) | jq / cltv |"
  echo "|---|---:|---:|---:|"
  versus_jq 2
  versus_jq 1
  echo
} | tee "$tmp/section.md"
if [[ -n ${RESULTS_MD:-} ]]; then cat "$tmp/section.md" >> "$RESULTS_MD"; fi
