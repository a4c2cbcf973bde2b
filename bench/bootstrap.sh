#!/usr/bin/env bash
# Bootstrap intervals: `cltv clv --bootstrap 200` (BG/NBD + Gamma-Gamma refitted 200 times,
# every customer valued under each refit, 90% percentile intervals; the whole process: CSV
# read, refits, valuation, CSV out) on CDNOW, next to the same computation written with
# SciPy (bench/scipy_bootstrap.py). Goal (issue 19): 200 replicates in <= 2 s. Also the
# Pareto/NBD figure, and cltv on one thread. Times whole processes with farm-bench (A B A B,
# paired ratios; median of 5 runs). First checks that the two tools' total-CLV intervals
# agree within the bootstrap's own noise (5%).
#
# Usage: bench/bootstrap.sh          (from any directory)
# Env:   CLTV (default build-bench/src/cli/cltv), CDNOW (the summary with zbar), RUNS (5)
# Needs: farm-bench, Debian's /usr/bin/python3 with numpy and scipy.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
CLTV=${CLTV:-$PWD/build-bench/src/cli/cltv}
CDNOW=${CDNOW:-/work/shared/data/cdnow_customers_summary_with_transactions.csv}
RUNS=${RUNS:-5}
PY=/usr/bin/python3
die() { echo "bootstrap.sh: $*" >&2; exit 2; }
[[ -x $CLTV ]] || die "no cltv binary at $CLTV (see bench/README.md, or set CLTV)"
[[ -s $CDNOW ]] || die "no CDNOW summary at $CDNOW (set CDNOW)"
command -v farm-bench >/dev/null || die "farm-bench not found"
$PY -c "import numpy, scipy" 2>/dev/null || die "/usr/bin/python3 cannot import numpy, scipy"

echo "== check: total-CLV 90% intervals, cltv vs SciPy (200 replicates each, own streams)"
cltv_total=$("$CLTV" clv "$CDNOW" --time-unit weeks --bootstrap 200 --format json 2>/dev/null |
  $PY -c "import json,sys; print(*json.load(sys.stdin)['totals']['clv_interval'])")
scipy_total=$($PY bench/scipy_bootstrap.py "$CDNOW" --replicates 200 |
  $PY -c "import json,sys; print(*json.load(sys.stdin)['total_interval'])")
echo "cltv  $cltv_total"
echo "scipy $scipy_total"
$PY - "$cltv_total" "$scipy_total" <<'PYEOF' || die "the intervals disagree by more than 5%"
import sys
a, b = [list(map(float, s.split())) for s in sys.argv[1:3]]
worst = max(abs(x - y) / y for x, y in zip(a, b))
print(f"largest relative difference of the bounds: {worst:.3f}")
sys.exit(0 if worst <= 0.05 else 1)
PYEOF

cltv=("$CLTV" clv "$CDNOW" --time-unit weeks --bootstrap 200 --format csv)
echo "== A: cltv clv --bootstrap 200 (BG/NBD + Gamma-Gamma, default threads = $(nproc)) vs B: SciPy"
farm-bench -n "$RUNS" --timeout 600 --vs "$PY bench/scipy_bootstrap.py $CDNOW --replicates 200" -- "${cltv[@]}"
echo "== A: the same on one thread (--threads 1) vs B: default threads"
farm-bench -n "$RUNS" --timeout 600 --vs "${cltv[*]}" -- "${cltv[@]}" --threads 1
echo "== Pareto/NBD + Gamma-Gamma, 200 replicates (A) vs BG/NBD + Gamma-Gamma (B)"
farm-bench -n "$RUNS" --timeout 600 --vs "${cltv[*]}" -- "${cltv[@]}" --purchase-model pareto-nbd
