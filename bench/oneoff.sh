#!/usr/bin/env bash
# One-off latency: `cltv calc --arpu 50 --churn 4% --cac 300` (table and --format json)
# next to /bin/true (the floor: fork + exec + exit) and next to /usr/bin/python3 -c
# doing the same arithmetic. Process start-up dominates all of them.
#
# Usage: bench/oneoff.sh            (from any directory)
# Env:   CLTV       binary to measure (default: build-bench/src/cli/cltv under the repo root)
#        ROUNDS     hyperfine invocations, each timing all four commands in turn (default 5)
#        RUNS       timed runs per command per round (default 100)
#        WARMUP     warm-up runs per command per round (default 10)
#        PIN_CPU    core to pin hyperfine and the commands to with taskset (default 1; "" = no pinning)
#        RESULTS_MD    if set, append a markdown section with the results to this file
#        RESULTS_LABEL label for that section (default "run")
#        CLTV_COMMIT   what the binary was built from, for that section (default: the
#                      repo's HEAD, flagged when src/ or include/ have uncommitted changes)
# Needs: hyperfine, /usr/bin/python3.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo_root=$PWD
CLTV=${CLTV:-$repo_root/build-bench/src/cli/cltv}
ROUNDS=${ROUNDS:-5}
RUNS=${RUNS:-100}
WARMUP=${WARMUP:-10}
PIN_CPU=${PIN_CPU-1}
RESULTS_LABEL=${RESULTS_LABEL:-run}
PY=/usr/bin/python3

die() { echo "oneoff.sh: $*" >&2; exit 2; }
[[ -x $CLTV ]] || die "no cltv binary at $CLTV (build: cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DCLTV_BUILD_TESTS=OFF && ninja -C build-bench, or set CLTV)"
command -v hyperfine >/dev/null || die "hyperfine not found (apt-get install -y hyperfine)"
[[ -x $PY ]] || die "$PY not found"
# taskset runs hyperfine itself on the core: the commands inherit it, and
# taskset's own start is not timed as part of each command.
pin=()
if [[ -n $PIN_CPU ]]; then
  command -v taskset >/dev/null || die "taskset not found (util-linux), or set PIN_CPU="
  pin=(taskset -c "$PIN_CPU")
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cltv-oneoff.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The same arithmetic as cltv's table: LTV = 50 / 0.04, ratio = LTV / 300.
py_code='arpu = 50; churn = 0.04; cac = 300; ltv = arpu / churn; print(f"LTV {ltv:,.2f}  LTV:CAC {ltv / cac:.2f}x")'

echo "== cltv one-off latency"
echo "binary: $CLTV ($("$CLTV" --version))"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (anything near the core count makes these numbers noisy)${PIN_CPU:+; pinned to core $PIN_CPU}"
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
echo
echo "-- outputs (checked before timing)"
echo "\$ cltv calc --arpu 50 --churn 4% --cac 300"
"$CLTV" calc --arpu 50 --churn 4% --cac 300 | tee "$tmp/table.txt"
echo "\$ cltv calc --arpu 50 --churn 4% --cac 300 --format json"
"$CLTV" calc --arpu 50 --churn 4% --cac 300 --format json | tee "$tmp/json.txt"
echo
echo "\$ python3 -c '$py_code'"
"$PY" -c "$py_code" | tee "$tmp/py.txt"
if ! grep -q '1,250.00' "$tmp/table.txt" || ! grep -q '4.17×' "$tmp/table.txt"; then
  die "cltv table does not show LTV 1,250.00 and 4.17×"
fi
"$PY" - "$tmp/json.txt" <<'EOF' || die "cltv --format json: ltv/ltv_cac_ratio are not 1250 / 4.1667"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["ltv"] == 1250 and abs(r["ltv_cac_ratio"] - 1250 / 300) < 1e-12, r
EOF
grep -q 'LTV 1,250.00  LTV:CAC 4.17x' "$tmp/py.txt" || die "python did not print the same numbers"
echo

