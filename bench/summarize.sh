#!/usr/bin/env bash
# End-to-end RFM summary: `cltv summarize LOG > OUT` on a 10,000,000-row transaction
# log (1,000,000 customers, shuffled), next to pandas doing the same
# (bench/pandas_summarize.py: read_csv + group-by + to_csv), both pinned to one core
# and timed as whole processes. Reports wall and cpu time, rows/s, input MB/s and
# peak RSS (GNU time -v), and checks that the two summaries agree customer by customer.
#
# Usage: bench/summarize.sh          (from any directory)
# Env:   CLTV          binary to measure (default: build-bench/src/cli/cltv under the repo root)
#        CLTV_ARGS     extra arguments after `cltv summarize LOG` (default none)
#        ROWS          rows in the log (default 10000000)
#        CUSTOMERS     customers in the log (default 1000000)
#        SEED          generator seed (default 20261123)
#        OBS_END       --observation-end YYYY-MM-DD for both tools (default: none, i.e.
#                      the last date in the log)
#        BENCH_CACHE   where generated logs are kept (default $BENCH_DIR, else
#                      ${TMPDIR:-/tmp}/cltv-bench); never inside the repo
#        CLTV_RUNS     timed cltv runs, after 1 warm-up (default 5)
#        PANDAS_RUNS   timed pandas runs, the best counts (default 1: ~45 s each on a quiet
#                      core). 0 = time cltv alone, checked against the pandas summary kept
#                      in BENCH_CACHE from an earlier run (made once, untimed, if missing)
#        PANDAS_IMPL   groupby (default: idiomatic pandas) or lifetimes (a port of
#                      lifetimes' own function, ~3x slower)
#        PIN_CPU       core to pin both tools to with taskset (default 1; "" = no pinning)
#        SKIP_CLTV     1 = time pandas only (no cltv binary needed; no ratio, no check)
#        RESULTS_MD    if set, append a markdown section with the results to this file
#        RESULTS_LABEL label for that section (default "run")
#        CLTV_COMMIT   what the binary was built from, for that section (default: the
#                      repo's HEAD, flagged when src/ or include/ have uncommitted changes)
# Needs: hyperfine, /usr/bin/time (GNU time), Debian's /usr/bin/python3 with numpy
#        and pandas (python3-pandas); taskset if pinning.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo_root=$PWD
CLTV=${CLTV:-$repo_root/build-bench/src/cli/cltv}
CLTV_ARGS=${CLTV_ARGS:-}
ROWS=${ROWS:-10000000}
CUSTOMERS=${CUSTOMERS:-1000000}
SEED=${SEED:-20261123}
OBS_END=${OBS_END:-}
BENCH_CACHE=${BENCH_CACHE:-${BENCH_DIR:-${TMPDIR:-/tmp}/cltv-bench}}
CLTV_RUNS=${CLTV_RUNS:-5}
PANDAS_RUNS=${PANDAS_RUNS:-1}
PANDAS_IMPL=${PANDAS_IMPL:-groupby}
PIN_CPU=${PIN_CPU-1}
SKIP_CLTV=${SKIP_CLTV:-0}
RESULTS_LABEL=${RESULTS_LABEL:-run}
PY=/usr/bin/python3
TIME=/usr/bin/time

die() { echo "summarize.sh: $*" >&2; exit 2; }
[[ -x $PY ]] || die "$PY not found"
"$PY" -c 'import numpy, pandas' 2>/dev/null || die "$PY cannot import numpy and pandas (apt-get install -y python3-pandas)"
[[ -x $TIME ]] || die "$TIME not found (apt-get install -y time)"
read -r -a cltv_args <<< "$CLTV_ARGS"
if [[ $SKIP_CLTV != 1 ]]; then
  [[ -x $CLTV ]] || die "no cltv binary at $CLTV (build: cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DCLTV_BUILD_TESTS=OFF && ninja -C build-bench, or set CLTV; SKIP_CLTV=1 times pandas alone)"
  "$CLTV" summarize --help > /dev/null 2>&1 || die "$CLTV has no working 'summarize' command ('$CLTV summarize --help' fails)"
  command -v hyperfine >/dev/null || die "hyperfine not found (apt-get install -y hyperfine)"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cltv-summarize.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

