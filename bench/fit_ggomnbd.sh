#!/usr/bin/env bash
# Gamma-Gompertz/NBD maximum likelihood: `cltv fit ggomnbd SUMMARY --time-unit weeks` (a whole
# process: CSV read, compression, the Pareto/NBD fit it starts from, L-BFGS with the exact
# gradient, Hessian, the adaptive-quadrature check, JSON) next to SciPy's L-BFGS-B on the same
# likelihood written with NumPy (bench/scipy_fit_ggomnbd.py: the same 32-node rule, vectorised
# over customers, numerical gradients, the same start; the fit only, arrays in memory). Both
# pinned to one core. cltv must reach SciPy's log-likelihood (1e-8 relative) or better.
#
# Data: CDNOW (2,357 customers, weeks; ../shared, required).
# Usage: bench/fit_ggomnbd.sh     Env: CLTV, CDNOW, PIN_CPU (default 1), CLTV_RUNS (10), SCIPY_RUNS (3)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
CLTV=${CLTV:-$PWD/build-bench/src/cli/cltv}
CDNOW=${CDNOW:-/work/shared/data/cdnow_customers_summary.csv}
CLTV_RUNS=${CLTV_RUNS:-10}
SCIPY_RUNS=${SCIPY_RUNS:-3}
PIN_CPU=${PIN_CPU-1}
PY=/usr/bin/python3

# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_start fit_ggomnbd.sh "numpy, scipy"
[[ -s $CDNOW ]] || die "no CDNOW summary at $CDNOW"
py_versions=$("$PY" -c 'import sys, numpy, scipy; print(f"python {sys.version.split()[0]}, scipy {scipy.__version__}, numpy {numpy.__version__}")')
echo "== cltv fit ggomnbd vs SciPy L-BFGS-B (NumPy likelihood)"
echo "binary: $CLTV ($("$CLTV" --version)); $py_versions; $pin_note; load $load_at_start"
q() { printf '%q ' "$@"; }
"$CLTV" fit ggomnbd "$CDNOW" --time-unit weeks > "$tmp/cltv.json" 2> /dev/null || die "cltv failed"
"$CLTV" fit pareto-nbd "$CDNOW" --time-unit weeks > "$tmp/pareto.json" || die "cltv pareto-nbd failed"
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 "${pin[@]}" "$PY" bench/scipy_fit_ggomnbd.py "$CDNOW" \
  "$tmp/pareto.json" --runs "$SCIPY_RUNS" > "$tmp/scipy.json" || die "scipy_fit_ggomnbd.py failed"
hyperfine -N --runs "$CLTV_RUNS" --warmup 2 --export-json "$tmp/hyperfine.json" \
  "$(q "${pin[@]}" "$CLTV" fit ggomnbd "$CDNOW" --time-unit weeks)" > /dev/null 2>&1 || die "hyperfine failed"
"$PY" - "$tmp" <<'EOF'
import json, os, statistics, sys
tmp = sys.argv[1]
c = json.load(open(os.path.join(tmp, "cltv.json")))
s = json.load(open(os.path.join(tmp, "scipy.json")))
times = json.load(open(os.path.join(tmp, "hyperfine.json")))["results"][0]["times"]
med = statistics.median(times)
rel = abs(c["log_likelihood"] - s["log_likelihood"]) / abs(s["log_likelihood"])
p = c["parameters"]
print("| data | customers | cltv median s (min–max) | SciPy fit best s | SciPy nfev | ratio | LL cltv | LL SciPy | rel. diff | r, alpha, s (cltv) |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
print(f"| CDNOW | {c['n']:,} | {med:.3f} ({min(times):.3f}–{max(times):.3f}) | {s['best_s']:.2f} | {s['nfev']} "
      f"| {s['best_s'] / med:.0f}x | {c['log_likelihood']:.6f} | {s['log_likelihood']:.6f} | {rel:.1e} "
      f"| {p['r']:.4f}, {p['alpha']:.3f}, {p['s']:.4f} |")
# cltv must reach SciPy's maximum; SciPy's L-BFGS-B with numerical gradients
# may stop short of cltv's on the flat b-beta ridge, which is said, not failed.
if c["log_likelihood"] < s["log_likelihood"] - 1e-8 * abs(s["log_likelihood"]):
    print("CORRECTNESS: cltv's log-likelihood is below SciPy's by more than 1e-8 relative")
elif rel > 1e-8:
    print(f"SciPy stops {c['log_likelihood'] - s['log_likelihood']:.1e} below cltv's maximum")
ratio = s["best_s"] / med
print(f"goal: >= 50x SciPy -> {ratio:.0f}x: {'MET' if ratio >= 50 else 'NOT MET'}")
EOF
