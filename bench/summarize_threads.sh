#!/usr/bin/env bash
# Threads in the data paths: `cltv summarize LOG --threads 2` on both cores
# against `--threads 1` pinned to one core (taskset), and the same for
# `cltv metrics`, on bench/summarize.sh's 10,000,000-row shuffled log. Paired
# runs with farm-bench (A B A B …; the ratio is taken pair by pair), medians
# quoted; the outputs of the two are compared byte for byte. Also `cat LOG`
# and a plain line count (`wc -l`, memchr-speed) on the same file: the
# physical limit the parse is measured against; and two one-thread runs at
# once, one per core: the most two cores give this work on this machine
# (shared caches, memory and clocks), the ceiling of the speed-up.
#
# Usage: bench/summarize_threads.sh      (from any directory)
# Env:   CLTV         binary (default build-bench/src/cli/cltv under the repo root)
#        ROWS, CUSTOMERS, SEED   the log (defaults 10000000, 1000000, 20261123: summarize.sh's)
#        RUNS         paired runs (default 7)
#        PIN_CPU      the one core of the one-thread runs (default 1)
#        BENCH_CACHE  where the log is kept (default ${TMPDIR:-/tmp}/cltv-bench)
#        RESULTS_MD   if set, append a section with the results to this file
#        RESULTS_LABEL  its label (default "run")
# Needs: farm-bench, taskset, Debian's /usr/bin/python3 with numpy (the generator).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
CLTV=${CLTV:-$PWD/build-bench/src/cli/cltv}
ROWS=${ROWS:-10000000}
CUSTOMERS=${CUSTOMERS:-1000000}
SEED=${SEED:-20261123}
RUNS=${RUNS:-7}
PIN_CPU=${PIN_CPU:-1}
BENCH_CACHE=${BENCH_CACHE:-${TMPDIR:-/tmp}/cltv-bench}
RESULTS_LABEL=${RESULTS_LABEL:-run}

die() { echo "summarize_threads.sh: $*" >&2; exit 2; }
[[ -x $CLTV ]] || die "no cltv binary at $CLTV (see bench/README.md, or set CLTV)"
command -v farm-bench >/dev/null || die "farm-bench not found"
taskset -c "$PIN_CPU" /bin/true 2>/dev/null || die "cannot pin to core $PIN_CPU"
# shellcheck source=bench/lib.sh
source bench/lib.sh
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cltv-threads.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$BENCH_CACHE"
gen_hash=$(md5sum bench/gen_transactions.py | cut -c1-8)
log=$BENCH_CACHE/transactions-${ROWS}r-${CUSTOMERS}c-seed$SEED-$gen_hash.csv
if [[ ! -s $log ]]; then
  echo "generating $log ..."
  /usr/bin/python3 bench/gen_transactions.py "$log.part" --rows "$ROWS" --customers "$CUSTOMERS" --seed "$SEED"
  mv "$log.part" "$log"
fi
bytes=$(stat -c %s "$log")
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
commit=$(git rev-parse --short=8 HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- src include 2>/dev/null || commit="$commit (+ uncommitted changes in src/ or include/)"

run_pair() {  # NAME ARGS... : --threads 2 on both cores vs --threads 1 on one core
  threads_pair "$@"
  printf '| %s | %s | %s | **%s×** | %.0f | identical |\n' "$1" "$pair_one" "$pair_two" "$pair_speedup" \
    "$(awk -v s="$pair_two" -v n="$bytes" 'BEGIN {print n / s / 1e6}')"
}

limits() {  # cat and wc -l, one core, against cltv summarize --threads 1 on it
  farm-bench -n "$RUNS" --timeout 600 \
    --vs "sh -c 'exec taskset -c $PIN_CPU $CLTV summarize $log --threads 1 > /dev/null'" \
    -- sh -c "exec taskset -c $PIN_CPU cat $log > /dev/null" > "$tmp/cat.report" 2>&1
  farm-bench -n "$RUNS" --timeout 600 \
    --vs "sh -c 'exec taskset -c $PIN_CPU $CLTV summarize $log --threads 1 > /dev/null'" \
    -- sh -c "exec taskset -c $PIN_CPU wc -l $log > /dev/null" > "$tmp/wc.report" 2>&1
  read -r cat_s sum_s cat_r < <(farm_medians "$tmp/cat.report")
  read -r wc_s sum2_s wc_r < <(farm_medians "$tmp/wc.report")
  printf '| `cat LOG > /dev/null` | %s s | %.0f MB/s | summarize is %.1f%% of its speed (%s s) |\n' \
    "$cat_s" "$(awk -v s="$cat_s" -v n="$bytes" 'BEGIN {print n / s / 1e6}')" \
    "$(awk -v r="$cat_r" 'BEGIN {print 100 * r}')" "$sum_s"
  printf '| `wc -l LOG` (memchr line count) | %s s | %.0f MB/s | summarize is %.1f%% of its speed (%s s) |\n' \
    "$wc_s" "$(awk -v s="$wc_s" -v n="$bytes" 'BEGIN {print n / s / 1e6}')" \
    "$(awk -v r="$wc_r" 'BEGIN {print 100 * r}')" "$sum2_s"
}

ceiling() {  # two one-thread runs at once, one per core, against one alone
  local other=$((PIN_CPU == 0 ? 1 : 0)) two_s one_s r
  farm-bench -n "$RUNS" --timeout 600 \
    --vs "sh -c 'exec taskset -c $PIN_CPU $CLTV summarize $log --threads 1 > /dev/null'" \
    -- sh -c "taskset -c $other $CLTV summarize $log --threads 1 > /dev/null &
              taskset -c $PIN_CPU $CLTV summarize $log --threads 1 > /dev/null; wait" \
    > "$tmp/ceiling.report" 2>&1
  read -r two_s one_s r < <(farm_medians "$tmp/ceiling.report")
  printf '| two `summarize --threads 1` at once, one per core | %s s | %.2f× one run (%s s) | the most two cores give this work here |\n' \
    "$two_s" "$(awk -v r="$r" 'BEGIN {print 2 / r}')" "$one_s"
}

{
  echo "### summarize_threads.sh: $RESULTS_LABEL (commit $commit)"
  echo
  echo "- date: $(date -u '+%a %b %e %H:%M:%S UTC %Y')"
  echo "- machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(nproc) cores, kernel $(uname -r); load average at start $load_at_start"
  echo "- input: $ROWS rows, $CUSTOMERS customers, $bytes bytes (gen_transactions.py seed $SEED, shuffled); file cache warm; output to a file"
  echo "- farm-bench, $RUNS paired runs each, medians; one thread pinned to core $PIN_CPU, two threads on both cores"
  echo
  echo "| command | --threads 1, one core (s) | --threads 2, two cores (s) | speed-up | MB/s (2 threads) | outputs |"
  echo "|---|---:|---:|---:|---:|---|"
  run_pair summarize summarize "$log"
  run_pair "summarize --calibration-end" summarize "$log" --calibration-end 2024-06-30
  run_pair metrics metrics "$log" --format csv
  echo
  echo "| physical limit (one core) | time | speed | |"
  echo "|---|---:|---:|---|"
  limits
  ceiling
  echo
} | tee "$tmp/section.md"
if [[ -n ${RESULTS_MD:-} ]]; then cat "$tmp/section.md" >> "$RESULTS_MD"; fi
