#!/usr/bin/env bash
# BG/BB maximum likelihood: `cltv fit bgbb SUMMARY --count-col weights` (a whole process: CSV
# read, compression, L-BFGS with the analytic gradient, standard errors, JSON) next to
# SciPy's L-BFGS-B on the plain likelihood with scipy.special.betaln and numerical
# gradients (bench/scipy_fit_bgbb.py, timing the fit only, on arrays already in memory).
# Both pinned to one core. The two must reach the same log-likelihood (1e-8 relative).
#
# Data: FHS 2010's donations (11,104 donors, 22 patterns; skipped when absent) and
# bench/gen_bgbb.py: CUSTOMERS customers from alpha 1.2, beta 0.75, gamma 0.66, delta 2.8,
# observed over 1..20 opportunities.
#
# Usage: bench/fit_bgbb.sh       (from any directory)
# Env:   CLTV (default build-bench/src/cli/cltv), DONATIONS, CUSTOMERS (default 200000), SEED,
#        BENCH_CACHE, PIN_CPU (default 1), CLTV_RUNS (default 10), SCIPY_RUNS (default 3)
# Needs: hyperfine, Debian's /usr/bin/python3 with numpy and scipy; taskset if pinning.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
CLTV=${CLTV:-$PWD/build-bench/src/cli/cltv}
DONATIONS=${DONATIONS-/work/shared/data/donations.csv}
CUSTOMERS=${CUSTOMERS:-200000}
SEED=${SEED:-20101}
BENCH_CACHE=${BENCH_CACHE:-${TMPDIR:-/tmp}/cltv-bench}
CLTV_RUNS=${CLTV_RUNS:-10}
SCIPY_RUNS=${SCIPY_RUNS:-3}
PIN_CPU=${PIN_CPU-1}
PY=/usr/bin/python3

# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_start fit_bgbb.sh "numpy, scipy"
py_versions=$("$PY" -c 'import sys, numpy, scipy; print(f"python {sys.version.split()[0]}, scipy {scipy.__version__}, numpy {numpy.__version__}")')

mkdir -p "$BENCH_CACHE"
simulated=$BENCH_CACHE/bgbb-${CUSTOMERS}c-seed$SEED-$(md5sum bench/gen_bgbb.py | cut -c1-8).csv
if [[ ! -s $simulated ]]; then
  "$PY" bench/gen_bgbb.py "$simulated.part" --customers "$CUSTOMERS" --seed "$SEED"
  mv "$simulated.part" "$simulated"
fi
sets=()
[[ -n $DONATIONS && -s $DONATIONS ]] && sets+=("donations|$DONATIONS")
sets+=("simulated $CUSTOMERS|$simulated")

echo "== cltv fit bgbb vs SciPy L-BFGS-B with betaln"
echo "binary: $CLTV ($("$CLTV" --version)); $py_versions; $pin_note; load $load_at_start"
q() { printf '%q ' "$@"; }
i=0
for s in "${sets[@]}"; do
  IFS='|' read -r name path <<< "$s"
  i=$((i + 1))
  "$CLTV" fit bgbb "$path" --count-col weights > "$tmp/$i.cltv.json" || die "cltv failed on $path"
  "${pin[@]}" "$PY" bench/scipy_fit_bgbb.py "$path" --runs "$SCIPY_RUNS" > "$tmp/$i.scipy.json" \
    || die "scipy_fit_bgbb.py failed on $path"
  hyperfine -N --runs "$CLTV_RUNS" --warmup 2 --export-json "$tmp/$i.hyperfine.json" \
    "$(q "${pin[@]}" "$CLTV" fit bgbb "$path" --count-col weights)" > /dev/null || die "hyperfine failed"
  echo "$name" > "$tmp/$i.name"
done

# The floor of any whole-process time: a process that starts and prints its version.
hyperfine -N --runs "$CLTV_RUNS" --warmup 2 --export-json "$tmp/startup.hyperfine.json" \
  "$(q "${pin[@]}" "$CLTV" --version)" > /dev/null || die "hyperfine failed"

"$PY" - "$tmp" "$i" <<'EOF'
import json, os, statistics, sys

tmp, count = sys.argv[1], int(sys.argv[2])
print("| data | customers | distinct | cltv median s (min–max) | SciPy fit best s | SciPy nfev "
      "| ratio | LL cltv | LL SciPy | rel. diff | alpha, beta, gamma, delta (cltv) |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
bad, worst = [], None
for i in range(1, count + 1):
    name = open(os.path.join(tmp, f"{i}.name")).read().strip()
    c = json.load(open(os.path.join(tmp, f"{i}.cltv.json")))
    s = json.load(open(os.path.join(tmp, f"{i}.scipy.json")))
    times = json.load(open(os.path.join(tmp, f"{i}.hyperfine.json")))["results"][0]["times"]
    med = statistics.median(times)
    rel = abs(c["log_likelihood"] - s["log_likelihood"]) / abs(s["log_likelihood"])
    ratio = s["best_s"] / med
    worst = ratio if worst is None else min(worst, ratio)
    if rel > 1e-8:
        bad.append(name)
    p = c["parameters"]
    params = ", ".join(f"{p[k]:.4g}" for k in ("alpha", "beta", "gamma", "delta"))
    print(f"| {name} | {c['n']:,} | {c['unique_tuples']:,} | {med:.4f} ({min(times):.4f}–{max(times):.4f}) "
          f"| {s['best_s']:.3f} | {s['nfev']} | {ratio:.0f}x | {c['log_likelihood']:.6f} "
          f"| {s['log_likelihood']:.6f} | {rel:.1e} | {params} |")
print()
for name in bad:
    print(f"CORRECTNESS: {name}: the log-likelihoods differ by more than 1e-8 relative")
startup = statistics.median(
    json.load(open(os.path.join(tmp, "startup.hyperfine.json")))["results"][0]["times"])
print(f"startup floor: `cltv --version` median {startup:.4f} s (every cltv time above includes it)")
print(f"goal: >= 50x SciPy -> lowest {worst:.0f}x: {'MET' if worst >= 50 else 'NOT MET'}")
EOF
