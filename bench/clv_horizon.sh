#!/usr/bin/env bash
# Long CLV horizons: `cltv clv` with a BG/NBD model over 1,200 months on CDNOW and over 120 months
# on a 300,000-customer daily summary (a whole process: CSV read, valuation, CSV out), next to
# lifetimes' way of computing the same values in SciPy (bench/scipy_clv_bgnbd.py: the
# conditional expectation with scipy.special.hyp2f1 at every month, vectorised over customers;
# timing the computation only). Checks that every customer's value agrees to 1e-9 relative
# before timing cltv. Both pinned to one core.
#
# Usage: bench/clv_horizon.sh       (from any directory)
# Env:   CLTV, CDNOW (cdnow_customers_summary_with_transactions.csv; "" skips it), SEED,
#        BENCH_CACHE, PIN_CPU, RESULTS_MD, RESULTS_LABEL, CLTV_COMMIT as in bench/fit_bgnbd.sh;
#        CUSTOMERS (default 300000); CLTV_RUNS (default 10)
# Needs: hyperfine, Debian's /usr/bin/python3 with numpy and scipy; taskset if pinning.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
CLTV=${CLTV:-$PWD/build-bench/src/cli/cltv}
CDNOW=${CDNOW-/work/shared/data/cdnow_customers_summary_with_transactions.csv}
CUSTOMERS=${CUSTOMERS:-300000}
SEED=${SEED:-20261203}
BENCH_CACHE=${BENCH_CACHE:-${BENCH_DIR:-${TMPDIR:-/tmp}/cltv-bench}}
CLTV_RUNS=${CLTV_RUNS:-10}
PIN_CPU=${PIN_CPU-1}
RESULTS_LABEL=${RESULTS_LABEL:-run}
PY=/usr/bin/python3

# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_start clv_horizon.sh "numpy, scipy"

mkdir -p "$BENCH_CACHE"
daily=$BENCH_CACHE/horizon-bgnbd-${CUSTOMERS}c-seed$SEED-$(md5sum bench/gen_bgnbd.py | cut -c1-8).csv
if [[ ! -s $daily ]]; then
  "$PY" bench/gen_bgnbd.py "$daily.part" --customers "$CUSTOMERS" --seed "$SEED" --first-days 2000
  mv "$daily.part" "$daily"
fi
sets=()  # name|summary|unit days|months
[[ -n $CDNOW && -s $CDNOW ]] && sets+=("CDNOW, 1200 months|$CDNOW|7|1200")
sets+=("daily $CUSTOMERS, 120 months|$daily|1|120")

q() { printf '%q ' "$@"; }
echo "== cltv clv (BG/NBD) over long horizons vs lifetimes' hyp2f1 month by month in SciPy"
i=0
for s in "${sets[@]}"; do
  IFS='|' read -r name path unit months <<< "$s"
  i=$((i + 1))
  unit_name=$([[ $unit == 7 ]] && echo weeks || echo days)
  "$CLTV" fit bgnbd "$path" --time-unit "$unit_name" > "$tmp/$i.model.json" 2>/dev/null
  cmd=("$CLTV" clv "$path" --model "$tmp/$i.model.json" --spend-per-purchase 10
       --time-unit "$unit_name" --horizon "$months" --format csv)
  "${cmd[@]}" > "$tmp/$i.cltv.csv"
  "${pin[@]}" "$PY" bench/scipy_clv_bgnbd.py "$path" "$tmp/$i.model.json" --months "$months" \
    --unit-days "$unit" --out "$tmp/$i.scipy.txt" > "$tmp/$i.scipy.json"
  "$PY" - "$tmp/$i.cltv.csv" "$tmp/$i.scipy.txt" > "$tmp/$i.check" <<'EOF' || die "CORRECTNESS CHECK FAILED on $name: $(cat "$tmp/$i.check")"
import csv, sys
c = [float(r["clv"]) for r in csv.DictReader(open(sys.argv[1]))]
s = [float(l) for l in open(sys.argv[2])]
rel = max(abs(a - b) / abs(b) for a, b in zip(c, s) if b)
print(f"{rel:.1e}")
sys.exit(0 if len(c) == len(s) and rel <= 1e-9 else 1)
EOF
  hyperfine -N --runs "$CLTV_RUNS" --warmup 2 --export-json "$tmp/$i.hyperfine.json" \
    "$(q "${pin[@]}" "${cmd[@]}")" > /dev/null
  echo "$name" > "$tmp/$i.name"
done

"$PY" - "$tmp" "$i" > "$tmp/report.txt" <<'EOF'
import json, os, statistics, sys
tmp, count = sys.argv[1], int(sys.argv[2])
print("| data | cltv median s (min–max), whole process | SciPy s, computation only | ratio | max rel. diff of values |")
print("|---|---:|---:|---:|---:|")
verdicts = []
for i in range(1, count + 1):
    name = open(os.path.join(tmp, f"{i}.name")).read().strip()
    times = json.load(open(os.path.join(tmp, f"{i}.hyperfine.json")))["results"][0]["times"]
    s = json.load(open(os.path.join(tmp, f"{i}.scipy.json")))
    med = statistics.median(times)
    rel = open(os.path.join(tmp, f"{i}.check")).read().strip()
    print(f"| {name} | {med:.3f} ({min(times):.3f}–{max(times):.3f}) | {s['wall_s']:.2f} | {s['wall_s'] / med:.0f}x | {rel} |")
    goal = 0.2 if name.startswith("CDNOW") else 1.0
    verdicts.append(f"{name} <= {goal} s -> {med:.3f} s: {'MET' if med <= goal else 'NOT MET'}")
print()
print("goal: " + "; ".join(verdicts))
EOF
cat "$tmp/report.txt"
if [[ -n ${RESULTS_MD:-} ]]; then
  commit=${CLTV_COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)}
  {
    echo
    echo "### clv_horizon.sh: $RESULTS_LABEL (commit $commit)"
    echo
    echo "- date: $(date -u); machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(nproc) cores; $pin_note; load average at start $load_at_start, at end $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- tools: $("$CLTV" --version), $("$PY" -c 'import scipy, numpy; print(f"scipy {scipy.__version__}, numpy {numpy.__version__}")'), $(hyperfine --version); cltv: median of $CLTV_RUNS runs"
    echo
    cat "$tmp/report.txt"
  } >> "$RESULTS_MD"
fi
