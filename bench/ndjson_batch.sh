#!/usr/bin/env bash
# Batch throughput: `cltv calc --input FILE --format ndjson > /dev/null` on 1,000,000
# NDJSON scenarios, next to jq computing the same LTV and LTV:CAC per line, both
# pinned to one core. Reports wall time, records/s, input MB/s and peak RSS, checks
# that jq and cltv agree, and shows that cltv's memory stays flat (streaming).
#
# Usage: bench/ndjson_batch.sh      (from any directory)
# Env:   CLTV          binary to measure (default: build-bench/src/cli/cltv under the repo root)
#        LINES         scenarios in the big file (default 1000000)
#        SMALL_LINES   scenarios in the small file for the memory check (default 100000)
#        SEED          generator seed (default 20261123)
#        BENCH_CACHE   where generated files are kept (default ${TMPDIR:-/tmp}/cltv-bench)
#        CLTV_RUNS     timed cltv runs, after 1 warm-up (default 3)
#        JQ_RUNS       timed runs of the lean jq program (default 3)
#        JQ_FAIR_RUNS  timed runs of the full-record jq program (default 1: ~1 min each)
#        CHECK_LINES   lines compared between jq and cltv (default 1000)
#        PIN_CPU       core to pin both tools to with taskset (default 0; "" = no pinning)
#        RESULTS_MD    if set, append a markdown section with the results to this file
#        RESULTS_LABEL label for that section (default "run")
#        CLTV_COMMIT   what the binary was built from, for that section (default: the
#                      repo's HEAD, flagged when src/ or include/ have uncommitted changes)
# Needs: hyperfine, jq, /usr/bin/time (GNU time), /usr/bin/python3; taskset if pinning.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo_root=$PWD
CLTV=${CLTV:-$repo_root/build-bench/src/cli/cltv}
LINES=${LINES:-1000000}
SMALL_LINES=${SMALL_LINES:-100000}
SEED=${SEED:-20261123}
BENCH_CACHE=${BENCH_CACHE:-${TMPDIR:-/tmp}/cltv-bench}
CLTV_RUNS=${CLTV_RUNS:-3}
JQ_RUNS=${JQ_RUNS:-3}
JQ_FAIR_RUNS=${JQ_FAIR_RUNS:-1}
CHECK_LINES=${CHECK_LINES:-1000}
PIN_CPU=${PIN_CPU-0}
RESULTS_LABEL=${RESULTS_LABEL:-run}
PY=/usr/bin/python3
TIME=/usr/bin/time

die() { echo "ndjson_batch.sh: $*" >&2; exit 2; }
[[ -x $CLTV ]] || die "no cltv binary at $CLTV (build: cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DCLTV_BUILD_TESTS=OFF && ninja -C build-bench, or set CLTV)"
command -v hyperfine >/dev/null || die "hyperfine not found (apt-get install -y hyperfine)"
command -v jq >/dev/null || die "jq not found (apt-get install -y jq)"
[[ -x $TIME ]] || die "$TIME not found (apt-get install -y time)"
[[ -x $PY ]] || die "$PY not found"
(( SMALL_LINES < LINES )) || die "SMALL_LINES ($SMALL_LINES) must be below LINES ($LINES)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cltv-ndjson.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

pin=()
if [[ -n $PIN_CPU ]] && command -v taskset >/dev/null && taskset -c "$PIN_CPU" /bin/true 2>/dev/null; then
  pin=(taskset -c "$PIN_CPU")
  pin_note="pinned to core $PIN_CPU (taskset)"
else
  pin_note="NOT pinned (taskset missing, PIN_CPU empty, or core $PIN_CPU not allowed)"
fi

echo "== cltv NDJSON batch throughput vs jq"
echo "binary: $CLTV ($("$CLTV" --version)); $(jq --version); $(hyperfine --version)"
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(nproc) cores; $pin_note"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (anything near the core count makes these numbers noisy)"
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
echo

# ---- data --------------------------------------------------------------------
# Cached by size, seed and generator version, so an edit to the generator
# regenerates instead of silently reusing an old mix.
mkdir -p "$BENCH_CACHE"
gen_hash=$(md5sum bench/gen_scenarios.py | cut -c1-8)
big=$BENCH_CACHE/scenarios-$LINES-seed$SEED-$gen_hash.ndjson
small=$BENCH_CACHE/scenarios-$LINES-seed$SEED-$gen_hash-head$SMALL_LINES.ndjson
echo "-- data"
if [[ -s $big ]]; then
  echo "reusing $big"
else
  echo "generating $LINES scenarios (seed $SEED) into $big ..."
  "$PY" bench/gen_scenarios.py "$big.part" -n "$LINES" --seed "$SEED"
  mv "$big.part" "$big"
