#!/usr/bin/env bash
# The analyst's report of a large base: `cltv report customers` on a 1,000,000-customer daily
# summary (bench/gen_bgnbd.py, with a monetary_value drawn per repeat customer) with BG/NBD and
# Gamma-Gamma given as model files (fitted once, not timed): the whole process — read the
# summary, value every customer over 12 months, bin the charts, write one HTML page. Next to it,
# `cltv clv --format csv` on the same input and models (the valuation alone, its output thrown
# away), so that the page's own cost shows. Both pinned to one core. Also checks the page's size.
#
# Usage: bench/report.sh       (from any directory)
# Env:   CLTV, SEED, BENCH_CACHE, PIN_CPU, RESULTS_MD, RESULTS_LABEL, CLTV_COMMIT as in
#        bench/fit_bgnbd.sh; CUSTOMERS (default 1000000); CLTV_RUNS (default 5)
# Needs: hyperfine, Debian's /usr/bin/python3 with numpy; taskset if pinning.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
CLTV=${CLTV:-$PWD/build-bench/src/cli/cltv}
CUSTOMERS=${CUSTOMERS:-1000000}
SEED=${SEED:-20261204}
BENCH_CACHE=${BENCH_CACHE:-${BENCH_DIR:-${TMPDIR:-/tmp}/cltv-bench}}
CLTV_RUNS=${CLTV_RUNS:-5}
PIN_CPU=${PIN_CPU-1}
RESULTS_LABEL=${RESULTS_LABEL:-run}
PY=/usr/bin/python3

# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_start report.sh "numpy"

mkdir -p "$BENCH_CACHE"
summary=$BENCH_CACHE/report-${CUSTOMERS}c-seed$SEED-$(md5sum bench/gen_bgnbd.py bench/report.sh | md5sum | cut -c1-8).csv
if [[ ! -s $summary ]]; then
  "$PY" bench/gen_bgnbd.py "$tmp/rfm.csv" --customers "$CUSTOMERS" --seed "$SEED" --with-id
  # A mean spend per repeat customer: Gamma-Gamma's own process (p 6, q 4, gamma 15).
  "$PY" - "$tmp/rfm.csv" "$summary.part" "$SEED" <<'PYEOF'
import csv, sys
import numpy as np
rng = np.random.default_rng(int(sys.argv[3]))
with open(sys.argv[1]) as f, open(sys.argv[2], "w", newline="") as out:
    rows = csv.reader(f)
    header = next(rows)
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header + ["monetary_value"])
    for r in rows:
        x = int(float(r[1]))
        m = 0.0
        if x > 0:
            nu = rng.gamma(4.0, 1 / 15.0)
            m = rng.gamma(6.0 * x, 1 / nu) / x
        w.writerow(r + [f"{m:.2f}"])
PYEOF
  mv "$summary.part" "$summary"
fi
"$CLTV" fit bgnbd "$summary" --time-unit days > "$tmp/bgnbd.json" 2>/dev/null
"$CLTV" fit gamma-gamma "$summary" > "$tmp/gg.json" 2>/dev/null

q() { printf '%q ' "$@"; }
report=("$CLTV" report customers "$summary" --model "$tmp/bgnbd.json" --model "$tmp/gg.json"
        --time-unit days -o "$tmp/report.html")
clv=("$CLTV" clv "$summary" --model "$tmp/bgnbd.json" --model "$tmp/gg.json" --time-unit days
     --format csv)
"${report[@]}"
bytes=$(stat -c %s "$tmp/report.html")
echo "== cltv report customers, $CUSTOMERS customers, BG/NBD + Gamma-Gamma as files"
hyperfine -N --runs "$CLTV_RUNS" --warmup 1 --export-json "$tmp/h.json" \
  "$(q "${pin[@]}" "${report[@]}")" "$(q "${pin[@]}" "${clv[@]}")" --output null > /dev/null

"$PY" - "$tmp/h.json" "$bytes" "$CUSTOMERS" > "$tmp/table.txt" <<'PYEOF'
import json, statistics, sys
results = json.load(open(sys.argv[1]))["results"]
bytes_, n = int(sys.argv[2]), int(sys.argv[3])
med = [statistics.median(r["times"]) for r in results]
rng = [(min(r["times"]), max(r["times"])) for r in results]
print("| command | median s (min–max), whole process | page bytes |")
print("|---|---:|---:|")
print(f"| cltv report customers ({n:,} customers) | {med[0]:.3f} ({rng[0][0]:.3f}–{rng[0][1]:.3f}) | {bytes_:,} |")
print(f"| cltv clv --format csv, same input (the valuation alone) | {med[1]:.3f} ({rng[1][0]:.3f}–{rng[1][1]:.3f}) | |")
print()
print(f"summary: report / clv = {med[0] / med[1]:.2f}")
ok_t, ok_b = med[0] <= 1.0, bytes_ <= 5 * 1024 * 1024
print(f"goal: <= 1 s -> {med[0]:.3f} s: {'MET' if ok_t else 'NOT MET'}; <= 5 MB -> "
      f"{bytes_ / 1e6:.2f} MB: {'MET' if ok_b else 'NOT MET'}")
PYEOF
cat "$tmp/table.txt"
if [[ -n ${RESULTS_MD:-} ]]; then
  commit=${CLTV_COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)}
  {
    echo
    echo "### report.sh: $RESULTS_LABEL (commit $commit)"
    echo
    echo "- date: $(date -u); machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(nproc) cores; $pin_note; load average at start $load_at_start, at end $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- tools: $("$CLTV" --version), $(hyperfine --version); median of $CLTV_RUNS runs"
    echo
    cat "$tmp/table.txt"
  } >> "$RESULTS_MD"
fi
