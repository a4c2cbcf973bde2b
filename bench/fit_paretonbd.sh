#!/usr/bin/env bash
# Pareto/NBD maximum likelihood: `cltv fit pareto-nbd SUMMARY` (a whole process: CSV read,
# compression into distinct tuples, L-BFGS, standard errors, JSON) next to SciPy's
# L-BFGS-B on the plain NumPy negative log-likelihood with scipy.special.hyp2f1 and
# numerical gradients (bench/scipy_fit_paretonbd.py, timing the fit only, on arrays
# already in memory). Both pinned to one core. Checks that the two reach the same
# log-likelihood (1e-6 relative) before timing cltv.
#
# Data sets, all daily with T up to 2,000 days:
#   bgnbd     bench/gen_bgnbd.py --first-days 2000 (the issue's measured case: BG/NBD data)
#   paretonbd bench/gen_paretonbd.py (r 0.5, alpha 70, s 0.6, beta 200)
#   common    bench/gen_paretonbd.py --common-dropout 0.003: every customer the same dropout
#             rate, where the model degenerates (s, beta -> oo). SciPy is not run there:
#             its fit has no interior optimum to agree on. cltv must finish and say so.
# and CDNOW (2,357 customers, weeks; skipped when absent).
#
# Usage: bench/fit_paretonbd.sh       (from any directory)
# Env:   CLTV, CDNOW, SEED, BENCH_CACHE, PIN_CPU, RESULTS_MD, RESULTS_LABEL, CLTV_COMMIT as in
#        bench/fit_bgnbd.sh; CUSTOMERS (default 300000); CLTV_RUNS (default 10);
#        SCIPY_RUNS (default 1: a 300 k fit takes about a minute)
# Needs: hyperfine, Debian's /usr/bin/python3 with numpy and scipy; taskset if pinning.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
CLTV=${CLTV:-$PWD/build-bench/src/cli/cltv}
CDNOW=${CDNOW-/work/shared/data/cdnow_customers_summary.csv}
CUSTOMERS=${CUSTOMERS:-300000}
SEED=${SEED:-20261203}
BENCH_CACHE=${BENCH_CACHE:-${BENCH_DIR:-${TMPDIR:-/tmp}/cltv-bench}}
CLTV_RUNS=${CLTV_RUNS:-10}
SCIPY_RUNS=${SCIPY_RUNS:-1}
PIN_CPU=${PIN_CPU-1}
RESULTS_LABEL=${RESULTS_LABEL:-run}
PY=/usr/bin/python3

# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_start fit_paretonbd.sh "numpy, scipy"
py_versions=$("$PY" -c 'import sys, numpy, scipy; print(f"python {sys.version.split()[0]}, scipy {scipy.__version__}, numpy {numpy.__version__}")')

mkdir -p "$BENCH_CACHE"
generate() {  # name generator args...
  local name=$1 gen=$2
  shift 2
  local f
  f=$BENCH_CACHE/pnbd-$name-${CUSTOMERS}c-seed$SEED-$(md5sum "bench/$gen" | cut -c1-8).csv
  if [[ ! -s $f ]]; then
    "$PY" "bench/$gen" "$f.part" --customers "$CUSTOMERS" --seed "$SEED" "$@" >&2
    mv "$f.part" "$f"
  fi
  echo "$f"
}
sets=()
[[ -n $CDNOW && -s $CDNOW ]] && sets+=("cdnow|$CDNOW|scipy")
sets+=("bgnbd $CUSTOMERS|$(generate bgnbd gen_bgnbd.py --first-days 2000)|scipy")
sets+=("paretonbd $CUSTOMERS|$(generate paretonbd gen_paretonbd.py)|scipy")
sets+=("common dropout $CUSTOMERS|$(generate common gen_paretonbd.py --common-dropout 0.003)|-")