# hyperfine times one command after the other; when the machine's load changes
# half-way (someone starts a build), a single invocation compares /bin/true on a
# quiet machine with cltv on a busy one. Several short rounds interleave them.
echo "-- hyperfine -N (no shell): $ROUNDS rounds x ($WARMUP warm-up + $RUNS timed runs) per command"
q() { printf '%q ' "$@"; }  # hyperfine -N splits the command line like a shell
for round in $(seq 1 "$ROUNDS"); do
  "${pin[@]}" hyperfine -N --style none --warmup "$WARMUP" --runs "$RUNS" --export-json "$tmp/round$round.json" \
    -n true "/bin/true" \
    -n cltv "$(q "$CLTV" calc --arpu 50 --churn 4% --cac 300)" \
    -n cltv-json "$(q "$CLTV" calc --arpu 50 --churn 4% --cac 300 --format json)" \
    -n python "$(q "$PY" -c "$py_code")" \
    2> "$tmp/hyperfine.err" || { cat "$tmp/hyperfine.err" >&2; die "hyperfine failed"; }
  echo "round $round/$ROUNDS done (load $(cut -d' ' -f1 /proc/loadavg))"
done
echo

"$PY" - "$tmp"/round*.json > "$tmp/report.txt" <<'EOF'
import json, statistics, sys
times = {}
for path in sys.argv[1:]:
    with open(path) as f:
        for r in json.load(f)["results"]:
            times.setdefault(r["command"], []).extend(r["times"])
stats = {n: dict(median=statistics.median(ts), mean=statistics.fmean(ts), sd=statistics.stdev(ts),
                 min=min(ts), runs=len(ts)) for n, ts in times.items()}
print("| command | median ms | mean ms | ± sd ms | min ms | runs |")
print("|---|---:|---:|---:|---:|---:|")
for name in ("true", "cltv", "cltv-json", "python"):
    s = stats[name]
    print(f"| {name} | {s['median'] * 1e3:.3f} | {s['mean'] * 1e3:.3f} | {s['sd'] * 1e3:.3f} | "
          f"{s['min'] * 1e3:.3f} | {s['runs']} |")
# Medians: start-up times of a few ms have a long right tail (page faults,
# other processes); one 50 ms outlier moves the mean of /bin/true by 0.1 ms.
t, c, j, p = (stats[n]["median"] for n in ("true", "cltv", "cltv-json", "python"))
tmin, cmin = stats["true"]["min"], stats["cltv"]["min"]
print()
print(f"ratios (medians): cltv/true {c / t:.2f}x, cltv-json/true {j / t:.2f}x, python/cltv {p / c:.1f}x"
      f"   (mins: cltv/true {cmin / tmin:.2f}x)")
verdict = "MET" if c <= 2 * t else "NOT MET"
print(f"goal (issue 23): cltv <= 2x /bin/true -> {c / t:.2f}x (medians): {verdict}")
print(f"summary: cltv calc {c * 1e3:.3f} ms = {c / t:.2f}x /bin/true ({t * 1e3:.3f} ms); "
      f"--format json {j / t:.2f}x; python3 -c {p * 1e3:.2f} ms = {p / c:.1f}x cltv (medians)")
EOF

commit=${CLTV_COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)}
if [[ -z ${CLTV_COMMIT:-} && -n $(git status --porcelain -- src include CMakeLists.txt cmake 2>/dev/null) ]]; then
  commit="$commit + uncommitted changes in src/include"
fi
if [[ -n ${RESULTS_MD:-} ]]; then
  {
    echo
    echo "### oneoff.sh: $RESULTS_LABEL (commit $commit)"
    echo
    echo "- date: $(date -u)"
    echo "- machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(nproc) cores, kernel $(uname -r); load average at start $load_at_start"
    echo "- tools: $("$CLTV" --version), $(hyperfine --version), Python $("$PY" -c 'import platform; print(platform.python_version())')"
    echo "- commands: \`cltv calc --arpu 50 --churn 4% --cac 300\` (table; cltv-json adds \`--format json\`), \`/bin/true\`, \`/usr/bin/python3 -c\` (same arithmetic); hyperfine -N, $ROUNDS interleaved rounds of $WARMUP warm-up + $RUNS timed runs each${PIN_CPU:+, pinned to core $PIN_CPU (taskset around hyperfine)}"
    echo
    cat "$tmp/report.txt"
  } >> "$RESULTS_MD"
  echo "(results appended to $RESULTS_MD)"
  echo
fi
cat "$tmp/report.txt"