pin=()
if [[ -n $PIN_CPU ]] && command -v taskset >/dev/null && taskset -c "$PIN_CPU" /bin/true 2>/dev/null; then
  pin=(taskset -c "$PIN_CPU")
  pin_note="pinned to core $PIN_CPU (taskset)"
else
  pin_note="NOT pinned (taskset missing, PIN_CPU empty, or core $PIN_CPU not allowed)"
fi
obs=()
[[ -n $OBS_END ]] && obs=(--observation-end "$OBS_END")

py_versions=$("$PY" -c 'import sys, numpy, pandas; print(f"python {sys.version.split()[0]}, pandas {pandas.__version__}, numpy {numpy.__version__}")')
echo "== cltv summarize vs pandas"
if [[ $SKIP_CLTV == 1 ]]; then
  echo "binary: none (SKIP_CLTV=1: pandas only)"
else
  echo "binary: $CLTV ($("$CLTV" --version)); $(hyperfine --version)"
fi
echo "pandas: $PY ($py_versions), bench/pandas_summarize.py --impl $PANDAS_IMPL"
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(nproc) cores; $pin_note"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (anything near the core count makes these numbers noisy)"
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
cltv_sum_at_start=$([[ $SKIP_CLTV == 1 ]] || md5sum < "$CLTV")
echo

# ---- data --------------------------------------------------------------------
# Cached by size, seed and generator version, so an edit to the generator
# regenerates instead of silently reusing an old log.
mkdir -p "$BENCH_CACHE"
gen_hash=$(md5sum bench/gen_transactions.py | cut -c1-8)
log=$BENCH_CACHE/transactions-${ROWS}r-${CUSTOMERS}c-seed$SEED-$gen_hash.csv
echo "-- data"
if [[ -s $log ]]; then
  echo "reusing $log"
else
  echo "generating $ROWS rows, $CUSTOMERS customers (seed $SEED) into $log ..."
  "$PY" bench/gen_transactions.py "$log.part" --rows "$ROWS" --customers "$CUSTOMERS" --seed "$SEED"
  mv "$log.part" "$log"
fi
log_bytes=$(stat -c %s "$log")
echo "log: $ROWS rows, $log_bytes bytes"
# pandas' summary of this log, kept for PANDAS_RUNS=0 (keyed by the script's version too).
pd_hash=$(md5sum bench/pandas_summarize.py | cut -c1-8)
ref=${log%.csv}-pandas-$PANDAS_IMPL${OBS_END:+-end$OBS_END}-$pd_hash.summary.csv
echo

# ---- smoke test: the worked cases of models.md ("RFM summary semantics") ------
# Rows out of order, a same-day split on a repeat day (id5: 5 + 3 on 01-18), a row
# after the observation end (id1) and a customer seen only after it (id7, left out).
cat > "$tmp/cases.csv" <<'EOF'
customer_id,date,amount
id5,2015-01-18,5
id3,2015-01-05,5
id1,2015-02-06,2
id7,2015-03-01,4
id6,2015-02-02,5
id3,2015-01-02,1
id1,2015-02-10,100
id5,2015-01-16,3
id1,2015-01-01,1
id5,2015-01-17,1
id3,2015-01-01,3
id5,2015-01-18,3
EOF
cat > "$tmp/cases.expected.csv" <<'EOF'
customer_id,frequency,recency,T,monetary_value
id1,1,36,37,2
id3,2,4,37,3
id5,2,2,22,4.5
id6,0,0,5,0
EOF
echo "-- smoke test: models.md worked cases, observation end 2015-02-07"
"$PY" bench/pandas_summarize.py "$tmp/cases.csv" "$tmp/cases.pandas.csv" --observation-end 2015-02-07 \
  --impl "$PANDAS_IMPL" 2> /dev/null
"$PY" bench/compare_summaries.py "$tmp/cases.pandas.csv" "$tmp/cases.expected.csv" --names pandas,expected \
  || die "pandas_summarize.py gets the worked cases wrong (see above)"