echo "== cltv fit pareto-nbd vs SciPy L-BFGS-B with hyp2f1"
echo "binary: $CLTV ($("$CLTV" --version)); scipy: $py_versions; $pin_note; load $load_at_start"
q() { printf '%q ' "$@"; }
i=0
for s in "${sets[@]}"; do
  IFS='|' read -r name path scipy <<< "$s"
  i=$((i + 1))
  echo "-- $name: $path"
  "$CLTV" fit pareto-nbd "$path" > "$tmp/$i.cltv.json" 2> "$tmp/$i.cltv.err" || die "cltv failed on $path"
  if [[ $scipy == scipy ]]; then
    "${pin[@]}" "$PY" bench/scipy_fit_paretonbd.py "$path" --runs "$SCIPY_RUNS" > "$tmp/$i.scipy.json" \
      || die "scipy_fit_paretonbd.py failed on $path"
  else
    echo '{}' > "$tmp/$i.scipy.json"
  fi
  hyperfine -N --runs "$CLTV_RUNS" --warmup 2 --export-json "$tmp/$i.hyperfine.json" \
    "$(q "${pin[@]}" "$CLTV" fit pareto-nbd "$path")" > /dev/null || die "hyperfine failed"
  echo "$name" > "$tmp/$i.name"
done

"$PY" - "$tmp" "$i" > "$tmp/report.txt" <<'EOF'
import json, os, statistics, sys

tmp, count = sys.argv[1], int(sys.argv[2])
print("| data | customers | distinct tuples | cltv median s (min–max) | cltv evals | SciPy fit s "
      "| SciPy nfev | ratio | LL cltv | LL SciPy | rel. diff | r, alpha, s, beta (cltv) |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
failed, ratios = [], []
for i in range(1, count + 1):
    name = open(os.path.join(tmp, f"{i}.name")).read().strip()
    c = json.load(open(os.path.join(tmp, f"{i}.cltv.json")))
    s = json.load(open(os.path.join(tmp, f"{i}.scipy.json")))
    times = json.load(open(os.path.join(tmp, f"{i}.hyperfine.json")))["results"][0]["times"]
    med = statistics.median(times)
    p = c["parameters"]
    params = ", ".join(f"{p[k]:.4g}" for k in ("r", "alpha", "s", "beta"))
    if "degenerate" in c:
        params += " (degenerate: one dropout rate)"
    row = f"| {name} | {c['n']:,} | {c['unique_tuples']:,} | {med:.3f} ({min(times):.3f}–{max(times):.3f}) | {c['evaluations']} "
    if s:
        rel = abs(c["log_likelihood"] - s["log_likelihood"]) / abs(s["log_likelihood"])
        ratio = s["best_s"] / med
        ratios.append((name, ratio, med))
        if rel > 1e-6:
            failed.append(name)
        row += (f"| {s['best_s']:.2f} | {s['nfev']} | {ratio:.0f}x | {c['log_likelihood']:.6f} "
                f"| {s['log_likelihood']:.6f} | {rel:.1e} | {params} |")
    else:
        row += f"| — | — | — | {c['log_likelihood']:.6f} | — | — | {params} |"
    print(row)
print()
for name in failed:
    print(f"CORRECTNESS: {name}: the log-likelihoods differ by more than 1e-6 relative")
big = [r for r in ratios if not r[0].startswith("cdnow")]
if big:
    worst = min(big, key=lambda r: r[1])
    slowest = max(big, key=lambda r: r[2])
    print(f"goal: >= 100x SciPy -> lowest {worst[1]:.0f}x ({worst[0]}): {'MET' if worst[1] >= 100 else 'NOT MET'}; "
          f"<= 1 s at {slowest[0]} -> {slowest[2]:.3f} s: {'MET' if slowest[2] <= 1 else 'NOT MET'}")
EOF
cat "$tmp/report.txt"
for f in "$tmp"/*.cltv.err; do [[ -s $f ]] && sed 's/^/note: /' "$f"; done
if [[ -n ${RESULTS_MD:-} ]]; then
  commit=${CLTV_COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)}
  {
    echo
    echo "### fit_paretonbd.sh: $RESULTS_LABEL (commit $commit)"
    echo
    echo "- date: $(date -u); machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(nproc) cores; $pin_note; load average at start $load_at_start, at end $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- tools: $("$CLTV" --version), $py_versions, $(hyperfine --version); cltv: median of $CLTV_RUNS whole-process runs; SciPy: best of $SCIPY_RUNS fit(s), fit only"
    echo
    cat "$tmp/report.txt"
  } >> "$RESULTS_MD"
fi