fi
[[ -s $small ]] || head -n "$SMALL_LINES" "$big" > "$small"
big_bytes=$(stat -c %s "$big")
small_bytes=$(stat -c %s "$small")
echo "big:   $LINES lines, $big_bytes bytes"
echo "small: $SMALL_LINES lines, $small_bytes bytes (first lines of big)"
echo

# ---- the jq programs ---------------------------------------------------------
# Same formulas as cltv (src/formulas.cpp, src/ltv.cpp), written the textbook way:
#   margin m = arpu × gross_margin − cost_to_serve (defaults 1 and 0)
#   churn c (number or "x%"), no discount/horizon:  m / c
#   with discount d:                                m (1 + d) / (c + d)
#   with horizon H:                                 m (1 − q^H) / (1 − q), q = (1 − c) / (1 + d)
#   fixed lifetime L, counted min(L, H):            m L (d = 0), m (1 + d)(1 − (1 + d)^−L) / d
#   ratio = LTV / cac
# The scenarios only use arpu (not value/aov), which is all the generator writes.
cp bench/calc_defs.jq "$tmp/defs.jq"
# Lean: only what the comparison is about (id, LTV, ratio): jq's best case.
cat "$tmp/defs.jq" bench/calc_lean.jq > "$tmp/lean.jq"
# Fair: the full record cltv writes, same keys in the same order (checked below).
# expected_payback as cltv::expected_payback computes it (src/ltv.cpp) for the
# generator's records (no expansion, no sBG curve): with churn, the periods
# whose discounted margins first add up to the CAC, in closed form; with a
# fixed lifetime, period by period; null when never.
{ cat "$tmp/defs.jq"; cat <<'EOF'; } > "$tmp/fair.jq"
def expected_payback($in; $r):
  $in.cac as $cac
  | (($in.discount_rate // 0) | rate) as $d
  | ($in.horizon // 10000) as $last
  | $r.m as $m
  | if $cac <= 0 then 0
    elif $in.lifetime == null then
      ($in.churn | rate) as $c
      | ((1 - $c) / (1 + $d)) as $q
      | def paid($n): if $q == 1 then $m * $n else $m * (1 - pow($q; $n)) / (1 - $q) end;
      if $m <= 0 then null
      elif $q == 0 then (if $cac <= $m then $cac / $m else null end)
      else
        (if $q == 1 then ($cac / $m | floor)
         else (1 - $cac * (1 - $q) / $m) as $left
         | if $left <= 0 then null else (($left | log) / ($q | log) | floor) end end) as $t0
        | if $t0 == null then null
          else (if $t0 > 0 and paid($t0) >= $cac then $t0 - 1 else $t0 end) as $t1
          | (if paid($t1 + 1) < $cac then $t1 + 1 else $t1 end) as $t
          | if $t >= $last then null else $t + ($cac - paid($t)) / ($m * pow($q; $t)) end
          end
      end
    elif $r.ltv < $cac then null
    else
      def walk($t; $recovered; $discount):
        if $t >= $last or $in.lifetime - $t <= 0 then null
        else ([1, $in.lifetime - $t] | min) as $w
          | ($m * $w * $discount) as $pay
          | if $pay > 0 and $recovered + $pay >= $cac then $t + ($cac - $recovered) / $pay
            else walk($t + 1; $recovered + $pay; $discount / (1 + $d)) end
        end;
      walk(0; 0; 1)
    end;
. as $in
| calc as $r
| ($in.target // 3) as $target
| (if $in.id != null then {id: $in.id} else {} end)
+ {period: ($in.period // "month")}
+ (if $r.life != null then {lifetime: $r.life} else {} end)
+ {margin_per_period: $r.m, ltv: $r.ltv}
+ (if $in.cac != null then
     {net_value: ($r.ltv - $in.cac)}
     + (if $in.cac > 0 then
          ($r.ltv / $in.cac) as $ratio
          | {ltv_cac_ratio: $ratio, target: $target, meets_target: ($ratio >= $target * (1 - 1e-9))}
        else {target: $target} end)
     + (if $r.m > 0 then {cac_payback: ($in.cac / $r.m), expected_payback: expected_payback($in; $r)}
        else {} end)
   else {target: $target} end)
+ (if $r.life == null or ($in.cac != null and $r.m <= 0) then
     {notes: [if $r.life == null then "lifetime is unbounded (churn 0): LTV counts the horizon or discounting only" else empty end,
              if $in.cac != null and $r.m <= 0 then "cac_payback omitted: margin per period is not positive, so CAC is never paid back" else empty end]}
   else {} end)
+ {inputs: (
     {period: ($in.period // "month"), arpu: $in.arpu}
     + (if $in.lifetime != null then {lifetime: $in.lifetime} else {churn: ($in.churn | rate)} end)
     + {gross_margin: (($in.gross_margin // 1) | rate), cost_to_serve: ($in.cost_to_serve // 0)}
     + (if $in.cac != null then {cac: $in.cac} else {} end)
     + {discount_rate: (($in.discount_rate // 0) | rate)}
     + (if $in.horizon != null then {horizon: $in.horizon} else {} end)
     + {target: $target})}
EOF

# ---- correctness -------------------------------------------------------------
echo "-- correctness: first $CHECK_LINES lines, cltv vs jq (relative difference < 1e-9)"
head -n "$CHECK_LINES" "$big" > "$tmp/check.ndjson"
"$CLTV" calc --input "$tmp/check.ndjson" --format ndjson > "$tmp/check.cltv" \
  || die "cltv exited with $? on the first $CHECK_LINES lines (a rejected scenario?): no timings taken"
jq -c -f "$tmp/lean.jq" "$tmp/check.ndjson" > "$tmp/check.lean"
jq -c -f "$tmp/fair.jq" "$tmp/check.ndjson" > "$tmp/check.fair"
"$PY" - "$tmp/check.cltv" "$tmp/check.lean" "$tmp/check.fair" <<'EOF' || {
import json, sys

def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f]

cltv, lean, fair = (load(p) for p in sys.argv[1:4])
if not (len(cltv) == len(lean) == len(fair)) or not cltv:
    sys.exit(f"record counts differ: cltv {len(cltv)}, jq lean {len(lean)}, jq fair {len(fair)}")

def rel(a, b):
    return abs(a - b) / max(abs(a), abs(b), 1e-300)

worst = (0.0, None)
def close(a, b, where):
    global worst
    d = rel(a, b)
    if d > worst[0]:
        worst = (d, where)
    return d < 1e-9

bad = []
def same(c, j, where):
    """Same keys in the same order, numbers within 1e-9, everything else equal."""
    if isinstance(c, dict) and isinstance(j, dict):
        if list(c) != list(j):
            bad.append(f"{where}: keys differ: cltv {list(c)} vs jq {list(j)}")
            return
        for k in c:
            same(c[k], j[k], f"{where}.{k}")
    elif isinstance(c, bool) or isinstance(j, bool) or isinstance(c, str) or isinstance(c, list):
        if c != j:
            bad.append(f"{where}: cltv {c!r} vs jq {j!r}")
    elif isinstance(c, (int, float)) and isinstance(j, (int, float)):
        if not close(c, j, where):
            bad.append(f"{where}: cltv {c!r} vs jq {j!r} (rel {rel(c, j):.3g})")
    elif c != j:
        bad.append(f"{where}: cltv {c!r} vs jq {j!r}")

stopped_at = None
for i, (c, l, f) in enumerate(zip(cltv, lean, fair), 1):
    if "error" in c:
        bad.append(f"line {i}: cltv rejected the scenario: {c['error']}")
        continue
    same({k: c.get(k) for k in ("id", "ltv", "ltv_cac_ratio")}, l, f"line {i} (lean)")
    same(c, f, f"line {i} (fair)")
    if len(bad) >= 10:
        stopped_at = i
        break

if bad:
    print("\n".join(bad), file=sys.stderr)
    sys.exit(f"MISMATCH: {len(bad)} difference(s)"
             + (f" (stopped looking at line {stopped_at})" if stopped_at else ""))
print(f"ok: {len(cltv)} records agree (ltv, ltv_cac_ratio; fair record: every key); "
      f"largest relative difference {worst[0]:.2g} at {worst[1]}")
EOF
  echo "ndjson_batch.sh: CORRECTNESS CHECK FAILED: jq and cltv disagree (see above); no timings taken" >&2
  exit 1
}
check_records=$(wc -l < "$tmp/check.ndjson")
out_bytes=("$(stat -c %s "$tmp/check.cltv")" "$(stat -c %s "$tmp/check.lean")" "$(stat -c %s "$tmp/check.fair")")
echo "output bytes for these $check_records records: cltv ${out_bytes[0]}, jq lean ${out_bytes[1]}, jq fair ${out_bytes[2]}"
echo "sample: $(head -n1 "$tmp/check.cltv")"
echo

# ---- timings -----------------------------------------------------------------
# hyperfine -N (no shell) runs `/usr/bin/time -v -a -o LOG [taskset -c N] TOOL ...`,
# so the timed runs also give the peak RSS; output goes to /dev/null (hyperfine's
# default). The cltv warm-up also warms the page cache for the jq runs.
q() { printf '%q ' "$@"; }
bench() {  # name runs warmup tool args...
  local name=$1 runs=$2 warmup=$3
  shift 3
  echo "-- $name: $runs timed run(s), $warmup warm-up"
  hyperfine -N --runs "$runs" --warmup "$warmup" --export-json "$tmp/$name.json" -n "$name" \
    "$(q "$TIME" -v -a -o "$tmp/$name.rss" "${pin[@]}" "$@")"
  echo
}
bench cltv "$CLTV_RUNS" 1 "$CLTV" calc --input "$big" --format ndjson
bench jq-lean "$JQ_RUNS" 0 jq -c -f "$tmp/lean.jq" "$big"
bench jq-fair "$JQ_FAIR_RUNS" 0 jq -c -f "$tmp/fair.jq" "$big"

echo "-- memory: cltv on $SMALL_LINES vs $LINES lines"
"$TIME" -v -o "$tmp/cltv-small.rss" "${pin[@]}" "$CLTV" calc --input "$small" --format ndjson > /dev/null
echo

# ---- report ------------------------------------------------------------------
commit=${CLTV_COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)}
if [[ -z ${CLTV_COMMIT:-} && -n $(git status --porcelain -- src include CMakeLists.txt cmake 2>/dev/null) ]]; then
  commit="$commit + uncommitted changes in src/include"
fi
"$PY" - "$tmp" "$LINES" "$big_bytes" "$SMALL_LINES" "$check_records" "${out_bytes[@]}" \
  > "$tmp/report.txt" <<'EOF'
import json, os, re, sys

tmp, lines, big_bytes, small_lines, check_records = sys.argv[1], *map(int, sys.argv[2:6])
out_per_rec = dict(zip(("cltv", "jq-lean", "jq-fair"), (int(b) / check_records for b in sys.argv[6:9])))

def peak_rss_mb(log):
    with open(os.path.join(tmp, log)) as f:
        kb = [int(m) for m in re.findall(r"Maximum resident set size \(kbytes\): (\d+)", f.read())]
    return max(kb) / 1024

rows = {}
for name in ("cltv", "jq-lean", "jq-fair"):
    with open(os.path.join(tmp, name + ".json")) as f:
        r = json.load(f)["results"][0]
    best = min(r["times"])
    rows[name] = dict(best=best, mean=r["mean"], cpu=r["user"] + r["system"], runs=len(r["times"]),
                      rps=lines / best, mbps=big_bytes / 1e6 / best, rss=peak_rss_mb(name + ".rss"))

# records/s and MB/s from the best wall time; cpu = mean user + system (a cross-check
# when other processes share the core: it barely moves with load, wall time does).
print(f"| tool | runs | best wall s | mean wall s | mean cpu s | records/s | input MB/s | peak RSS MB | output B/record |")
print(f"|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for name, r in rows.items():
    print(f"| {name} | {r['runs']} | {r['best']:.3f} | {r['mean']:.3f} | {r['cpu']:.3f} | {r['rps']:,.0f} | "
          f"{r['mbps']:.1f} | {r['rss']:.1f} | {out_per_rec[name]:.1f} |")
small_rss = peak_rss_mb("cltv-small.rss")
print()
print(f"memory: cltv peak RSS {small_rss:.1f} MB on {small_lines:,} lines, "
      f"{rows['cltv']['rss']:.1f} MB on {lines:,} lines "
      f"({rows['cltv']['rss'] / small_rss:.2f}x for {lines / small_lines:.0f}x the input)")
c = rows["cltv"]["best"]
lean, fair = rows["jq-lean"]["best"] / c, rows["jq-fair"]["best"] / c
cpu_lean = rows["jq-lean"]["cpu"] / rows["cltv"]["cpu"]
print(f"speedup (best wall): cltv is {lean:.1f}x jq lean, {fair:.1f}x jq fair (same output); "
      f"in cpu time {cpu_lean:.1f}x jq lean")
verdict = "MET" if lean >= 20 else "NOT MET"
print(f"goal: >= 20x jq on one core -> {lean:.1f}x vs jq lean ({fair:.1f}x vs jq fair): {verdict}")
print(f"summary: cltv {rows['cltv']['rps']:,.0f} records/s, {rows['cltv']['mbps']:.1f} MB/s, "
      f"{rows['cltv']['rss']:.1f} MB peak; {lean:.1f}x jq lean, {fair:.1f}x jq fair "
      f"({lines:,} scenarios, best of {rows['cltv']['runs']})")
EOF
if [[ -n ${RESULTS_MD:-} ]]; then
  {
    echo
    echo "### ndjson_batch.sh: $RESULTS_LABEL (commit $commit)"
    echo
    echo "- date: $(date -u)"
    echo "- machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(nproc) cores, kernel $(uname -r); $pin_note; load average at start $load_at_start"
    echo "- tools: $("$CLTV" --version), $(jq --version), $(hyperfine --version)"
    echo "- input: $LINES scenarios, $big_bytes bytes (gen_scenarios.py seed $SEED); file cache warm"
    echo
    cat "$tmp/report.txt"
  } >> "$RESULTS_MD"
  echo "(results appended to $RESULTS_MD)"
  echo
fi
cat "$tmp/report.txt"