if [[ $SKIP_CLTV != 1 ]]; then
  "$CLTV" summarize "$tmp/cases.csv" --observation-end 2015-02-07 "${cltv_args[@]}" > "$tmp/cases.cltv.csv" \
    || die "cltv summarize exited with $? on the worked cases"
  "$PY" bench/compare_summaries.py "$tmp/cases.cltv.csv" "$tmp/cases.expected.csv" --names cltv,expected || {
    echo "cltv output:" >&2; cat "$tmp/cases.cltv.csv" >&2
    echo "summarize.sh: CORRECTNESS CHECK FAILED on the worked cases; no timings taken" >&2
    exit 1
  }
fi
echo

# ---- correctness + pandas timing ---------------------------------------------
# One untimed cltv run writes the summary to compare (and warms the page cache);
# pandas' timed run writes the reference. The check comes before cltv's timings.
if [[ $SKIP_CLTV != 1 ]]; then
  echo "-- cltv: one untimed run for the check"
  "$CLTV" summarize "$log" "${obs[@]}" "${cltv_args[@]}" > "$tmp/cltv.csv" \
    || die "cltv summarize exited with $? on $log: no timings taken"
  echo "$(($(wc -l < "$tmp/cltv.csv") - 1)) customers, $(stat -c %s "$tmp/cltv.csv") bytes"
else
  cat "$log" > /dev/null  # warm the page cache, as cltv's run would
fi
echo
if (( PANDAS_RUNS > 0 )); then
  echo "-- pandas: $PANDAS_RUNS timed run(s) (whole process: interpreter, imports, read_csv, group-by, to_csv)"
  for ((i = 1; i <= PANDAS_RUNS; i++)); do
    "$TIME" -v -o "$tmp/pandas.$i.time" "${pin[@]}" \
      "$PY" bench/pandas_summarize.py "$log" "$tmp/pandas.csv" "${obs[@]}" --impl "$PANDAS_IMPL" \
      2> "$tmp/pandas.$i.err" || { cat "$tmp/pandas.$i.err" "$tmp/pandas.$i.time" >&2; die "pandas_summarize.py failed"; }
    cat "$tmp/pandas.$i.err"
  done
  cp "$tmp/pandas.csv" "$ref.part" && mv "$ref.part" "$ref"
elif [[ -s $ref ]]; then
  echo "-- pandas: not timed (PANDAS_RUNS=0); reference summary from an earlier run: $ref"
  cp "$ref" "$tmp/pandas.csv"
else
  echo "-- pandas: not timed (PANDAS_RUNS=0); one untimed run for the reference summary ($ref)"
  "$PY" bench/pandas_summarize.py "$log" "$ref.part" "${obs[@]}" --impl "$PANDAS_IMPL" \
    || die "pandas_summarize.py failed"
  mv "$ref.part" "$ref"
  cp "$ref" "$tmp/pandas.csv"
fi
echo

(( PANDAS_RUNS > 0 || SKIP_CLTV != 1 )) || die "SKIP_CLTV=1 and PANDAS_RUNS=0: nothing to time"
if [[ $SKIP_CLTV != 1 ]]; then
  echo "-- correctness: cltv vs pandas, every customer"
  "$PY" bench/compare_summaries.py "$tmp/cltv.csv" "$tmp/pandas.csv" --names cltv,pandas | tee "$tmp/check.txt" || {
    echo "summarize.sh: CORRECTNESS CHECK FAILED: cltv and pandas disagree (see above); no cltv timings taken" >&2
    exit 1
  }
  echo

  # ---- cltv timing -------------------------------------------------------------
  # hyperfine -N (no shell) runs `/usr/bin/time -v -a -o LOG [taskset -c N] cltv ...`;
  # --output writes cltv's summary to a file, as pandas does, each run.
  q() { printf '%q ' "$@"; }
  echo "-- cltv: $CLTV_RUNS timed run(s), 1 warm-up (output to a file)"
  hyperfine -N --runs "$CLTV_RUNS" --warmup 1 --export-json "$tmp/cltv.json" -n cltv \
    --output "$tmp/cltv.timed.csv" \
    "$(q "$TIME" -v -a -o "$tmp/cltv.time" "${pin[@]}" "$CLTV" summarize "$log" "${obs[@]}" "${cltv_args[@]}")"
  cmp -s "$tmp/cltv.csv" "$tmp/cltv.timed.csv" || die "cltv's timed runs wrote a different summary than its first run"
  echo
