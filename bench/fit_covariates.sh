#!/usr/bin/env bash
# Pareto/NBD with static covariates: `cltv fit pareto-nbd SUMMARY --covariates FILE
# --covariate-cols ...` (a whole process: both CSVs read and joined, the fit without
# covariates for the start and the likelihood-ratio test, the fit with them, the Hessian, JSON)
# next to SciPy's L-BFGS-B on the same likelihood in NumPy with scipy.special.hyp2f1 and
# numerical gradients, also fitting without covariates first (bench/scipy_fit_covariates.py,
# timing the fits only, on arrays already joined in memory). Both pinned to one core. Checks
# that the two reach the same log-likelihood (1e-6 relative) before timing cltv.
#
# Data (bench/gen_covariates.py, 100 k customers, daily, T up to 730 days):
#   dummies     Gender and Channel, 0/1: four distinct rows of values, so the fit groups the
#               customers into four sets of compressed tuples
#   continuous  also Age, a continuous covariate: every customer her own row, no grouping
#
# Usage: bench/fit_covariates.sh       (from any directory)
# Env:   CLTV, SEED, BENCH_CACHE, PIN_CPU, RESULTS_MD, RESULTS_LABEL, CLTV_COMMIT as in
#        bench/fit_bgnbd.sh; CUSTOMERS (default 100000); CLTV_RUNS (default 10);
#        SCIPY_RUNS (default 5: a run of both fits takes 15-30 s)
# Needs: hyperfine, Debian's /usr/bin/python3 with numpy and scipy; taskset if pinning.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
CLTV=${CLTV:-$PWD/build-bench/src/cli/cltv}
CUSTOMERS=${CUSTOMERS:-100000}
SEED=${SEED:-20261205}
BENCH_CACHE=${BENCH_CACHE:-${BENCH_DIR:-${TMPDIR:-/tmp}/cltv-bench}}
CLTV_RUNS=${CLTV_RUNS:-10}
SCIPY_RUNS=${SCIPY_RUNS:-5}
PIN_CPU=${PIN_CPU-1}
RESULTS_LABEL=${RESULTS_LABEL:-run}
PY=/usr/bin/python3

# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_start fit_covariates.sh "numpy, scipy"
py_versions=$("$PY" -c 'import sys, numpy, scipy; print(f"python {sys.version.split()[0]}, scipy {scipy.__version__}, numpy {numpy.__version__}")')

mkdir -p "$BENCH_CACHE"
generate() {  # name [--continuous]: prints "summary covariates"
  local name=$1
  shift
  local stem
  stem=$BENCH_CACHE/covariates-$name-${CUSTOMERS}c-seed$SEED-$(md5sum bench/gen_covariates.py | cut -c1-8)
  if [[ ! -s $stem.cov.csv ]]; then
    "$PY" bench/gen_covariates.py "$stem.summary.csv" "$stem.cov.part" --customers "$CUSTOMERS" \
      --seed "$SEED" "$@" >&2
    mv "$stem.cov.part" "$stem.cov.csv"
  fi
  echo "$stem.summary.csv $stem.cov.csv"
}
sets=("dummies|$(generate dummies)|Gender,Channel"
      "continuous|$(generate continuous --continuous)|Gender,Channel,Age")

echo "== cltv fit pareto-nbd --covariates vs SciPy L-BFGS-B with hyp2f1"
echo "binary: $CLTV ($("$CLTV" --version)); scipy: $py_versions; $pin_note; load $load_at_start"
q() { printf '%q ' "$@"; }
i=0
for s in "${sets[@]}"; do
  IFS='|' read -r name paths columns <<< "$s"
  read -r summary covariates <<< "$paths"
  i=$((i + 1))
  echo "-- $name: $summary, $covariates ($columns)"
  cmd=("$CLTV" fit pareto-nbd "$summary" --covariates "$covariates" --covariate-cols "$columns")
  "${cmd[@]}" > "$tmp/$i.cltv.json" 2> "$tmp/$i.cltv.err" || die "cltv failed on $summary"
  "${pin[@]}" "$PY" bench/scipy_fit_covariates.py "$summary" "$covariates" --columns "$columns" \
    --runs "$SCIPY_RUNS" > "$tmp/$i.scipy.json" || die "scipy_fit_covariates.py failed on $summary"
  hyperfine -N --runs "$CLTV_RUNS" --warmup 2 --export-json "$tmp/$i.hyperfine.json" \
    "$(q "${pin[@]}" "${cmd[@]}")" > /dev/null || die "hyperfine failed"
  echo "$name" > "$tmp/$i.name"
done

"$PY" - "$tmp" "$i" > "$tmp/report.txt" <<'EOF'
import json, os, statistics, sys

tmp, count = sys.argv[1], int(sys.argv[2])
print("| data | customers | rows of values | distinct tuples | cltv median s (min–max) | cltv evals "
      "| SciPy fits median s | SciPy nfev | ratio | LL cltv | LL SciPy | rel. diff |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
failed, ratios = [], []
for i in range(1, count + 1):
    name = open(os.path.join(tmp, f"{i}.name")).read().strip()
    c = json.load(open(os.path.join(tmp, f"{i}.cltv.json")))
    s = json.load(open(os.path.join(tmp, f"{i}.scipy.json")))
    times = json.load(open(os.path.join(tmp, f"{i}.hyperfine.json")))["results"][0]["times"]
    med = statistics.median(times)
    rel = abs(c["log_likelihood"] - s["log_likelihood"]) / abs(s["log_likelihood"])
    ratio = s["median_s"] / med
    ratios.append((name, ratio))
    if rel > 1e-6:
        failed.append(name)
    print(f"| {name} | {c['n']:,} | {c['covariates']['value_rows']:,} | {c['unique_tuples']:,} "
          f"| {med:.3f} ({min(times):.3f}–{max(times):.3f}) | {c['evaluations']} "
          f"| {s['median_s']:.2f} | {s['nfev']} | {ratio:.0f}x | {c['log_likelihood']:.4f} "
          f"| {s['log_likelihood']:.4f} | {rel:.1e} |")
print()
for name in failed:
    print(f"CORRECTNESS: {name}: the log-likelihoods differ by more than 1e-6 relative")
for name, ratio in ratios:
    print(f"goal: >= 50x SciPy at {name}: {ratio:.0f}x: {'MET' if ratio >= 50 else 'NOT MET'}")
EOF
cat "$tmp/report.txt"
for f in "$tmp"/*.cltv.err; do [[ -s $f ]] && sed 's/^/note: /' "$f"; done
if [[ -n ${RESULTS_MD:-} ]]; then
  commit=${CLTV_COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)}
  {
    echo
    echo "### fit_covariates.sh: $RESULTS_LABEL (commit $commit)"
    echo
    echo "- date: $(date -u); machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(nproc) cores; $pin_note; load average at start $load_at_start, at end $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- tools: $("$CLTV" --version), $py_versions, $(hyperfine --version); cltv: median of $CLTV_RUNS whole-process runs; SciPy: median of $SCIPY_RUNS run(s) of both fits, fits only"
    echo
    cat "$tmp/report.txt"
  } >> "$RESULTS_MD"
fi