else
  echo "ok: (no check, SKIP_CLTV=1)" > "$tmp/check.txt"
fi

# ---- report ------------------------------------------------------------------
if [[ $SKIP_CLTV != 1 && $(md5sum < "$CLTV") != "$cltv_sum_at_start" ]]; then
  echo "summarize.sh: WARNING: $CLTV was rebuilt during the run; the cltv timings may mix two builds" \
    | tee "$tmp/warn.txt" >&2
fi
commit=${CLTV_COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)}
if [[ -z ${CLTV_COMMIT:-} && -n $(git status --porcelain -- src include CMakeLists.txt cmake 2>/dev/null) ]]; then
  commit="$commit + uncommitted changes in src/include"
fi
"$PY" - "$tmp" "$ROWS" "$CUSTOMERS" "$log_bytes" "$PANDAS_RUNS" "$SKIP_CLTV" > "$tmp/report.txt" <<'EOF'
import json, os, re, sys

tmp, rows_n, cust_n, log_bytes, pandas_runs = sys.argv[1], *map(int, sys.argv[2:6])
skip_cltv = sys.argv[6] == "1"

def gnu_time(path):
    """(wall s, user + sys s, peak RSS MB) per run in a GNU time -v log (-a: several runs)."""
    text = open(path).read()
    def secs(hms):
        s = 0.0
        for part in hms.split(":"):
            s = s * 60 + float(part)
        return s
    wall = [secs(m) for m in re.findall(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text)]
    user = [float(m) for m in re.findall(r"User time \(seconds\): (\S+)", text)]
    syst = [float(m) for m in re.findall(r"System time \(seconds\): (\S+)", text)]
    rss = [int(m) / 1024 for m in re.findall(r"Maximum resident set size \(kbytes\): (\d+)", text)]
    return wall, [u + s for u, s in zip(user, syst)], rss

rows = {}
walls, cpus, rsss, splits = [], [], [], []
for i in range(1, pandas_runs + 1):
    w, c, r = gnu_time(os.path.join(tmp, f"pandas.{i}.time"))
    walls += w; cpus += c; rsss += r
    splits.append(open(os.path.join(tmp, f"pandas.{i}.err")).read().strip())
if walls:
    best_i = min(range(len(walls)), key=walls.__getitem__)
    rows["pandas"] = dict(runs=len(walls), best=walls[best_i], mean=sum(walls) / len(walls),
                          cpu=sum(cpus) / len(cpus), rss=max(rsss))
if not skip_cltv:
    with open(os.path.join(tmp, "cltv.json")) as f:
        r = json.load(f)["results"][0]
    _, _, rss = gnu_time(os.path.join(tmp, "cltv.time"))
    rows["cltv"] = dict(runs=len(r["times"]), best=min(r["times"]), mean=r["mean"],
                        cpu=r["user"] + r["system"], rss=max(rss))
for r in rows.values():
    r["rps"] = rows_n / r["best"]
    r["mbps"] = log_bytes / 1e6 / r["best"]

# rows/s and MB/s from the best wall time; cpu = mean user + system (a cross-check
# when other processes share the core: it barely moves with load, wall time does).
print("| tool | runs | best wall s | mean wall s | mean cpu s | rows/s | input MB/s | peak RSS MB |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for name in ("cltv", "pandas"):
    if name in rows:
        r = rows[name]
        print(f"| {name} | {r['runs']} | {r['best']:.3f} | {r['mean']:.3f} | {r['cpu']:.3f} | "
              f"{r['rps']:,.0f} | {r['mbps']:.1f} | {r['rss']:.1f} |")
print()
for name, r in rows.items():
    if r["best"] > 1.2 * r["cpu"]:
        print(f"warning: {name}'s best wall time is {r['best'] / r['cpu']:.1f}x its cpu time: the core was "
              f"shared (other processes, load); wall-time ratios are unreliable, the cpu ratio is steadier")
if os.path.exists(os.path.join(tmp, "warn.txt")):
    print(open(os.path.join(tmp, "warn.txt")).read().strip())
if walls:
    print(f"pandas split (best run): {splits[best_i].split(': ', 1)[-1]}")
print(f"check: {open(os.path.join(tmp, 'check.txt')).read().strip()}")
if skip_cltv:
    p = rows["pandas"]
    print(f"summary: pandas {p['best']:.2f} s wall, {p['cpu']:.2f} s cpu, {p['rss']:.1f} MB peak "
          f"({rows_n:,} rows, {cust_n:,} customers, {log_bytes:,} bytes); cltv not measured (SKIP_CLTV=1)")
    sys.exit(0)
c = rows["cltv"]
if not walls:
    v2 = "MET" if c["mbps"] >= 300 else "NOT MET"
    print(f"goal: >= 20x pandas end to end -> not measured (PANDAS_RUNS=0); "
          f">= 300 MB/s on one core -> {c['mbps']:.0f} MB/s: {v2}")
    print(f"summary: cltv {c['best']:.3f} s, {c['mbps']:.1f} MB/s, {c['rps']:,.0f} rows/s, {c['rss']:.1f} MB peak "
          f"({rows_n:,} rows, {cust_n:,} customers, best of {c['runs']}); pandas not timed")
    sys.exit(0)
p = rows["pandas"]
speedup = p["best"] / c["best"]
cpu_speedup = p["cpu"] / c["cpu"]
v1 = "MET" if speedup >= 20 else "NOT MET"
v2 = "MET" if c["mbps"] >= 300 else "NOT MET"
print(f"speedup (best wall): cltv is {speedup:.1f}x pandas; in cpu time {cpu_speedup:.1f}x; "
      f"peak RSS {c['rss']:.1f} MB vs {p['rss']:.1f} MB ({p['rss'] / c['rss']:.1f}x less)")
shared = [n for n, r in rows.items() if r["best"] > 1.2 * r["cpu"]]
if shared:
    v1 += f" (unreliable: {' and '.join(shared)} shared the core; {cpu_speedup:.1f}x in cpu time)"
print(f"goal: >= 20x pandas end to end -> {speedup:.1f}x: {v1}; >= 300 MB/s on one core -> {c['mbps']:.0f} MB/s: {v2}")
print(f"summary: cltv {c['best']:.3f} s, {c['mbps']:.1f} MB/s, {c['rps']:,.0f} rows/s, {c['rss']:.1f} MB peak; "
      f"pandas {p['best']:.2f} s, {p['rss']:.1f} MB peak; {speedup:.1f}x "
      f"({rows_n:,} rows, {cust_n:,} customers, best of {c['runs']})")
EOF
if [[ -n ${RESULTS_MD:-} ]]; then
  {
    echo
    echo "### summarize.sh: $RESULTS_LABEL (commit $commit)"
    echo
    echo "- date: $(date -u)"
    echo "- machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(nproc) cores, kernel $(uname -r); $pin_note; load average at start $load_at_start"
    if [[ $SKIP_CLTV == 1 ]]; then
      echo "- tools: $py_versions (pandas_summarize.py --impl $PANDAS_IMPL); cltv not run"
    else
      echo "- tools: $("$CLTV" --version), $py_versions (pandas_summarize.py --impl $PANDAS_IMPL), $(hyperfine --version)"
    fi
    echo "- input: $ROWS rows, $CUSTOMERS customers, $log_bytes bytes (gen_transactions.py seed $SEED, shuffled)${OBS_END:+; observation end $OBS_END}; file cache warm; both write the summary to a file"
    echo
    cat "$tmp/report.txt"
  } >> "$RESULTS_MD"
  echo "(results appended to $RESULTS_MD)"
  echo
fi
cat "$tmp/report.txt"
